import { extension, type ListenerContext } from '@plugboard/core';
import { inject } from 'inversify';
import { Database } from '../db';
import { ExtensionRoutes } from '../extension-routes';
import { HostBus } from '../host-bus';
import { hostHooks, type HostHookName } from '../hooks';

/** One line of the audit log. */
export interface AuditEntry {
  readonly id: number;
  readonly at: string;
  readonly hook: string;
  /** The hook's arguments as JSON (passwords redacted). */
  readonly args: unknown;
}

/** Every void (notify) hook of the catalogue, in seed order. */
export const VOID_HOOKS = (Object.keys(hostHooks) as HostHookName[]).filter((n) => hostHooks[n].spec.kind === 'notify');

/** `GET /api/ext/audit-log/entries?hook=&limit=`: the parameters the entries route takes. */
const AUDIT_QUERY = { type: 'object', properties: { hook: { type: 'string', minLength: 1 }, limit: { type: 'string', pattern: '^[0-9]{1,4}$' } }, additionalProperties: false } as const;

const SECRET_KEYS = new Set(['password', 'passwordHash', 'password_hash', 'token']);

/**
 * Records every void hook (all 30 notify hooks, including ones added to the catalogue
 * later) in its own SQLite table, and serves it at `GET /api/ext/audit-log/entries`
 * (SuperAdmins; `?hook=` and `?limit=` filter).
 *
 * Listeners are registered on the bus under the extension's own name rather than with
 * 30 `@observe` methods, so a new void hook is audited without touching this file;
 * enable/disable/unregister still apply to them as a whole.
 *
 * @example
 * ```ts
 * // curl -H "Authorization: Bearer $TOKEN" 'http://127.0.0.1:8080/api/ext/audit-log/entries?hook=DomainCreated'
 * ```
 */
@extension({ name: 'audit-log', version: '1.0.0', description: 'Logs every void hook to SQLite and serves the log through the API.' })
export class AuditLogExtension {
  constructor(@inject(Database) private readonly db: Database, @inject(HostBus) bus: HostBus, @inject(ExtensionRoutes) routes: ExtensionRoutes) {
    // SQLite only: an extension's own tables stay in the process's file (db.sql), also when the host's data is on PostgreSQL.
    db.migrate('audit-log', [
      {
        version: 1,
        name: 'audit_log table',
        up: 'CREATE TABLE audit_log (id INTEGER PRIMARY KEY, at TEXT NOT NULL, hook TEXT NOT NULL, args TEXT NOT NULL); CREATE INDEX audit_log_hook ON audit_log (hook, id);',
      },
    ]);
    const untyped = bus as unknown as { on(name: string, fn: (...a: unknown[]) => void, o: { extension: string }): void };
    for (const hook of VOID_HOOKS) {
      // A named function: the admin page and the hook plans label a listener by its function's name.
      const recordToAuditLog = (...args: unknown[]): void => this.record(hook, args.slice(0, -1), args[args.length - 1] as ListenerContext);
      untyped.on(hook, recordToAuditLog, { extension: 'audit-log' });
    }
    routes.add({ extension: 'audit-log', method: 'GET', path: '/entries', access: 'superadmin', query: AUDIT_QUERY, handler: ({ query }) => ({ entries: this.entries(query) }) });
  }

  private record(hook: string, args: unknown[], _ctx: ListenerContext): void {
    // UserLogin carries the clear-text password as its third argument: never store it.
    const safe = hook === 'UserLogin' ? [args[0], args[1], '[redacted]'] : args;
    const json = JSON.stringify(safe, (key, value: unknown) => (SECRET_KEYS.has(key) ? '[redacted]' : value));
    this.db.sql.prepare('INSERT INTO audit_log (at, hook, args) VALUES (?, ?, ?)').run(new Date().toISOString(), hook, json);
  }

  /** Latest entries first. */
  entries(filter: { hook?: unknown; limit?: unknown } = {}): AuditEntry[] {
    const limit = Math.min(Math.max(Number(filter.limit ?? 100) || 100, 1), 1000);
    const rows = (
      typeof filter.hook === 'string'
        ? this.db.sql.prepare('SELECT * FROM audit_log WHERE hook = ? ORDER BY id DESC LIMIT ?').all(filter.hook, limit)
        : this.db.sql.prepare('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?').all(limit)
    ) as { id: number; at: string; hook: string; args: string }[];
    return rows.map((r) => ({ id: r.id, at: r.at, hook: r.hook, args: JSON.parse(r.args) as unknown }));
  }
}
