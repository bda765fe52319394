import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium, SCREENSHOTS } from './chromium';

export { launchChromium, SCREENSHOTS };

/** A headless Chromium with its own profile, and the console errors (CSP, script errors) it reported. */
export interface Browser {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly consoleErrors: string[];
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
