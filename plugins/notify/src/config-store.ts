import { openStored, sealStored, type SecretBox } from '@plugboard/core';
import type { SqlDatabase } from '@plugboard/sql';
import type { Kysely } from 'kysely';
import { deleteRow, insertRow, loadRows, resealRows, updateRow, type ConfigTable } from './config-rows';
import { maskSms, maskSmtp, mergeSms, mergeSmtp } from './config-merge';
import { ConfigSnapshot, type Stored } from './config-snapshot';
import { NotifyError } from './errors';
import type { ConfigRow, NotifyTables } from './notify-schema';
import { parseSmsGatewayConfig, type SmsGatewayConfig, type SmsGatewayConfigInput } from './sms-gateway-config';
import { parseSmtpConfig, type SmtpConfig, type SmtpConfigInput } from './smtp-config';
import { openNotifyDatabase, openNotifyDatabaseSync, type NotifyDatabase, type OpenedDatabase } from './store-database';

export type { Stored } from './config-snapshot';

/** Options of {@link NotifyConfigStore}. */
export interface NotifyConfigStoreOptions {
  /**
   * Where the configurations are kept: a `SqlDatabase` of either dialect, or on SQLite the host's
   * better-sqlite3 connection (shared with rules and outbox) or a file path.
   */
  readonly database: NotifyDatabase;
  /**
   * SQLite: how often (ms) reads look for changes committed by other connections or processes,
   * e.g. a CLI (default 1000; 0 = on every read). Writes through any store on this connection
   * are seen at once. On PostgreSQL every process's writes arrive as notifications instead.
   */
  readonly externalCheckMs?: number;
  /**
   * Seals each stored configuration (its password, gateway URL, parameters and headers) with
   * AES-256-GCM; rows written before are sealed on open. Without it they are stored as given.
   */
  readonly secrets?: SecretBox;
}

type Kind = 'smtp' | 'sms';

const TABLES: Readonly<Record<Kind, ConfigTable>> = { smtp: 'notify_smtp_config', sms: 'notify_sms_gateway' };
const LABEL: Readonly<Record<Kind, string>> = { smtp: 'SMTP configuration', sms: 'SMS gateway configuration' };

/**
 * Named SMTP and SMS gateway configurations, in the tables `notify_smtp_config` and
 * `notify_sms_gateway` of SQLite or PostgreSQL. Every write is validated; listings mask secrets
 * (`***`), and an update that sends a masked value back keeps the stored secret, so a UI can
 * round-trip what it listed. Reads are synchronous (served from memory, reloaded when any
 * process writes); writes resolve once this process reads them back.
 *
 * @example
 * ```ts
 * const store = await NotifyConfigStore.open({ database: process.env.PLUGBOARD_DATABASE_URL ?? 'data/app.db' });
 * await store.createSmtp({ name: 'relay', host: '127.0.0.1', port: 2525, sender: 'pb@example.org', security: 'none' });
 * store.listSmtp(); // [{ name: 'relay', password: '', … }]
 * ```
 */
export class NotifyConfigStore {
  private readonly db: SqlDatabase;
  private readonly k: Kysely<NotifyTables>;
  private readonly listeners = new Set<(kind: Kind, name: string) => void>();
  private readonly smtp: ConfigSnapshot<SmtpConfig>;
  private readonly sms: ConfigSnapshot<SmsGatewayConfig>;

  private constructor(
    private readonly opened: OpenedDatabase,
    private readonly box: SecretBox | undefined,
    externalCheckMs: number,
  ) {
    this.db = opened.db;
    this.k = opened.db.as<NotifyTables>();
    const snapshot = <V>(kind: Kind, parse: (raw: unknown) => V): ConfigSnapshot<V> =>
      new ConfigSnapshot<V>({
        db: this.db,
        table: TABLES[kind],
        load: () => loadRows(this.k, TABLES[kind]),
        parse: (row) => fromRow(row, parse, this.box, `${LABEL[kind]} "${row.name}"`),
        changed: (name) => this.emit(kind, name),
        externalCheckMs,
      });
    this.smtp = snapshot('smtp', parseSmtpConfig);
    this.sms = snapshot('sms', parseSmsGatewayConfig);
  }

