import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
/** Where Chromium tests save their screenshots. */
export const SCREENSHOTS = join(__dirname, '..', 'test-output', 'screenshots');

/** A headless Chromium with its own profile, and the console errors (CSP, script errors) it reported. */
export interface Browser {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly consoleErrors: string[];
}

/** Launches Debian's Chromium; a missing browser is a failure that says how to fix it, never a skip. */
export async function launchChromium(profileDir: string): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: apt-get install -y chromium (.ci/run does). This test never downloads a browser and never skips.`);
  mkdirSync(SCREENSHOTS, { recursive: true });
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: 1280, height: 800 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  return { context, page, consoleErrors };
}

/** Logs in through the admin login form and lands on `next`. */
export async function adminLogin(page: Page, baseUrl: string, next: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/admin/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((u) => u.pathname === next);
}

/** The desktop and phone sizes every admin page is checked at. */
export const VIEWPORTS = [
  { label: '1280', width: 1280, height: 800 },
  { label: '390', width: 390, height: 844 },
] as const;
