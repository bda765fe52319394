/**
 * The operator's configuration pages in Chromium (issue 17 item 6): for mail servers, SMS
 * gateways, webhook endpoints and email hooks, an administrator adds one, edits it, tests it
 * against a real peer (smtp-server, an HTTP SMS gateway, a webhook receiver) and deletes it —
 * at desktop and phone widths, with screenshots kept.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SAMPLE_EXTENSIONS } from '../src/extensions';
import { adminLogin, launchChromium, SCREENSHOTS, VIEWPORTS, type Browser } from './browser-helpers';
import { ADMIN_PASSWORD, start, type Running } from './helpers';
import { startReceiver, startSmtp, type Receiver, type SmtpSink } from './plugin-helpers';

/** Screenshots the page at both sizes; neither may scroll sideways. */
async function atBothSizes(page: Page, name: string): Promise<void> {
  for (const vp of VIEWPORTS) {
    await page.setViewportSize({ width: vp.width, height: vp.height });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(vp.width);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${vp.label}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

/** Fills fields by their form name (`#f-name`). */
async function fill(page: Page, fields: Record<string, string>): Promise<void> {
  for (const [name, value] of Object.entries(fields)) await page.locator(`#f-${name}`).fill(value);
}

describe('configuration pages in Chromium', () => {
  jest.setTimeout(60_000);
  let dir: string;
  let running: Running;
  let smtp: SmtpSink;
  let gateway: Receiver;
  let receiver: Receiver;
  let browser: Browser;
  let page: Page;
  const main = () => page.locator('main');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pb-config-pages-'));
    smtp = await startSmtp({ auth: true });
    gateway = await startReceiver(200);
    receiver = await startReceiver(200);
    running = await start(join(dir, 'host.sqlite'), SAMPLE_EXTENSIONS, {
      webhookGuard: { allow: ['127.0.0.1'] },
      outbox: { pollIntervalMs: 20, backoff: { initialMs: 20, maxAttempts: 3, jitter: 0 } },
    });
    browser = await launchChromium(join(dir, 'profile'));
    page = browser.page;
    // Delete buttons ask first (hx-confirm); the administrator says yes.
    page.on('dialog', (d) => void d.accept());
    await adminLogin(page, running.url, '/admin/extensions', 'admin', ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await browser?.context.close();
    await running?.stop();
    await smtp?.close();
    await gateway?.close();
    await receiver?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => expect(browser.consoleErrors).toEqual([]));

  test('mail servers: add, edit, send a test mail that the SMTP server receives, delete', async () => {
    await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Mail servers' }).click();
    await page.waitForURL(/\/admin\/smtp$/);
    await page.getByRole('link', { name: 'Add a mail server' }).click();
    await fill(page, { name: 'local', host: '127.0.0.1', port: String(smtp.port), sender: 'noreply@example.com', username: 'mailer', password: 'relay-secret' });
    await page.locator('#f-security').selectOption('none');
    await page.locator('#smtp-save').click();
    await main().getByText('Mail server "local" was saved.').waitFor();
    expect(await main().textContent()).toContain('mailer / ***');
    expect(await page.content()).not.toContain('relay-secret');

    await main().getByRole('link', { name: 'local', exact: true }).click();
    await fill(page, { senderName: 'Mail hosting' });
    await page.locator('#smtp-save').click();
    await main().getByText('Mail hosting <noreply@example.com>').waitFor();

    await main().getByRole('link', { name: 'local', exact: true }).click();
    await fill(page, { to: 'postmaster@example.org' });
    await page.locator('#smtp-test').click();
    await page.locator('#test-answer').waitFor();
    expect(await page.locator('#test-answer').textContent()).toMatch(/accepted the test mail to postmaster@example.org .*: 250/);
    await smtp.waitFor(1);
    expect(smtp.received[0].to).toMatchObject({ text: 'postmaster@example.org' });
    expect(smtp.logins[0]).toBe('mailer');
    await atBothSizes(page, 'config-smtp');

    await page.goto(`${running.url}/admin/smtp`);
    await page.locator('#smtp-local-delete').click();
    await main().getByText('Mail server "local" was deleted.').waitFor();
    expect((await running.host.notify.configs.listSmtp()).length).toBe(0);
  });

  test('SMS gateways: add, edit, send a test SMS that the HTTP gateway receives, delete', async () => {
    await page.goto(`${running.url}/admin/sms-gateways`);
    await page.getByRole('link', { name: 'Add an SMS gateway' }).click();
    await fill(page, { name: 'gw', url: `${gateway.url}/sms`, parameters: 'to={phone}\ntext={message}\napikey=gw-secret-key' });
    await page.locator('#sms-save').click();
    await main().getByText('SMS gateway "gw" was saved.').waitFor();
    expect(await page.content()).not.toContain('gw-secret-key');

    await main().getByRole('link', { name: 'gw', exact: true }).click();
    await fill(page, { description: 'Office gateway' });
    await page.locator('#sms-save').click();
    await main().getByText('SMS gateway "gw" was saved.').waitFor();

    await main().getByRole('link', { name: 'gw', exact: true }).click();
    expect(await page.locator('#f-description').inputValue()).toBe('Office gateway');
    await fill(page, { to: '+491701234567' });
    await page.locator('#sms-test').click();
    await page.locator('#test-answer').waitFor();
    expect(await page.locator('#test-answer').textContent()).toContain('accepted the test SMS to +491701234567');
    await gateway.waitFor(1);
    expect(gateway.requests[0].body).toContain('to=%2B491701234567');
    // The stored secret survived the edit (sent back as ***).
    expect(gateway.requests[0].body).toContain('apikey=gw-secret-key');
    await atBothSizes(page, 'config-sms');

    await page.goto(`${running.url}/admin/sms-gateways`);
    await page.locator('#sms-gw-delete').click();
    await main().getByText('SMS gateway "gw" was deleted.').waitFor();
  });

  test('webhook endpoints: add (secret shown once), edit, ping the receiver, see the delivery log, delete', async () => {
    await page.goto(`${running.url}/admin/webhooks`);
    await page.getByRole('link', { name: 'Add a webhook endpoint' }).click();
    await fill(page, { name: 'crm', url: `${receiver.url}/hooks`, events: 'DomainCreated' });
    await page.locator('#webhook-save').click();
    await page.locator('#signing-secret').waitFor();
    expect(await page.locator('#secret-value').textContent()).toMatch(/^whsec_/);
    await atBothSizes(page, 'config-webhooks-secret');

    await main().getByRole('link', { name: 'crm', exact: true }).click();
    await fill(page, { events: 'DomainCreated, AccountCreated' });
    await page.locator('#webhook-save').click();
    await main().getByText('DomainCreated, AccountCreated').waitFor();

    const token = await running.login('admin', ADMIN_PASSWORD);
    expect((await running.req('POST', '/api/domains', { token, body: { name: 'example.com' } })).status).toBe(201);
    await receiver.waitFor(1);
    await running.host.outbox.drain({ timeoutMs: 10_000 });

    await main().getByRole('link', { name: 'crm', exact: true }).click();
    await page.getByRole('button', { name: 'Ping crm' }).click();
    await page.locator('#test-answer').waitFor();
    expect(await page.locator('#test-answer').textContent()).toContain('crm answered HTTP 200');
    await receiver.waitFor(2);
    const log = page.getByRole('table', { name: 'Delivery log' });
    expect(await log.textContent()).toContain('DomainCreated');
    expect(await log.textContent()).toContain('HTTP 200');
    await atBothSizes(page, 'config-webhooks');

    await page.goto(`${running.url}/admin/webhooks`);
    await page.getByRole('button', { name: 'Delete webhook endpoint crm' }).click();
    await main().getByText('Webhook endpoint "crm" was deleted.').waitFor();
  });

  test('email hooks: add, edit, see the mail it sent in the delivery log, delete', async () => {
    await page.goto(`${running.url}/admin/email-hooks`);
    await page.getByRole('link', { name: 'Add an email hook' }).click();
    await fill(page, { name: 'postmasters', events: 'AccountCreated', recipients: 'postmaster@example.com, helpdesk@example.com', sender: 'noreply@example.com', host: '127.0.0.1', port: String(smtp.port), credentials: 'hooks:hook-secret' });
    await page.locator('#f-requireTls').uncheck();
    await page.locator('#hook-save').click();
    await main().getByText('Email hook "postmasters" was saved.').waitFor();
    expect(await page.content()).not.toContain('hook-secret');

    await main().getByRole('link', { name: 'postmasters', exact: true }).click();
    await fill(page, { subject: 'New mailbox' });
    await page.locator('#hook-save').click();
    await main().getByText('Email hook "postmasters" was saved.').waitFor();

    const before = smtp.received.length;
    const token = await running.login('admin', ADMIN_PASSWORD);
    expect((await running.req('POST', '/api/accounts', { token, body: { username: 'ann@example.com', password: 'correct horse' } })).status).toBe(201);
    await smtp.waitFor(before + 1);
    expect(smtp.received[before].subject).toBe('New mailbox');
    await running.host.outbox.drain({ timeoutMs: 10_000 });

    await main().getByRole('link', { name: 'postmasters', exact: true }).click();
    const log = page.getByRole('table', { name: 'Delivery log' });
    expect(await log.textContent()).toContain('New mailbox');
    expect(await log.textContent()).toContain('postmaster@example.com, helpdesk@example.com');
    expect(await log.textContent()).toContain('delivered');
    await atBothSizes(page, 'config-email-hooks');

    await page.goto(`${running.url}/admin/email-hooks`);
    await page.getByRole('button', { name: 'Delete email hook postmasters' }).click();
    await main().getByText('Email hook "postmasters" was deleted.').waitFor();
  });
});