  /**
   * Opens the store on either dialect: migrates its tables (scope `@plugboard/notify`), seals
   * rows not sealed with the current key, loads the configurations and follows other processes' writes.
   * @throws NotifyError `PB_NOTIFY_INVALID_CONFIG` for a bad `externalCheckMs`; SqlError when the database fails.
   */
  static async open(options: NotifyConfigStoreOptions): Promise<NotifyConfigStore> {
    const checkMs = externalCheckMsOf(options);
    const opened = await openNotifyDatabase(options.database);
    const store = new NotifyConfigStore(opened, options.secrets, checkMs);
    try {
      await store.resealAll();
      await store.smtp.start();
      await store.sms.start();
    } catch (e) {
      await store.close();
      throw e;
    }
    return store;
  }

  /**
   * {@link open} synchronously, on SQLite only (sync constructors, or inside a transaction of the
   * host's connection: everything it writes is part of it).
   * @throws SqlError `PB_SQL_DIALECT` on PostgreSQL.
   */
  static openSync(options: NotifyConfigStoreOptions): NotifyConfigStore {
    const checkMs = externalCheckMsOf(options);
    const store = new NotifyConfigStore(openNotifyDatabaseSync(options.database), options.secrets, checkMs);
    try {
      if (store.box !== undefined) store.db.transactSync(resealRows(store.k, Object.values(TABLES), store.box));
      store.smtp.startSync();
      store.sms.startSync();
    } catch (e) {
      void store.close();
      throw e;
    }
    return store;
  }

  /**
   * Makes the next read look for changes from other connections now instead of after
   * `externalCheckMs` (SQLite), e.g. when a CLI reports that it changed a configuration.
   *
   * @example
   * ```ts
   * // another process (a CLI, say) changed the host of "relay" a moment ago:
   * store.invalidate();
   * store.getSmtp('relay').host; // 'b.example.org'
   * ```
   */
  invalidate(): void {
    this.smtp.invalidate();
    this.sms.invalidate();
  }

