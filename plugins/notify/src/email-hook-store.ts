import { sealStored, type SecretBox } from '@plugboard/core';
import type { SqlDatabase } from '@plugboard/sql';
import type { Kysely } from 'kysely';
import { deleteRow, insertRow, loadRows, resealRows, updateRow } from './config-rows';
import { ConfigSnapshot, type Stored } from './config-snapshot';
import { fromRow } from './config-store';
import {
  maskEmailHookConfig,
  parseEmailHookConfig,
  type EmailHookConfig,
  type EmailHookConfigInput,
  type EmailHookConfigPatch,
} from './email-hook-config';
import { NotifyError } from './errors';
import type { ConfigRow, NotifyTables } from './notify-schema';
import { MASK } from './smtp-config';
import { openNotifyDatabase, openNotifyDatabaseSync, type NotifyDatabase, type OpenedDatabase } from './store-database';

/** Options of {@link EmailHookStore}. */
export interface EmailHookStoreOptions {
  /**
   * Where the hooks are kept: a `SqlDatabase` of either dialect, or on SQLite the host's
   * better-sqlite3 connection (shared with the outbox) or a file path.
   */
  readonly database: NotifyDatabase;
  /** Seals each stored hook (its credentials) with AES-256-GCM; rows written before are sealed on open. */
  readonly secrets?: SecretBox;
  /** SQLite: how often (ms) reads look for other connections' commits (default 1000). */
  readonly externalCheckMs?: number;
}

const TABLE = 'notify_email_hooks';

/**
 * Stored email hooks (table `notify_email_hooks`, SQLite or PostgreSQL): which eventhooks email
 * hook to build, the hook names that trigger it, its realms and its settings. Every write is
 * validated; listings mask the credentials (`***`), and an update that sends `***` back keeps the
 * stored secret. Reads are synchronous (from memory, reloaded when any process writes).
 *
 * @example
 * ```ts
 * const store = await EmailHookStore.open({ database: db });
 * await store.create({ name: 'welcome', kind: 'simple', events: ['AccountCreated'], settings: {
 *   host: 'smtp.example.org', credentials: 'user:password', sender: 'pb@example.org', recipients: 'ops@example.org' } });
 * store.list()[0].settings.credentials; // '***'
 * ```
 */
export class EmailHookStore {
  private readonly db: SqlDatabase;
  private readonly k: Kysely<NotifyTables>;
  private readonly listeners = new Set<(name: string) => void>();
  private readonly hooks: ConfigSnapshot<EmailHookConfig>;

  private constructor(
    private readonly opened: OpenedDatabase,
    private readonly box: SecretBox | undefined,
    externalCheckMs: number,
  ) {
    this.db = opened.db;
    this.k = opened.db.as<NotifyTables>();
    this.hooks = new ConfigSnapshot<EmailHookConfig>({
      db: this.db,
      table: TABLE,
      load: () => loadRows(this.k, TABLE),
      parse: (row) => this.open(row),
      changed: (name) => this.emit(name),
      externalCheckMs,
    });
  }

  /**
   * Opens the store on either dialect: migrates (scope `@plugboard/notify`), seals rows not
   * sealed with the current key, loads the hooks and follows other processes' writes.
   */
  static async open(options: EmailHookStoreOptions): Promise<EmailHookStore> {
    const store = new EmailHookStore(await openNotifyDatabase(options.database), options.secrets, options.externalCheckMs ?? 1000);
    try {
      await store.resealAll();
      await store.hooks.start();
    } catch (e) {
      await store.close();
      throw e;
    }
    return store;
  }

  /**
   * {@link open} synchronously, on SQLite only (inside a transaction of the host's connection,
   * what it writes is part of it).
   * @throws SqlError `PB_SQL_DIALECT` on PostgreSQL.
   */
  static openSync(options: EmailHookStoreOptions): EmailHookStore {
    const store = new EmailHookStore(openNotifyDatabaseSync(options.database), options.secrets, options.externalCheckMs ?? 1000);
    try {
      if (store.box !== undefined) store.db.transactSync(resealRows(store.k, [TABLE], store.box));
      store.hooks.startSync();
    } catch (e) {
      void store.close();
      throw e;
    }
    return store;
  }

  /** Seals every row not sealed with the current key (earlier plaintext, or the previous key); returns how many changed. */
  async resealAll(): Promise<number> {
    if (this.box === undefined) return 0;
    const changed = await this.db.transact(resealRows(this.k, [TABLE], this.box));
    if (changed > 0) await this.hooks.afterWrite();
    return changed;
  }

