/**
 * The admin page's defects of issue 17, in Chromium (Debian's, through playwright-core) against
 * the real host on a fresh SQLite file: the rule form's tags and empty selects, the Deliveries
 * page's ids, errors, attempts, payloads and destinations, and the Extensions page's listener labels.
 * Each page is checked at desktop and phone widths, with screenshots kept.
 */
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PermanentDeliveryError } from '@plugboard/outbox';
import type { BrowserContext, Page } from 'playwright-core';
import { SAMPLE_EXTENSIONS } from '../src/extensions';
import { launchChromium, overflowsSideways, screenshots } from './chromium';
import { ADMIN_PASSWORD, start, type Running } from './helpers';

describe('admin page defects in Chromium', () => {
  jest.setTimeout(60_000);
  let dir: string;
  let running: Running;
  let context: BrowserContext;
  let page: Page;
  let consoleErrors: string[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pb-admin-defects-'));
    running = await start(join(dir, 'host.sqlite'), SAMPLE_EXTENSIONS);
    ({ context, page, consoleErrors } = await launchChromium(dir));
    await page.goto(`${running.url}/admin/login`);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: /log in/i }).click();
    await page.waitForURL(/\/admin\/extensions$/);
  });

  afterAll(async () => {
    await context?.close();
    await running?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  test('the rule form shows the tags of the action and the fields of the chosen events, updated when the events change', async () => {
    await page.goto(`${running.url}/admin/rules/new`);
    await page.getByLabel(/Handler module and action/).selectOption('UserNotification:sendmail');
    const tags = page.locator('#rule-tags');
    // The panel is swapped in by htmx after the change: wait for it, as count() does not.
    await tags.getByText(/Tags of sendmail/).waitFor();
    await expect(tags.getByText('{event}', { exact: true }).count()).resolves.toBe(1);
    await expect(tags.getByText('{account.email}', { exact: true }).count()).resolves.toBe(0);
    await expect(tags.getByText('{serial}', { exact: true }).count()).resolves.toBe(0);
    expect(await tags.textContent()).toMatch(/always empty here/);
    await page.getByLabel(/^Events/).fill('AccountCreated');
    await page.getByLabel(/^Events/).press('Tab');
    await tags.getByText('Fields of AccountCreated').waitFor();
    await tags.getByText('Fields of AccountCreated').click();
    await expect(tags.getByText('{account.email}', { exact: true }).isVisible()).resolves.toBe(true);
    expect(await page.locator('#rule-form').innerText()).not.toMatch(/his tokens|token owner/);
    await screenshots(page, 'rule-form-tags');
    expect(await overflowsSideways(page)).toBe(false);
  });

  test('an empty configuration select on a fresh database links to where configurations are created', async () => {
    await page.goto(`${running.url}/admin/rules/new`);
    await page.getByLabel(/Handler module and action/).selectOption('UserNotification:sendmail');
    const hint = page.locator('#f-options-emailconfig-hint');
    await hint.waitFor();
    expect(await hint.innerText()).toMatch(/No SMTP configuration exists yet/);
    expect(await hint.getByRole('link', { name: 'create one' }).getAttribute('href')).toBe('/admin/smtp');
    expect(await page.locator('#f-options-emailconfig').getAttribute('aria-describedby')).toContain('f-options-emailconfig-hint');
    await screenshots(page, 'rule-form-empty-select');
  });

  test('deliveries: distinct ids within a minute, the destination, a truthful dead letter, one attempts figure, a readable payload', async () => {
    const { outbox } = running.host;
    let failures = 0;
    const unregister = outbox.register('defects-mail', async () => {
      failures++;
      throw new PermanentDeliveryError('550 mailbox unavailable; it will be tried again.', { statusCode: 550 });
    });
    try {
      const dead = once(outbox, 'dead');
      const a = await outbox.enqueue('defects-mail', { to: { address: 'ann@example.com' }, subject: 'Hi', body: 'Hello Ann,\nyour mailbox is ready.' });
      await dead;
      const deadB = once(outbox, 'dead');
      const b = await outbox.enqueue('defects-mail', { to: [{ address: 'bob@example.com' }, { address: 'cy@example.org' }], body: 'x' });
      await deadB;
      expect(a.id.slice(0, 8)).toBe(b.id.slice(0, 8)); // the same minute: the old display showed the same id

      await page.goto(`${running.url}/admin/deliveries?state=dead`);
      const rowA = page.locator('tr', { has: page.locator(`code[title="${a.id}"]`) });
      const rowB = page.locator('tr', { has: page.locator(`code[title="${b.id}"]`) });
      expect(await rowA.locator('code').first().innerText()).not.toBe(await rowB.locator('code').first().innerText());
      expect(await rowA.innerText()).toContain('ann@example.com');
      expect(await rowB.innerText()).toContain('bob@example.com, cy@example.org');
      expect(await rowA.innerText()).not.toMatch(/will be tried again/);
      expect(await rowA.innerText()).toMatch(/No further attempt/);
      const labelA = await rowA.getByRole('button', { name: /Retry/ }).getAttribute('aria-label');
      const labelB = await rowB.getByRole('button', { name: /Retry/ }).getAttribute('aria-label');
      expect(labelA).toContain('ann@example.com');
      expect(labelA).not.toBe(labelB);
      await rowA.locator('details.payload summary').click();
      expect(await rowA.locator('pre.payload-text').innerText()).toBe('Hello Ann,\nyour mailbox is ready.');

      const deadAgain = once(outbox, 'dead');
      await rowA.getByRole('button', { name: /Retry/ }).click();
      await page.locator('p.notice[role="status"]').waitFor();
      expect(await page.locator('p.notice[role="status"]').innerText()).toContain(`to ann@example.com will be delivered again`);
      await deadAgain;
      expect(failures).toBe(3);
      await page.goto(`${running.url}/admin/deliveries?state=dead`);
      const attempts = await page.locator('tr', { has: page.locator(`code[title="${a.id}"]`) }).locator('td').nth(3).innerText();
      expect(attempts).toMatch(/^2 attempts/);
      expect(attempts).not.toMatch(/^1\b/);
      await screenshots(page, 'deliveries-dead');
      expect(await overflowsSideways(page)).toBe(false);
    } finally {
      unregister();
    }
  });

  test("extensions: the audit log's listeners are named, and every position is within its hook's listeners", async () => {
    await page.goto(`${running.url}/admin/extensions`);
    const card = page.locator('#ext-audit-log');
    await card.locator('summary', { hasText: /Observes/ }).click();
    const text = await card.innerText();
    expect(text).not.toContain('anonymous');
    expect(text).toContain('recordToAuditLog');
    for (const m of text.matchAll(/position ([\d, ]+) of (\d+)/g)) {
      for (const p of m[1].split(', ')) expect(Number(p)).toBeLessThanOrEqual(Number(m[2]));
    }
    await screenshots(page, 'extensions-listeners');
    expect(consoleErrors).toEqual([]);
  });
});
