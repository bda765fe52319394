/**
 * End-to-end test of the admin page in a real browser: Debian's Chromium driven by
 * playwright-core (never a downloaded browser), the real host on a temp SQLite file, and a
 * real SMTP server on 127.0.0.1. The steps share one browser page and run in order.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extension, observe } from '@plugboard/core';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { BrowserContext, Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { hostHooks, type User } from '../src';
import { SAMPLE_EXTENSIONS } from '../src/extensions';
import { launchChromium, screenshots } from './chromium';
import { ADMIN_PASSWORD, start, type Running } from './helpers';

// A missing browser is a failure (launchChromium says how to fix it), never a skip: a skipped
// end-to-end test proves nothing.

@extension({ name: 'welcome', version: '1.2.0', requires: ['audit-log'], description: 'Greets new accounts (needs the audit log).' })
class Welcome {
  readonly greeted: string[] = [];

  @observe(hostHooks.AccountCreated)
  async created(account: User): Promise<void> {
    this.greeted.push(account.username);
  }
}

/** A real SMTP server on 127.0.0.1 that parses every message it accepts. */
class MailSink {
  readonly mails: ParsedMail[] = [];
  private readonly waiters: ((m: ParsedMail) => void)[] = [];
  readonly server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    closeTimeout: 100,
    onData: (stream, _session, cb) => {
      simpleParser(stream).then(
        (mail) => {
          this.mails.push(mail);
          for (const w of this.waiters.splice(0)) w(mail);
          cb();
        },
        (e: unknown) => cb(e instanceof Error ? e : new Error(String(e))),
      );
    },
  });

  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    return (this.server.server.address() as AddressInfo).port;
  }

  /** Resolves with the first mail (already received or next) that `match` accepts. */
  next(match: (m: ParsedMail) => boolean): Promise<ParsedMail> {
    const seen = this.mails.find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => {
      const wait = (m: ParsedMail): void => {
        if (match(m)) resolve(m);
        else this.waiters.push(wait);
      };
      this.waiters.push(wait);
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('admin page in Chromium', () => {
  jest.setTimeout(60_000);
  let dir: string;
  let running: Running;
  let token: string;
  let sink: MailSink;
  let context: BrowserContext;
  let page: Page;
  let consoleErrors: string[];

  const shot = (name: string): Promise<void> => screenshots(page, name);
  const api = (method: string, path: string, body?: unknown) => running.req(method, path, { token, ...(body !== undefined ? { body } : {}) });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pb-admin-e2e-'));
    sink = new MailSink();
    const smtpPort = await sink.listen();
    running = await start(join(dir, 'host.sqlite'), [...SAMPLE_EXTENSIONS, Welcome]);
    await running.host.notify.configs.createSmtp({ name: 'local', host: '127.0.0.1', port: smtpPort, sender: 'plugboard@example.org', security: 'none', password: 'smtp-secret-1' });
    token = await running.login('admin', ADMIN_PASSWORD);
    expect((await api('POST', '/api/domains', { name: 'example.com' })).status).toBe(201);
    ({ context, page, consoleErrors } = await launchChromium(dir));
  });

  afterAll(async () => {
    await context?.close();
    await running?.stop();
    await sink?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  test('logs in with the keyboard; the API session token is kept in an HttpOnly cookie', async () => {
    await page.goto(`${running.url}/admin`);
    await expect(page.getByRole('heading', { name: 'Log in' }).count()).resolves.toBe(1);
    await page.getByLabel('Username').focus();
    await page.keyboard.type('admin');
    await page.keyboard.press('Tab');
    await page.keyboard.type(ADMIN_PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/admin\/extensions$/);
    const cookies = await context.cookies(`${running.url}/admin/extensions`);
    const session = cookies.find((c) => c.name === 'pb_admin_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/admin' });
    expect(await page.evaluate(() => (globalThis as unknown as { document: { cookie: string } }).document.cookie)).not.toContain('pb_admin_session');
  });

  test('requires problems are shown before the action, and disabling an extension stops its listener (seen through the API)', async () => {
    const audit = page.locator('#ext-audit-log');
    const welcome = page.locator('#ext-welcome');
    // audit-log cannot be disabled while "welcome" (which requires it) is enabled: the button says why up front.
    await expect(audit.getByRole('button', { name: 'Disable audit-log' }).isDisabled()).resolves.toBe(true);
    expect(await audit.locator('.problem').textContent()).toContain('Required by the enabled extension "welcome"');
    await shot('extensions');

    // Keyboard: focus the button and press Enter; htmx swaps the page in place and keeps focus on it.
    await welcome.getByRole('button', { name: 'Disable welcome' }).focus();
    await page.keyboard.press('Enter');
    await welcome.locator('.badge.disabled').waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id)).toBe('ext-welcome-toggle');
    await audit.getByRole('button', { name: 'Disable audit-log' }).click();
    await audit.locator('.badge.disabled').waitFor();
    expect(await page.locator('.notice').textContent()).toContain('Extension "audit-log" is disabled.');
    await expect(welcome.getByRole('button', { name: 'Enable welcome' }).isDisabled()).resolves.toBe(true);
    expect(await welcome.locator('.problem').textContent()).toContain('Requires "audit-log" (not enabled)');

    expect((await api('GET', '/api/extensions')).body.extensions).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'audit-log', state: 'disabled' })]));
    expect((await api('POST', '/api/accounts', { username: 'bob@example.com', password: 'bob-password-1' })).status).toBe(201);
    // Its route answers 404 while it is disabled…
    expect((await api('GET', '/api/ext/audit-log/entries?hook=AccountCreated')).status).toBe(404);

    await audit.getByRole('button', { name: 'Enable audit-log' }).click();
    await audit.locator('.badge.enabled').waitFor();
    expect((await api('POST', '/api/accounts', { username: 'carol@example.com', password: 'carol-password-1' })).status).toBe(201);
    // …and once enabled again its log has carol but never bob: the listener did not run while disabled.
    const entries = (await api('GET', '/api/ext/audit-log/entries?hook=AccountCreated')).body.entries as { args: { username: string }[] }[];
    const logged = entries.map((e) => e.args[0].username);
    expect(logged).toContain('carol@example.com');
    expect(logged).not.toContain('bob@example.com');
  });

  test('a rule missing a required option shows the error next to that field; fixed, it is saved', async () => {
    await page.getByRole('link', { name: 'Rules' }).click();
    await page.getByRole('link', { name: 'New rule' }).click();
    await page.getByLabel('Name').fill('Mail ops on new accounts');
    await page.getByLabel('Events').fill('AccountCreated');
    // Choosing the action reloads its option fields (htmx), typed after the declared options.
    await page.getByLabel('Handler module and action').selectOption('UserNotification:sendmail');
    const emailconfig = page.locator('#f-options-emailconfig');
    await emailconfig.waitFor();
    expect(await emailconfig.evaluate((el) => el.tagName)).toBe('SELECT');
    expect(await page.locator('[data-field="options.emailconfig"] label').textContent()).toContain('(required)');
    expect(await page.locator('#f-options-body').evaluate((el) => el.tagName)).toBe('TEXTAREA');
    await page.locator('#f-options-To').selectOption('email');
    await page.locator('#f-options-To-email').fill('ops@example.org');
    await page.locator('#f-options-subject').fill('New account {username}');

    // The browser refuses the empty required select before anything is sent…
    await page.getByRole('button', { name: 'Save rule' }).click();
    expect(await emailconfig.evaluate((el) => (el as unknown as { validity: { valueMissing: boolean } }).validity.valueMissing)).toBe(true);
    expect(page.url()).toMatch(/\/admin\/rules\/new/);
    // …and the server checks it too (a client without constraint validation posts it anyway).
    await page.locator('#rule-form').evaluate((f) => ((f as unknown as { noValidate: boolean }).noValidate = true));
    await page.getByRole('button', { name: 'Save rule' }).click();
    const error = page.locator('[data-field="options.emailconfig"] .error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/required/);
    expect(await emailconfig.getAttribute('aria-invalid')).toBe('true');
    expect(await emailconfig.getAttribute('aria-describedby')).toContain('f-options-emailconfig-error');
    // What was typed is kept.
    expect(await page.locator('#f-options-To-email').inputValue()).toBe('ops@example.org');
    await shot('rule-error');

    await emailconfig.selectOption('local');
    await page.getByRole('button', { name: 'Save rule' }).click();
    await page.waitForURL(/\/admin\/rules\?notice=/);
    expect(await page.locator('.notice').textContent()).toContain('Rule "Mail ops on new accounts" was created.');
    const rule = (await running.host.rules.store.list()).find((r) => r.name === 'Mail ops on new accounts');
    expect(rule).toMatchObject({ events: ['AccountCreated'], handlerModule: 'UserNotification', action: 'sendmail', options: expect.objectContaining({ emailconfig: 'local', To: 'email' }) });
  });

  test('the event raised through the API sends the mail to the SMTP server and shows in the filtered live log', async () => {
    await page.getByRole('link', { name: 'Live events' }).click();
    await page.getByLabel('Hook').selectOption('AccountCreated');
    await page.waitForURL(/hook=AccountCreated/);
    await page.locator('[data-live][data-sse-state="open"][sse-connect*="hook=AccountCreated"]').waitFor();

    const mail = sink.next((m) => (m.subject ?? '').includes('dave@example.com'));
    expect((await api('POST', '/api/accounts', { username: 'dave@example.com', password: 'dave-password-1' })).status).toBe(201);
    const received = await mail;
    expect(received.subject).toBe('New account dave@example.com');
    expect(received.from?.value[0].address).toBe('plugboard@example.org');
    expect((Array.isArray(received.to) ? received.to[0] : received.to)?.value[0].address).toBe('ops@example.org');

    const item = page.locator('#live-log li[data-hook="AccountCreated"]', { hasText: 'dave@example.com' });
    await item.waitFor();
    const listeners = await item.locator('ul li').allTextContents();
    expect(listeners.some((l) => l.includes('audit-log') && l.includes('ok'))).toBe(true);
    // The filter holds: MailboxCreated was raised by the same request but is not listed.
    expect(await page.locator('#live-log li[data-hook="MailboxCreated"]').count()).toBe(0);
    await shot('events');

    await page.getByRole('link', { name: 'Deliveries' }).click();
    await page.getByRole('link', { name: /^delivered \(/ }).click();
    const row = page.locator('tr', { hasText: 'dave@example.com' });
    await row.waitFor();
    expect(await row.locator('td[data-label="State"] .badge.delivered').count()).toBe(1);
    expect(await page.content()).not.toContain('smtp-secret-1');
    await shot('deliveries');
    // Only the deliberate 422 of the invalid rule may have been reported.
    expect(consoleErrors.filter((e) => !/status of 422/.test(e))).toEqual([]);
  });
});
