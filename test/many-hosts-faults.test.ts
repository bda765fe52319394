/**
 * Three host processes on one PostgreSQL: 3,000 events through rules → UserNotification → a local
 * SMTP server, with one process SIGKILLed mid-delivery and the PostgreSQL server restarted mid-run.
 * The server is the test's own (initdb in a temp dir), so restarting it disturbs no other test.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { startMain, type Child } from '../host-example/test/main-process';
import { startSmtp, type SmtpSink } from '../host-example/test/plugin-helpers';
import { privatePostgres, type PrivatePostgres } from './support/private-postgres';

const EVENTS = 3000;
const PASSWORD = 'faults-admin-pass';
const SECRET_KEY = randomBytes(32).toString('base64');

interface Host {
  readonly name: string;
  readonly child: Child;
  readonly url: string;
  token: string;
  alive: boolean;
}

async function call(host: Host, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(host.url + path, {
    method,
    headers: { 'content-type': 'application/json', ...(host.token !== '' ? { authorization: `Bearer ${host.token}` } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function startHost(name: string, pg: PrivatePostgres): Promise<Host> {
  const child = startMain(['serve', '--port', '0'], {
    ADMIN_PASSWORD: PASSWORD,
    PLUGBOARD_DATABASE_URL: pg.url(name),
    // A message claimed by the killed process is delivered by another one after this lease. Not
    // shorter: the attempt limit is ⅔ of it, and a loaded machine must not time out healthy sends.
    PLUGBOARD_OUTBOX_LEASE_MS: '15000',
    PLUGBOARD_MODULE_ID: name,
    // Every host reads the secrets the others sealed.
    PLUGBOARD_SECRET_KEY: SECRET_KEY,
  });
  const [, url] = await child.line(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
  const host: Host = { name, child, url: url ?? '', token: '', alive: true };
  const login = await call(host, 'POST', '/api/login', { username: 'admin', password: PASSWORD });
  host.token = String(login.body.token);
  return host;
}

/** What the shared outbox holds, for a failure's message: messages per state and the last errors. */
async function outboxStates(pg: PrivatePostgres): Promise<string> {
  const client = new Client({ connectionString: pg.url('diagnosis') });
  await client.connect();
  try {
    const states = await client.query<{ state: string; n: string }>('SELECT state, count(*) AS n FROM outbox_messages GROUP BY state');
    const errors = await client.query<{ last_error: string | null; n: string }>("SELECT last_error, count(*) AS n FROM outbox_messages WHERE state <> 'delivered' GROUP BY last_error LIMIT 5");
    return JSON.stringify({ states: states.rows, errors: errors.rows });
  } finally {
    await client.end();
  }
}

/** The domain a mail is about (its subject names it). */
function domainOf(subject: string | undefined): string | undefined {
  return /domain (\S+)/.exec(subject ?? '')?.[1];
}

