/**
 * The admin Charts page (issue 20 item 4) in Chromium: after real traffic (a rule's mail to a
 * real SMTP server, a webhook to a real receiver answering 500 then 200, extension listeners),
 * the deliveries, latency and outbox-depth charts render with uPlot and non-empty series, at
 * desktop and phone widths.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAMPLE_EXTENSIONS } from '../src/extensions';
import { adminLogin, launchChromium, SCREENSHOTS, VIEWPORTS, type Browser } from './browser-helpers';
import { ADMIN_PASSWORD, start, type Running } from './helpers';
import { startReceiver, startSmtp, type Receiver, type SmtpSink } from './plugin-helpers';

describe('admin Charts page in Chromium', () => {
  jest.setTimeout(60_000);
  let dir: string;
  let running: Running;
  let smtp: SmtpSink;
  let receiver: Receiver;
  let browser: Browser;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pb-charts-'));
    smtp = await startSmtp();
    receiver = await startReceiver(500);
    running = await start(join(dir, 'host.sqlite'), SAMPLE_EXTENSIONS, {
      webhookGuard: { allow: ['127.0.0.1'] },
      outbox: { pollIntervalMs: 20, backoff: { initialMs: 20, maxAttempts: 3, jitter: 0 } },
      charts: { intervalMs: 60_000 },
    });
    const token = await running.login('admin', ADMIN_PASSWORD);
    const post = async (path: string, body: unknown): Promise<void> => expect((await running.req('POST', path, { token, body })).status).toBe(201);
    await post('/api/smtp', { name: 'local', host: '127.0.0.1', port: smtp.port, sender: 'noreply@example.com', security: 'none' });
    await post('/api/rules', { name: 'tell ops', events: ['AccountCreated'], handlerModule: 'UserNotification', action: 'sendmail', options: { emailconfig: 'local', To: 'email', 'To email': 'ops@example.org', subject: 'New account' } });
    await post('/api/webhooks', { name: 'crm', url: `${receiver.url}/hooks`, events: ['AccountCreated'] });
    await post('/api/domains', { name: 'example.com' });
    await post('/api/accounts', { username: 'ann@example.com', password: 'correct horse' });
    await receiver.waitFor(1);
    receiver.status = 200;
    await Promise.all([receiver.waitFor(2), smtp.waitFor(1)]);
    await running.host.outbox.drain({ includeScheduled: true, timeoutMs: 15_000 });
    // A sample on demand sees the traffic since the first one, taken at start (the timer's next is a minute away).
    const point = await running.host.charts?.sample();
    expect(point).toMatchObject({ deliveredPerMin: expect.any(Number), failedPerMin: expect.any(Number) });
    expect(point?.failedPerMin).toBeGreaterThan(0);
    browser = await launchChromium(join(dir, 'profile'));
  });
  afterAll(async () => {
    await browser?.context.close();
    await running?.stop();
    await smtp?.close();
    await receiver?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  test('the chart data is for SuperAdmins only', async () => {
    const res = await fetch(`${running.url}/admin/charts/data`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toContain('/admin/login');
  });

  test('logs in, opens Charts from the navigation, and sees three uPlot charts with points at desktop and phone widths', async () => {
    const { page, consoleErrors } = browser;
    await adminLogin(page, running.url, '/admin/extensions', 'admin', ADMIN_PASSWORD);
    await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Charts' }).click();
    await page.waitForURL(/\/admin\/charts$/);
    await page.locator('[data-charts][data-state="ready"]').waitFor();
    for (const vp of VIEWPORTS) {
      await page.setViewportSize({ width: vp.width, height: vp.height });
      // The charts follow the width: wait for the resize to reach the canvases.
      await page.waitForFunction((w) => [...document.querySelectorAll('.chart canvas')].every((c) => c.getBoundingClientRect().right <= w), vp.width);
      for (const name of ['deliveries', 'latency', 'depth']) {
        const fig = page.locator(`[data-chart="${name}"]`);
        await expect(fig.locator('canvas').count()).resolves.toBe(1);
        const box = await fig.locator('canvas').boundingBox();
        expect(box?.width).toBeGreaterThan(150);
        expect(Number(await fig.getAttribute('data-points'))).toBeGreaterThan(0);
      }
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(vp.width);
      await page.screenshot({ path: join(SCREENSHOTS, `charts-${vp.label}.png`), fullPage: true });
    }
    expect(Number(await page.locator('[data-chart="latency"]').getAttribute('data-series'))).toBeGreaterThanOrEqual(2);
    expect(await page.locator('[data-chart="latency"] .u-legend').textContent()).toContain('audit-log p99');
    expect(await page.locator('[data-chart="deliveries"] .chart-summary').textContent()).toMatch(/^Last sample: /);
    expect(consoleErrors).toEqual([]);
  });
});