  /** Called with (kind, name) after a configuration changed or was deleted, in any process (transport caches listen). */
  onChange(listener: (kind: 'smtp' | 'sms', name: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Seals every row not sealed with the current key (plaintext from earlier releases, or the
   * previous key after a rotation), in one transaction; returns how many rows changed.
   */
  async resealAll(): Promise<number> {
    if (this.box === undefined) return 0;
    const changed = await this.db.transact(resealRows(this.k, Object.values(TABLES), this.box));
    if (changed > 0) await Promise.all([this.smtp.afterWrite(), this.sms.afterWrite()]);
    return changed;
  }

  // ---- SMTP ---------------------------------------------------------------------------

  /** Creates a named SMTP configuration; rejects with `PB_NOTIFY_CONFIG_EXISTS` if the name is taken. */
  async createSmtp(input: SmtpConfigInput): Promise<Stored<SmtpConfig>> {
    return maskSmtp(await this.insert('smtp', parseSmtpConfig(input)));
  }

  /** Replaces fields of an SMTP configuration; `password: '***'` keeps the stored password. */
  async updateSmtp(name: string, patch: Partial<Omit<SmtpConfigInput, 'name'>>): Promise<Stored<SmtpConfig>> {
    return maskSmtp(await this.replace('smtp', name, (row) => parseSmtpConfig(mergeSmtp(this.open(row, 'smtp', parseSmtpConfig), name, patch)), parseSmtpConfig));
  }

  /** The configuration with its secret (for delivery); throws `PB_NOTIFY_CONFIG_NOT_FOUND`. */
  getSmtp(name: string): Stored<SmtpConfig> {
    return this.smtp.get(name) ?? throwNotFound('smtp', name);
  }

  /** All SMTP configurations, ordered by name, with passwords masked. */
  listSmtp(): Stored<SmtpConfig>[] {
    return this.smtp.all().map(maskSmtp);
  }

  /** Deletes an SMTP configuration; true when it existed. */
  async deleteSmtp(name: string): Promise<boolean> {
    return this.remove('smtp', name);
  }

  // ---- SMS ----------------------------------------------------------------------------

  /** Creates a named SMS gateway configuration; rejects with `PB_NOTIFY_CONFIG_EXISTS` if the name is taken. */
  async createSms(input: SmsGatewayConfigInput): Promise<Stored<SmsGatewayConfig>> {
    return maskSms(await this.insert('sms', parseSmsGatewayConfig(input)));
  }

  /** Replaces fields of an SMS gateway configuration; masked (`***`) parameter/header values keep the stored ones. */
  async updateSms(name: string, patch: Partial<Omit<SmsGatewayConfigInput, 'name'>>): Promise<Stored<SmsGatewayConfig>> {
    return maskSms(await this.replace('sms', name, (row) => parseSmsGatewayConfig(mergeSms(this.open(row, 'sms', parseSmsGatewayConfig), name, patch)), parseSmsGatewayConfig));
  }

  /** The configuration with its secrets (for delivery); throws `PB_NOTIFY_CONFIG_NOT_FOUND`. */
  getSms(name: string): Stored<SmsGatewayConfig> {
    return this.sms.get(name) ?? throwNotFound('sms', name);
  }

  /** All SMS gateway configurations, ordered by name, with secrets masked. */
  listSms(): Stored<SmsGatewayConfig>[] {
    return this.sms.all().map(maskSms);
  }

  /** Deletes an SMS gateway configuration; true when it existed. */
  async deleteSms(name: string): Promise<boolean> {
    return this.remove('sms', name);
  }

  /** Names of the stored configurations of one kind (for option value lists). */
  names(kind: 'smtp' | 'sms'): string[] {
    return this[kind].names();
  }

  /** Stops following other processes' writes and closes the database if the store opened it. */
  async close(): Promise<void> {
    await this.smtp.stop();
    await this.sms.stop();
    if (this.opened.owned) await this.db.close();
  }

  // ---- internals ----------------------------------------------------------------------

  private async insert<T extends { name: string }>(kind: Kind, config: T): Promise<Stored<T>> {
    const now = new Date().toISOString();
    const row = { name: config.name, data: sealStored(this.box, JSON.stringify(config)), created_at: now, updated_at: now };
    if (!(await this.db.transact(insertRow(this.k, TABLES[kind], row)))) {
      throw new NotifyError('PB_NOTIFY_CONFIG_EXISTS', `An ${LABEL[kind]} named "${config.name}" already exists; update it or choose another name.`);
    }
    await this[kind].afterWrite();
    return { ...config, createdAt: now, updatedAt: now, revision: 1 };
  }

  private async replace<T extends { name: string }>(kind: Kind, name: string, next: (row: ConfigRow) => T, parse: (raw: unknown) => T): Promise<Stored<T>> {
    const row = await this.db.transact(updateRow(this.k, this.db.dialect, TABLES[kind], name, (current) => ({ data: sealStored(this.box, JSON.stringify(next(current))) })));
    if (row === undefined) throwNotFound(kind, name);
    await this[kind].afterWrite();
    return this.open(row, kind, parse);
  }

  private open<T>(row: ConfigRow, kind: Kind, parse: (raw: unknown) => T): Stored<T> {
    return fromRow(row, parse, this.box, `${LABEL[kind]} "${row.name}"`);
  }

  private async remove(kind: Kind, name: string): Promise<boolean> {
    const removed = await this.db.transact(deleteRow(this.k, TABLES[kind], name));
    if (removed) await this[kind].afterWrite();
    return removed;
  }

  private emit(kind: Kind, name: string): void {
    for (const l of this.listeners) l(kind, name);
  }
}

function externalCheckMsOf(options: NotifyConfigStoreOptions): number {
  const ms = options.externalCheckMs ?? 1000;
  if (!(Number.isFinite(ms) && ms >= 0)) {
    throw new NotifyError('PB_NOTIFY_INVALID_CONFIG', `externalCheckMs must be a finite number ≥ 0 (got ${String(ms)}).`);
  }
  return ms;
}

/** A row's configuration: opened (sealed rows), parsed and validated, with its bookkeeping. */
export function fromRow<T>(row: ConfigRow, parse: (raw: unknown) => T, box: SecretBox | undefined, what: string): Stored<T> {
  return { ...parse(JSON.parse(openStored(box, row.data, what))), createdAt: row.created_at, updatedAt: row.updated_at, revision: row.revision };
}

function throwNotFound(kind: Kind, name: string): never {
  throw new NotifyError('PB_NOTIFY_CONFIG_NOT_FOUND', `No ${LABEL[kind]} named "${name}"; create it first or fix the name in the rule.`);
}