describe('three hosts on one PostgreSQL, with faults', () => {
  let pg: PrivatePostgres;
  let smtp: SmtpSink;
  const hosts: Host[] = [];
  beforeAll(async () => {
    [pg, smtp] = await Promise.all([privatePostgres(), startSmtp()]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(hosts.map((h) => h.child.stop()));
    await smtp.close();
    await pg.stop();
  }, 60_000);

  it('delivers a mail for every one of 3,000 events; the only duplicates are messages in flight at the SIGKILL, each with the same Message-ID', async () => {
    // The first start seeds the admin; the others find it.
    hosts.push(await startHost('h1', pg));
    hosts.push(...(await Promise.all(['h2', 'h3'].map((n) => startHost(n, pg)))));
    const [h1] = hosts as [Host, Host, Host];
    expect((await call(h1, 'POST', '/api/smtp', { name: 'local', host: '127.0.0.1', port: smtp.port, sender: 'noreply@example.test', security: 'none' })).status).toBe(201);
    const rule = await call(h1, 'POST', '/api/rules', {
      name: 'domain mail',
      events: ['DomainCreated'],
      handlerModule: 'UserNotification',
      action: 'sendmail',
      options: { emailconfig: 'local', To: 'email', 'To email': 'ops@example.test', subject: 'domain {domain.name}', body: 'created' },
    });
    expect(rule.status).toBe(201);
    // Each host uses the rule and the configuration written by h1 (no sleep: a probe per host).
    for (const h of hosts) expect((await call(h, 'POST', '/api/domains', { name: `probe-${h.name}.test` })).status).toBe(201);
    await smtp.waitFor(hosts.length);

    const names = Array.from({ length: EVENTS }, (_, i) => `d${String(i).padStart(4, '0')}.test`);
    const created = new Set<string>();
    // Created by a request whose answer was lost (its process was killed): the event may have died with it.
    const uncertain = new Set<string>();
    let killed = false;
    let restarted: Promise<void> | undefined;
    let next = 0;
    const worker = async (w: number): Promise<void> => {
      for (let i = next++; i < names.length; i = next++) {
        const name = names[i] as string;
        for (let attempt = 0; ; attempt++) {
          const live = hosts.filter((h) => h.alive);
          const host = live[(i + attempt + w) % live.length] as Host;
          try {
            const r = await call(host, 'POST', '/api/domains', { name });
            if (r.status === 201) break;
            if (r.status === 409 && attempt > 0) {
              uncertain.add(name);
              break;
            }
            if (r.status < 500) throw new Error(`POST /api/domains ${name} → ${r.status} ${JSON.stringify(r.body)}`);
          } catch (err) {
            if (err instanceof Error && err.message.startsWith('POST')) throw err;
          }
          if (attempt > 200) throw new Error(`domain ${name} could not be created`);
          await new Promise((r) => setTimeout(r, 50));
        }
        created.add(name);
        // Mid-delivery: after 800 mails, or (when a loaded machine delivers behind) once 1,200 domains exist.
        if (!killed && (smtp.received.length >= 800 || created.size >= 1200)) {
          killed = true;
          const victim = hosts[1] as Host;
          victim.alive = false;
          victim.child.proc.kill('SIGKILL');
        }
        if (restarted === undefined && created.size >= 1800) restarted = pg.restart();
      }
    };
    await Promise.all(Array.from({ length: 24 }, (_, w) => worker(w)));
    await restarted;
    expect(killed).toBe(true);

    const required = [...created].filter((n) => !uncertain.has(n));
    const mailed = (): Set<string> => new Set(smtp.received.map((m) => domainOf(m.subject)).filter((d): d is string => d !== undefined));
    const deadline = Date.now() + 180_000;
    while (required.some((n) => !mailed().has(n))) {
      if (Date.now() > deadline) throw new Error(`no mail for ${required.filter((n) => !mailed().has(n)).slice(0, 10).join(', ')}…; outbox: ${await outboxStates(pg)}`);
      await new Promise((r) => setTimeout(r, 200));
    }

    // A duplicate is the same message delivered twice: same Message-ID, same domain.
    const byId = new Map<string, string[]>();
    for (const m of smtp.received) byId.set(m.messageId ?? '', [...(byId.get(m.messageId ?? '') ?? []), domainOf(m.subject) ?? '']);
    const duplicates = [...byId].filter(([, domains]) => domains.length > 1);
    for (const [, domains] of duplicates) expect(new Set(domains).size).toBe(1);
    const idsPerDomain = new Map<string, Set<string>>();
    for (const [id, domains] of byId) for (const d of domains) idsPerDomain.set(d, (idsPerDomain.get(d) ?? new Set()).add(id));
    expect([...idsPerDomain].filter(([, ids]) => ids.size > 1)).toEqual([]);
    // In flight at the kill: at most what the killed process had claimed.
    expect(duplicates.length).toBeLessThanOrEqual(50);
    console.log(`3,000 events: ${smtp.received.length} mails, ${duplicates.length} duplicate(s), ${uncertain.size} request(s) cut by the kill`);
    // The survivors reconnected by themselves after the restart: they still serve.
    for (const h of hosts.filter((x) => x.alive)) expect((await call(h, 'GET', '/api/domains?limit=1')).status).toBe(200);
  }, 420_000);
});
