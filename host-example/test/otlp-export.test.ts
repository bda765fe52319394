import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ADMIN_PASSWORD, tempDir } from './helpers';
import { startReceiver } from './plugin-helpers';

/*
 * A child process running the built host: the OTLP exporter loads its transport with a dynamic
 * import, which jest's module sandbox refuses, so the export is checked as a real process does it.
 */
const HOST_SCRIPT = `
const { createHost } = require(${JSON.stringify(join(__dirname, '..', 'dist', 'host.js'))});
(async () => {
  const host = await createHost({ dbFile: process.argv[1], port: 0, logger: 'silent', admin: { password: ${JSON.stringify(ADMIN_PASSWORD)} } });
  const url = await host.listen();
  const res = await fetch(url + '/api/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ${JSON.stringify(ADMIN_PASSWORD)} }) });
  if (res.status !== 200) throw new Error('login failed: ' + res.status);
  await host.close();
})().catch((e) => { console.error(e); process.exitCode = 1; });
`;

describe('the host exports traces over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set (npm run build first)', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('sends the spans of its hook calls to the collector, as plugboard-host, flushed when it closes', async () => {
    const collector = await startReceiver(200);
    try {
      const { OTEL_SERVICE_NAME: _name, ...env } = process.env;
      const child = spawn(process.execPath, ['-e', HOST_SCRIPT, join(tmp.dir, 'otlp.sqlite')], { env: { ...env, OTEL_EXPORTER_OTLP_ENDPOINT: collector.url }, stdio: ['ignore', 'inherit', 'inherit'] });
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).toBe(0);
      // The host flushed before close() resolved, so the export had arrived before the process exited.
      expect(collector.requests.length).toBeGreaterThan(0);
      const sent = collector.requests[0];
      expect([sent.method, sent.url]).toEqual(['POST', '/v1/traces']);
      const body = collector.requests.map((r) => r.body).join('');
      expect(body).toContain('plugboard-host');
      expect(body).toContain('hook UserLogin');
    } finally {
      await collector.close();
    }
  });
});
