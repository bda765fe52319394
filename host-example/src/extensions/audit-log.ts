import { extension, type ListenerContext } from '@plugboard/core';
import { all, exec, param, prepareFor, type SqlMigration } from '@plugboard/sql';
import { inject } from 'inversify';
import type { Generated, Kysely } from 'kysely';
import type { Logger } from 'pino';
import { Database } from '../db';
import { ExtensionRoutes, LOGGER } from '../extension-routes';
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

interface AuditTables {
  audit_log: { id: Generated<number>; at: string; hook: string; args: string };
}

/**
 * The audit log's table on either dialect (scope `audit-log` of `plugboard_migrations`). `IF NOT
 * EXISTS`, as the old SQLite runner made it (`schema_migrations`, audit-log v1): such a file keeps
 * its table and rows.
 */
export const AUDIT_LOG_SCHEMA: readonly SqlMigration[] = [
  {
    name: '0001_audit_log',
    statements: (k, dialect) => [
      k.schema
        .createTable('audit_log')
        .ifNotExists()
        .addColumn('id', 'integer', (c) => (dialect === 'postgres' ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey()))
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('hook', 'text', (c) => c.notNull())
        .addColumn('args', 'text', (c) => c.notNull()),
      k.schema.createIndex('audit_log_hook').ifNotExists().on('audit_log').columns(['hook', 'id']),
    ],
  },
];

/** Every void (notify) hook of the catalogue, in seed order. */
export const VOID_HOOKS = (Object.keys(hostHooks) as HostHookName[]).filter((n) => hostHooks[n].spec.kind === 'notify');

/** `GET /api/ext/audit-log/entries?hook=&limit=`: the parameters the entries route takes. */
const AUDIT_QUERY = { type: 'object', properties: { hook: { type: 'string', minLength: 1 }, limit: { type: 'string', pattern: '^[0-9]{1,4}$' } }, additionalProperties: false } as const;

const SECRET_KEYS = new Set(['password', 'passwordHash', 'password_hash', 'token']);

// Every void hook inserts: compiled once per database.
const insertEntry = prepareFor((k: Kysely<AuditTables>) => k.insertInto('audit_log').values({ at: param<string>('at'), hook: param<string>('hook'), args: param<string>('args') }));

/**
 * Records every void hook (all 30 notify hooks, including ones added to the catalogue
 * later) in its own table on the host's store (SQLite, or the PostgreSQL every host shares, so
 * hosts on one database keep one log), and serves it at `GET /api/ext/audit-log/entries`
 * (SuperAdmins; `?hook=` and `?limit=` filter; latest first).
 *
 * The table is migrated in `onEnable`, which the manager awaits before it turns the listeners on,
 * so no call is recorded before the table exists. Each listener returns its insert: the bus awaits
 * it within the listener's time limit, and a failed insert is logged (`PB_LISTENER_FAILED`, hook
 * and extension named) and counted in the extension's health while the operation goes on.
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
@extension({ name: 'audit-log', version: '1.0.0', description: "Logs every void hook to the host's database and serves the log through the API." })
export class AuditLogExtension {
  private readonly k: Kysely<AuditTables>;
  private schema?: Promise<unknown>;
  /** The last insert: each waits for it, so ids follow the order of the calls on both dialects. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    @inject(Database) private readonly db: Database,
    @inject(HostBus) bus: HostBus,
    @inject(ExtensionRoutes) routes: ExtensionRoutes,
    @inject(LOGGER) private readonly logger: Logger,
  ) {
    this.k = db.store.as<AuditTables>();
    const untyped = bus as unknown as { on(name: string, fn: (...a: unknown[]) => Promise<void>, o: { extension: string }): void };
    for (const hook of VOID_HOOKS) {
      // A named function: the admin page and the hook plans label a listener by its function's name.
      const recordToAuditLog = (...args: unknown[]): Promise<void> => this.record(hook, args.slice(0, -1), args[args.length - 1] as ListenerContext);
      untyped.on(hook, recordToAuditLog, { extension: 'audit-log' });
    }
    routes.add({ extension: 'audit-log', method: 'GET', path: '/entries', access: 'superadmin', query: AUDIT_QUERY, handler: async ({ query }) => ({ entries: await this.entries(query) }) });
  }

  /** Creates (or adopts) the table; the manager runs it before any listener of this extension. */
  async onEnable(): Promise<void> {
    await this.ready();
  }

  private ready(): Promise<unknown> {
    // Once per process; a failed migration is tried again at the next enable.
    this.schema ??= this.db.migrate('audit-log', AUDIT_LOG_SCHEMA).catch((e: unknown) => {
      this.schema = undefined;
      throw e;
    });
    return this.schema;
  }

  private record(hook: string, args: unknown[], ctx: ListenerContext): Promise<void> {
    // UserLogin carries the clear-text password as its third argument: never store it.
    const safe = hook === 'UserLogin' ? [args[0], args[1], '[redacted]'] : args;
    const json = JSON.stringify(safe, (key, value: unknown) => (SECRET_KEYS.has(key) ? '[redacted]' : value));
    const entry = { at: new Date().toISOString(), hook, args: json };
    const write = this.tail.then(() => this.db.store.run(exec(insertEntry(this.k, entry))));
    this.tail = write.catch(() => undefined);
    return write.then(
      () => undefined,
      (err: unknown) => {
        // Past its time limit the bus no longer waits for this listener (it logged the timeout): say here that the entry is lost.
        if (ctx.signal.aborted) this.logger.error({ err, extension: 'audit-log', hook }, `The audit log could not record ${hook} after its time limit; that entry is lost.`);
        throw err;
      },
    );
  }

  /** Latest entries first (this process's inserts in flight included). */
  async entries(filter: { hook?: unknown; limit?: unknown } = {}): Promise<AuditEntry[]> {
    const limit = Math.min(Math.max(Number(filter.limit ?? 100) || 100, 1), 1000);
    await this.ready();
    await this.tail;
    let query = this.k.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(limit);
    if (typeof filter.hook === 'string') query = query.where('hook', '=', filter.hook);
    const rows = await this.db.store.run(all(query));
    return rows.map((r) => ({ id: Number(r.id), at: r.at, hook: r.hook, args: JSON.parse(r.args) as unknown }));
  }
}
