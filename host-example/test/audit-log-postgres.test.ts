/**
 * The audit-log extension on PostgreSQL (issue 19): its table is migrated through the shared
 * migrator on the host's store, so two hosts on one database keep one log, in the same order; a
 * failed insert is logged and counted while the operation goes on, and a stuck one never holds
 * the host past the listener's time limit.
 */
import pino from 'pino';
import { AuditLogExtension, type AuditEntry } from '../src/extensions/audit-log';
import type { HostOptions } from '../src/host';
import { ADMIN_PASSWORD, type Running } from './helpers';
import { pgHosts } from './pg-hosts';

type LogLine = { level: number; msg: string; extension?: string; hook?: string; err?: { code?: string; message?: string } };

describe('the audit log on PostgreSQL', () => {
  jest.setTimeout(60_000);
  const { pg, host: startHost } = pgHosts('audit-pg');
  /** A host on the test database with the audit log, its error log lines kept in `logs`. */
  const host = async (name: string, logs: LogLine[] = [], extra: Partial<HostOptions> = {}): Promise<Running> => {
    const logger = pino({ level: 'warn' }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
    return startHost(name, [AuditLogExtension], { logger, ...extra });
  };
  const entries = async (run: Running, token: string, query = ''): Promise<AuditEntry[]> => (await run.req('GET', `/api/ext/audit-log/entries${query}`, { token })).body.entries as AuditEntry[];

  it('keeps one log for two hosts on one database, latest first, the same through either host', async () => {
    const a = await host('audit-a');
    const b = await host('audit-b');
    const ta = await a.login('admin', ADMIN_PASSWORD);
    expect((await a.req('POST', '/api/domains', { token: ta, body: { name: 'from-a.test' } })).status).toBe(201);
    const tb = await b.login('admin', ADMIN_PASSWORD);
    expect((await b.req('POST', '/api/domains', { token: tb, body: { name: 'from-b.test' } })).status).toBe(201);
    expect((await a.req('POST', '/api/accounts', { token: ta, body: { username: 'ann@from-b.test', password: 'password-ann-1' } })).status).toBe(201);

    const fromA = await entries(a, ta);
    expect(fromA.map((e) => e.hook).reverse()).toEqual(['ExtEnabled', 'ExtEnabled', 'UserLogin', 'DomainCreated', 'UserLogin', 'DomainCreated', 'AccountCreated', 'MailboxCreated']);
    expect(await entries(b, tb)).toEqual(fromA);
    expect((await entries(b, tb, '?hook=DomainCreated')).map((e) => (e.args as { name: string }[])[1]?.name)).toEqual(['from-b.test', 'from-a.test']);
    expect(fromA.find((e) => e.hook === 'UserLogin')?.args).toEqual([expect.objectContaining({ ip: '127.0.0.1' }), 'admin', '[redacted]']);

    // Migrated once, through the shared migrator; nothing of it in either host's SQLite file.
    const { rows } = await pg().admin.query<{ name: string }>("SELECT name FROM plugboard_migrations WHERE scope = 'audit-log'");
    expect(rows.map((r) => r.name)).toEqual(['0001_audit_log']);
    for (const run of [a, b]) expect(run.host.db.sql.prepare("SELECT name FROM sqlite_master WHERE name = 'audit_log'").get()).toBeUndefined();
  });

  it('logs a failed insert naming the hook, counts it in the health figures, and lets the operation succeed', async () => {
    const logs: LogLine[] = [];
    const run = await host('audit-broken', logs);
    const token = await run.login('admin', ADMIN_PASSWORD);
    await pg().admin.query('ALTER TABLE audit_log RENAME TO audit_log_away');
    try {
      expect((await run.req('POST', '/api/domains', { token, body: { name: 'unlogged.test' } })).status).toBe(201);
    } finally {
      await pg().admin.query('ALTER TABLE audit_log_away RENAME TO audit_log');
    }
    const failed = logs.filter((l) => l.level >= 50 && l.extension === 'audit-log');
    expect(failed).toEqual([expect.objectContaining({ hook: 'DomainCreated', err: expect.objectContaining({ code: 'PB_LISTENER_FAILED' }) })]);
    expect(failed[0]?.msg).toMatch(/Extension "audit-log" failed in hook "DomainCreated": .*audit_log/);
    expect((await run.host.health.figures()).get('audit-log')).toMatchObject({ errors: 1, lastError: { hook: 'DomainCreated', code: 'PB_LISTENER_FAILED' } });
    // The log goes on with the next call.
    expect((await run.req('POST', '/api/domains', { token, body: { name: 'logged.test' } })).status).toBe(201);
    expect((await entries(run, token, '?hook=DomainCreated')).map((e) => (e.args as { name: string }[])[1]?.name)).toContain('logged.test');
  });

  it('does not hold an operation past the time limit while the table is locked, and writes the entry once it is free', async () => {
    const logs: LogLine[] = [];
    const run = await host('audit-locked', logs, { limits: { extensions: { 'audit-log': 300 } } });
    const token = await run.login('admin', ADMIN_PASSWORD);
    await pg().admin.query('BEGIN');
    await pg().admin.query('LOCK TABLE audit_log IN ACCESS EXCLUSIVE MODE');
    const started = Date.now();
    try {
      expect((await run.req('POST', '/api/domains', { token, body: { name: 'late.test' } })).status).toBe(201);
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await pg().admin.query('COMMIT');
    }
    expect(logs.filter((l) => l.extension === 'audit-log')).toContainEqual(expect.objectContaining({ hook: 'DomainCreated', err: expect.objectContaining({ code: 'PB_LISTENER_TIMEOUT' }) }));
    // entries() waits for this process's inserts in flight: the late one is there.
    const log = run.host.manager.instance<AuditLogExtension>('audit-log');
    expect((await log?.entries({ hook: 'DomainCreated' }))?.some((e) => (e.args as { name: string }[])[1]?.name === 'late.test')).toBe(true);
  });
});
