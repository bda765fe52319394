import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { buildCli } from '../src/cli';
import { tempDir } from './helpers';
import { startMain, type Child } from './main-process';
import { waitFor } from './plugin-helpers';

describe('across processes through Redis', () => {
  const tmp = tempDir();
  const id = `pbt-${randomUUID().slice(0, 8)}`;
  const children: Child[] = [];
  afterAll(async () => {
    await Promise.all(children.map((c) => c.stop()));
    tmp.cleanup();
  });

  it('a worker process observes AccountCreated raised by the API process and runs its step script; `signal` reaches it too', async () => {
    const db = join(tmp.dir, 'api.sqlite');
    const seen = join(tmp.dir, 'seen.log');
    const base = join(tmp.dir, 'worker');
    for (const event of ['account-created', 'user-greeted']) {
      mkdirSync(join(base, 'events', event), { recursive: true });
      const step = join(base, 'events', event, '10record');
      writeFileSync(step, `#!/bin/sh\nprintf '%s %s %s\\n' "$AGENT_EVENT_NAME" "$AGENT_EVENT_SOURCE" "$(cat)" >> "${seen}"\n`);
      chmodSync(step, 0o755);
    }
    const common = { ADMIN_PASSWORD: 'cross-admin-pass', PLUGBOARD_REDIS_URL: 'redis://127.0.0.1:6379', PLUGBOARD_REDIS_PATTERN: `module/${id}-*/event/*` };

    // Both start at once (each on its own database, so neither waits for the other's first-start seeding).
    const api = startMain(['--db', db, 'serve', '--port', '0'], { ...common, PLUGBOARD_MODULE_ID: `${id}-api` });
    const worker = startMain(['--db', join(tmp.dir, 'worker.sqlite'), 'worker'], { ...common, PLUGBOARD_MODULE_ID: `${id}-worker`, PLUGBOARD_EVENTS_DIR: base });
    children.push(api, worker);
    const [[, url]] = await Promise.all([api.line(/listening on (http:\/\/127\.0\.0\.1:\d+)/), worker.line(/observing Redis events/)]);

    const call = async (path: string, body: unknown, token?: string): Promise<{ status: number; body: { token?: string } }> => {
      const res = await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as { token?: string } };
    };
    const { body } = await call('/api/login', { username: 'admin', password: 'cross-admin-pass' });
    expect((await call('/api/domains', { name: 'cross.test' }, body.token)).status).toBe(201);
    expect((await call('/api/accounts', { username: 'zoe@cross.test', password: 'correct horse' }, body.token)).status).toBe(201);

    const line = await waitFor(() => (existsSync(seen) ? readFileSync(seen, 'utf8').split('\n').find((l) => l.includes('zoe@cross.test')) : undefined), 15_000, 'the worker step script');
    expect(line).toMatch(new RegExp(`^account-created module/${id}-api \\{`));
    expect(JSON.parse(line.slice(line.indexOf('{'))).account).toEqual(expect.objectContaining({ username: 'zoe@cross.test', role: 'SimpleUsers' }));

    // `signal` publishes exactly like redis-cli PUBLISH; an event with no local hook goes straight to the step scripts.
    const printed: string[] = [];
    await buildCli({ out: (l) => printed.push(l), env: { PLUGBOARD_REDIS_URL: 'redis://127.0.0.1:6379' } }).parseAsync(['node', 'main', 'signal', `${id}-api`, 'user-greeted', '{"name":"zoe"}']);
    expect(Number(printed[0])).toBeGreaterThanOrEqual(1);
    await waitFor(() => (existsSync(seen) ? readFileSync(seen, 'utf8').includes(`user-greeted module/${id}-api {"name":"zoe"}`) : false), 15_000, 'the signalled event');

    // The worker serves no HTTP: it seeds no administrator and prints no password.
    expect(worker.output()).not.toContain('password:');
    const workerDb = new BetterSqlite3(join(tmp.dir, 'worker.sqlite'), { readonly: true });
    try {
      expect(workerDb.prepare('SELECT COUNT(*) AS n FROM users').get()).toEqual({ n: 0 });
    } finally {
      workerDb.close();
    }
  }, 120_000);
});