  /** Called with the hook's name after it was created, changed or deleted, in any process. */
  onChange(listener: (name: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Creates a stored email hook (credentials masked in the result); rejects with `PB_NOTIFY_CONFIG_EXISTS` if the name is taken. */
  async create(input: EmailHookConfigInput): Promise<Stored<EmailHookConfig>> {
    const config = parseEmailHookConfig(input);
    const now = new Date().toISOString();
    const row = { name: config.name, kind: config.kind, data: sealStored(this.box, JSON.stringify(config)), created_at: now, updated_at: now };
    if (!(await this.db.transact(insertRow(this.k, TABLE, row)))) {
      throw new NotifyError('PB_NOTIFY_CONFIG_EXISTS', `An email hook named "${config.name}" already exists; update it or choose another name.`);
    }
    await this.hooks.afterWrite();
    return masked({ ...config, createdAt: now, updatedAt: now, revision: 1 });
  }

  /**
   * Changes a stored email hook: `kind`, `events`, `realms` replace the stored ones, `settings`
   * fields are merged into them; `credentials: '***'` keeps the stored secret.
   */
  async update(name: string, patch: EmailHookConfigPatch): Promise<Stored<EmailHookConfig>> {
    const row = await this.db.transact(
      updateRow(this.k, this.db.dialect, TABLE, name, (currentRow) => {
        const config = merged(this.open(currentRow), name, patch);
        return { kind: config.kind, data: sealStored(this.box, JSON.stringify(config)) };
      }),
    );
    if (row === undefined) throw notFound(name);
    await this.hooks.afterWrite();
    return masked(this.open(row));
  }

  /** The stored hook with its credentials (for building it); throws `PB_NOTIFY_CONFIG_NOT_FOUND`. */
  get(name: string): Stored<EmailHookConfig> {
    const hook = this.hooks.get(name);
    if (hook === undefined) throw notFound(name);
    return hook;
  }

  /** The stored hook with its credentials masked; throws `PB_NOTIFY_CONFIG_NOT_FOUND`. */
  show(name: string): Stored<EmailHookConfig> {
    return masked(this.get(name));
  }

  /** Every stored hook, ordered by name, credentials masked. */
  list(): Stored<EmailHookConfig>[] {
    return this.all().map(masked);
  }

  /** Every stored hook with its credentials (for building them), ordered by name. */
  all(): Stored<EmailHookConfig>[] {
    return this.hooks.all();
  }

  /** Deletes a stored hook; true when it existed. Its queued mail stays in the outbox. */
  async delete(name: string): Promise<boolean> {
    const removed = await this.db.transact(deleteRow(this.k, TABLE, name));
    if (removed) await this.hooks.afterWrite();
    return removed;
  }

  /** Names of the stored hooks. */
  names(): string[] {
    return this.hooks.names();
  }

  /** Stops following other processes' writes and closes the database if the store opened it. */
  async close(): Promise<void> {
    await this.hooks.stop();
    if (this.opened.owned) await this.db.close();
  }

  private open(row: ConfigRow): Stored<EmailHookConfig> {
    return fromRow(row, parseEmailHookConfig, this.box, `Email hook "${row.name}"`);
  }

  private emit(name: string): void {
    for (const l of this.listeners) l(name);
  }
}

/** The hook an update makes of the stored one: settings merged, `credentials: '***'` kept, bookkeeping ignored. */
function merged(current: Stored<EmailHookConfig>, name: string, patch: EmailHookConfigPatch): EmailHookConfig {
  const { createdAt: _c, updatedAt: _u, revision: _r, ...base } = current;
  const { name: _n, createdAt: _pc, updatedAt: _pu, revision: _pr, ...changes } = patch as EmailHookConfigPatch & Record<string, unknown>;
  const settings: Record<string, unknown> = { ...base.settings, ...(changes.settings ?? {}) };
  if (settings.credentials === MASK) settings.credentials = current.settings.credentials;
  return parseEmailHookConfig({ ...base, ...changes, settings, name });
}

function masked(c: Stored<EmailHookConfig>): Stored<EmailHookConfig> {
  return { ...maskEmailHookConfig(c), createdAt: c.createdAt, updatedAt: c.updatedAt, revision: c.revision };
}

function notFound(name: string): NotifyError {
  return new NotifyError('PB_NOTIFY_CONFIG_NOT_FOUND', `No email hook named "${name}"; create it first or fix the name.`);
}
