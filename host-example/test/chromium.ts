import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium: never a downloaded browser. */
export const CHROMIUM = '/usr/bin/chromium';
/** Where Chromium tests keep their screenshots. */
export const SCREENSHOTS = join(__dirname, '..', 'test-output', 'screenshots');

/**
 * A headless Chromium with a persistent profile in `dir`; a missing browser is a failure that
 * says how to fix it, never a skip. Console errors and page errors are collected.
 */
export async function launchChromium(dir: string): Promise<{ context: BrowserContext; page: Page; consoleErrors: string[] }> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is missing at ${CHROMIUM}: install Debian's package (apt-get install -y chromium; .ci/run does). This test never downloads a browser and never skips.`);
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  const context = await chromium.launchPersistentContext(join(dir, 'profile'), {
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

/** Screenshots of the page at desktop (1280×800) and phone (390×844, full page) widths; back to desktop after. */
export async function screenshots(page: Page, name: string): Promise<void> {
  for (const [label, size] of [
    ['1280', { width: 1280, height: 800 }],
    ['390', { width: 390, height: 844 }],
  ] as const) {
    await page.setViewportSize(size);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${label}.png`), fullPage: label === '390' });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

/** Whether the page scrolls sideways (content wider than the viewport). */
export function overflowsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
    return root.scrollWidth > root.clientWidth + 1;
  });
}
