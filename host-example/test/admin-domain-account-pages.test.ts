/**
 * The domains and accounts admin pages in Chromium (issue 17 item 6): an administrator adds,
 * searches, pages through, edits, disables and deletes domains and accounts; every action is the
 * API operation it stands for, so a pre rule refusing `POST /api/domains` refuses the page too,
 * naming the rule. Checked at desktop and phone widths, with screenshots kept.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SAMPLE_EXTENSIONS } from '../src/extensions';
import { adminLogin, launchChromium, VIEWPORTS, type Browser } from './browser-helpers';
import { overflowsSideways, screenshots } from './chromium';
import { ADMIN_PASSWORD, start, tempDir, type Running } from './helpers';

/** Neither width scrolls sideways; then the screenshots at both. */
async function checkWidths(page: Page, name: string): Promise<void> {
  for (const vp of VIEWPORTS) {
    await page.setViewportSize({ width: vp.width, height: vp.height });
    expect(await overflowsSideways(page)).toBe(false);
  }
  await screenshots(page, name);
}

describe('domains and accounts pages in Chromium', () => {
  jest.setTimeout(90_000);
  const tmp = tempDir();
  let running: Running;
  let token: string;
  let browser: Browser;
  let page: Page;
  const main = () => page.locator('main');
  const nav = () => page.getByRole('navigation', { name: 'Admin sections' });

  beforeAll(async () => {
    running = await start(join(tmp.dir, 'host.sqlite'), SAMPLE_EXTENSIONS);
    token = await running.login('admin', ADMIN_PASSWORD);
    browser = await launchChromium(join(tmp.dir, 'profile'));
    page = browser.page;
    // Delete buttons ask first (hx-confirm); the administrator says yes.
    page.on('dialog', (d) => void d.accept());
    await adminLogin(page, running.url, '/admin/domains', 'admin', ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await browser?.context.close();
    await running?.stop();
    tmp.cleanup();
  });
  afterEach(() => expect(browser.consoleErrors).toEqual([]));
  /** A refused form answers its 4xx status, which Chromium logs as a failed load: expected there, and only that. */
  const expectRefusedLoad = (status: number): void => {
    const i = browser.consoleErrors.findIndex((m) => m.includes(`status of ${status}`));
    expect(i).toBeGreaterThanOrEqual(0);
    browser.consoleErrors.splice(i, 1);
  };

  test('a domain is added, found, paged to, edited, disabled and deleted through the page', async () => {
    for (let i = 0; i < 21; i++) expect((await running.req('POST', '/api/domains', { token, body: { name: `bulk${String(i).padStart(2, '0')}.example` } })).status).toBe(201);
    await nav().getByRole('link', { name: 'Domains' }).click();
    await page.waitForURL(/\/admin\/domains$/);
    await page.getByRole('link', { name: 'Add a domain' }).click();
    await page.locator('#f-name').fill('shop.test');
    await page.locator('#f-quota').fill('2048');
    await page.locator('#domain-save').click();
    await main().getByText('Domain "shop.test" was added.').waitFor();
    expect(await running.host.repo.domainByName('shop.test')).toEqual(expect.objectContaining({ quota: 2048, enabled: true }));

    await page.getByRole('searchbox', { name: 'Search domains' }).fill('SHOP');
    await page.locator('#list-search').click();
    await page.waitForURL(/q=SHOP/);
    expect(await main().locator('tbody tr').count()).toBe(1);
    await checkWidths(page, 'admin-domains-search');

    await page.goto(`${running.url}/admin/domains?q=bulk`);
    expect(await main().locator('tbody tr').count()).toBe(20);
    await page.locator('#page-next').click();
    await page.waitForURL(/cursor=/);
    expect(await main().locator('tbody tr td[data-label="Domain"]').allTextContents()).toEqual(['bulk20.example']);
    await page.locator('#page-previous').click();
    await page.waitForURL((u) => !u.searchParams.has('cursor'));
    expect(await main().locator('tbody tr').count()).toBe(20);
    await checkWidths(page, 'admin-domains-list');

    await page.goto(`${running.url}/admin/domains?q=shop`);
    await main().getByRole('link', { name: 'Edit domain shop.test' }).click();
    await page.locator('#f-quota').fill('512');
    await checkWidths(page, 'admin-domain-edit');
    await page.locator('#domain-save').click();
    await main().getByText('Domain "shop.test" was saved.').waitFor();
    expect((await running.host.repo.domainByName('shop.test'))?.quota).toBe(512);

    const id = (await running.host.repo.domainByName('shop.test'))?.id;
    await page.goto(`${running.url}/admin/domains?q=shop`);
    await page.locator(`#domain-${id}-toggle`).click();
    await main().getByText('Domain "shop.test" is now disabled.').waitFor();
    expect((await running.host.repo.domainByName('shop.test'))?.enabled).toBe(false);
    await page.locator(`#domain-${id}-delete`).click();
    await main().getByText('Domain "shop.test" was deleted, with its mailboxes.').waitFor();
    expect(await running.host.repo.domainByName('shop.test')).toBeUndefined();
  });

  test('a pre rule refusing POST /api/domains refuses the page, which names the rule and keeps what was typed', async () => {
    const rule = await running.req('POST', '/api/rules', {
      token,
      body: { name: 'no reserved domains', position: 'pre', events: ['POST /api/domains'], handlerModule: 'HostPolicy', action: 'deny', options: { reason: 'reserved names are not hosted' }, conditions: { payload_match: 'name=^reserved\\.' } },
    });
    expect(rule.status).toBe(201);
    await page.goto(`${running.url}/admin/domains/new`);
    await page.locator('#f-name').fill('reserved.test');
    await page.locator('#domain-save').click();
    const summary = main().locator('#form-errors');
    await summary.waitFor();
    expect(await summary.textContent()).toMatch(/Rule "no reserved domains" \(id \d+\) aborted event "POST \/api\/domains": reserved names are not hosted/);
    expect(await page.locator('#f-name').inputValue()).toBe('reserved.test');
    expect(await running.host.repo.domainByName('reserved.test')).toBeUndefined();
    expectRefusedLoad(403);
    await checkWidths(page, 'admin-domain-refused-by-rule');
  });

  test('an account is added, refused with the field named, found, paged to, edited, given a new password (and refused one by a veto), disabled and deleted', async () => {
    expect((await running.req('POST', '/api/domains', { token, body: { name: 'people.test' } })).status).toBe(201);
    await nav().getByRole('link', { name: 'Accounts' }).click();
    await page.waitForURL(/\/admin\/accounts$/);
    await page.getByRole('link', { name: 'Add an account' }).click();
    await page.locator('#f-username').fill('ann@people.test');
    await page.locator('#f-password').fill('short');
    await page.locator('#f-firstName').fill('Ann');
    await page.locator('#account-save').click();
    await main().locator('[data-field="password"].invalid').waitFor();
    expect(await page.locator('#f-password').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#f-firstName').inputValue()).toBe('Ann');
    await checkWidths(page, 'admin-account-invalid');
    expectRefusedLoad(400);
    await page.locator('#f-password').fill('ann-password-1');
    await page.locator('#account-save').click();
    await main().getByText('Account "ann@people.test" was added.').waitFor();

    for (let i = 0; i < 20; i++) expect((await running.req('POST', '/api/accounts', { token, body: { username: `crowd${String(i).padStart(2, '0')}@people.test`, password: 'crowd-password-1' } })).status).toBe(201);
    await page.getByRole('searchbox', { name: 'Search accounts' }).fill('people.test');
    await page.locator('#list-search').click();
    await page.waitForURL(/q=people.test/);
    expect(await main().locator('tbody tr').count()).toBe(20);
    await page.locator('#page-next').click();
    await page.waitForURL(/cursor=/);
    expect(await main().locator('td[data-label="Username"]').allTextContents()).toEqual(['crowd19@people.test']);
    await checkWidths(page, 'admin-accounts-list');

    await page.goto(`${running.url}/admin/accounts?q=ann`);
    await main().getByRole('link', { name: 'Edit account ann@people.test' }).click();
    await page.locator('#f-lastName').fill('Lee');
    await page.locator('#f-mobile').fill('+49 170 1234567');
    await page.locator('#f-role').selectOption('DomainAdmins');
    await checkWidths(page, 'admin-account-edit');
    await page.locator('#account-save').click();
    await main().getByText('Account "ann@people.test" was saved.').waitFor();
    const ann = await running.host.repo.userByName('ann@people.test');
    expect(ann).toEqual(expect.objectContaining({ firstName: 'Ann', lastName: 'Lee', mobile: '+491701234567', role: 'DomainAdmins' }));

    await page.goto(`${running.url}/admin/accounts/${ann?.id}`);
    await page.locator('#f-newPassword').fill('ann-password-2');
    await page.locator('#password-save').click();
    await main().getByText('The password of "ann@people.test" was reset.').waitFor();
    await page.goto(`${running.url}/admin/accounts/${ann?.id}`);
    expect(await running.login('ann@people.test', 'ann-password-2')).toEqual(expect.any(String));
    // A veto (`PasswordChange`) refuses the page as it refuses the API, naming the extension.
    expect((await running.req('PUT', '/api/parameters/password_policy', { token, body: { min_age_minutes: 60 } })).status).toBe(200);
    await page.locator('#f-newPassword').fill('ann-password-3');
    await page.locator('#password-save').click();
    await main().locator('#form-errors').getByText(/Extension "password-policy" refused to change the password of "ann@people.test"/).waitFor();
    expectRefusedLoad(403);
    expect(await running.login('ann@people.test', 'ann-password-2')).toEqual(expect.any(String));

    await page.goto(`${running.url}/admin/accounts?q=ann`);
    await page.locator(`#account-${ann?.id}-toggle`).click();
    await main().getByText('Account "ann@people.test" is now disabled.').waitFor();
    expect((await running.host.repo.userByName('ann@people.test'))?.enabled).toBe(false);
    await page.locator(`#account-${ann?.id}-delete`).click();
    await main().getByText('Account "ann@people.test" was deleted, with its mailbox.').waitFor();
    expect(await running.host.repo.userByName('ann@people.test')).toBeUndefined();
  });
});
