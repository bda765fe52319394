import { openStored, sealStored, type SecretBox } from '@plugboard/core';
import Database from 'better-sqlite3';
import { NotifyError } from './errors';
import {
  MASK,
  maskSmtpConfig,
  parseSmtpConfig,
  type SmtpConfig,
  type SmtpConfigInput,
} from './smtp-config';
import {
  maskSmsGatewayConfig,
  parseSmsGatewayConfig,
  type SmsGatewayConfig,
  type SmsGatewayConfigInput,
} from './sms-gateway-config';

/** A stored configuration with its bookkeeping. */
export type Stored<T> = T & { readonly createdAt: string; readonly updatedAt: string; readonly revision: number };

/** Options of {@link NotifyConfigStore}. */
export interface NotifyConfigStoreOptions {
  /** The host's SQLite database (shared with rules and outbox) or a file path. */
  readonly database: Database.Database | string;
  /**
   * How often (ms) reads look for changes committed by other connections or processes, e.g. a
   * CLI (default 1000; 0 = on every read). Writes through any store on this connection are seen
   * at once. Looking costs a read transaction (two file-lock calls), and a message sent reads
   * its configuration up to three times.
   */
  readonly externalCheckMs?: number;
  /**
   * Seals each stored configuration (its password, gateway URL, parameters and headers) with
   * AES-256-GCM; rows written before are sealed on open. Without it they are stored as given.
   */
  readonly secrets?: SecretBox;
}

type Kind = 'smtp' | 'sms';

interface Row {
  name: string;
  data: string;
  created_at: string;
  updated_at: string;
  revision: number;
}

interface Cached {
  /** `PRAGMA data_version` last seen when read: it changes when another connection commits. */
  readonly dataVersion: number;
  /** Writes through any store on this connection when read (data_version misses those). */
  readonly writes: number;
  readonly revision: number;
  readonly updatedAt: string;
  readonly parse: unknown;
  readonly value: unknown;
}

/**
 * Configuration writes per connection, shared by every store on it: `PRAGMA data_version` only
 * reports other connections' commits, so another store on the same connection must be seen here.
 */
const localWrites = new WeakMap<Database.Database, { count: number }>();

const TABLES: Readonly<Record<Kind, string>> = { smtp: 'notify_smtp_config', sms: 'notify_sms_gateway' };
const LABEL: Readonly<Record<Kind, string>> = { smtp: 'SMTP configuration', sms: 'SMS gateway configuration' };

/**
 * Named SMTP and SMS gateway configurations, stored in SQLite tables prefixed `notify_`.
 * Every write is validated; listings mask secrets (`***`), and an update that sends a masked
 * value back keeps the stored secret, so a UI can round-trip what it listed.
 *
 * @example
 * ```ts
 * const store = new NotifyConfigStore({ database: db });
 * store.createSmtp({ name: 'relay', host: '127.0.0.1', port: 2525, sender: 'pb@example.org', security: 'none' });
 * store.listSmtp(); // [{ name: 'relay', password: '', … }]
 * ```
 */
export class NotifyConfigStore {
  private readonly db: Database.Database;
  private readonly ownsDb: boolean;
  private readonly listeners = new Set<(kind: Kind, name: string) => void>();
  private readonly statements = new Map<string, Database.Statement>();
  private readonly cache = new Map<string, Cached>();
  private readonly writes: { count: number };
  private readonly dataVersion: Database.Statement;
  private readonly externalCheckMs: number;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private seenVersion = -1;
  private readonly box: SecretBox | undefined;

  constructor(options: NotifyConfigStoreOptions) {
    const externalCheckMs = options.externalCheckMs ?? 1000;
    if (!(Number.isFinite(externalCheckMs) && externalCheckMs >= 0)) {
      throw new NotifyError('PB_NOTIFY_INVALID_CONFIG', `externalCheckMs must be a finite number ≥ 0 (got ${String(externalCheckMs)}).`);
    }
    this.externalCheckMs = externalCheckMs;
    this.ownsDb = typeof options.database === 'string';
    this.db = typeof options.database === 'string' ? new Database(options.database) : options.database;
    let writes = localWrites.get(this.db);
    if (writes === undefined) {
      writes = { count: 0 };
      localWrites.set(this.db, writes);
    }
    this.writes = writes;
    this.dataVersion = this.db.prepare('PRAGMA data_version').pluck();
    this.box = options.secrets;
    for (const table of Object.values(TABLES)) {
      this.db.exec(
        `CREATE TABLE IF NOT EXISTS ${table} (
           name TEXT PRIMARY KEY,
           data TEXT NOT NULL,
           created_at TEXT NOT NULL,
           updated_at TEXT NOT NULL,
           revision INTEGER NOT NULL DEFAULT 1
         )`,
      );
    }
    this.resealAll();
  }

  /**
   * Makes the next read look for changes from other connections now instead of after
   * `externalCheckMs`, e.g. when a CLI reports that it changed a configuration.
   *
   * @example
   * ```ts
   * // another process (a CLI, say) changed the host of "relay" a moment ago:
   * store.invalidate();
   * store.getSmtp('relay').host; // 'b.example.org'
   * ```
   */
  invalidate(): void {
    this.checkedAt = Number.NEGATIVE_INFINITY;
  }

  /** Called with (kind, name) after a configuration changed or was deleted (transport caches listen). */
  onChange(listener: (kind: 'smtp' | 'sms', name: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Seals every row not sealed with the current key (plaintext from earlier releases, or the
   * previous key after a rotation), in one transaction; returns how many rows changed.
   */
  resealAll(): number {
    const box = this.box;
    if (box === undefined) return 0;
    let changed = 0;
    this.db.transaction(() => {
      for (const table of Object.values(TABLES)) {
        for (const row of this.statement(`SELECT name, data FROM ${table}`).all() as Row[]) {
          if (!box.needsReseal(row.data)) continue;
          this.statement(`UPDATE ${table} SET data = ? WHERE name = ?`).run(box.seal(box.open(row.data)), row.name);
          changed++;
        }
      }
    })();
    if (changed > 0) this.writes.count++;
    return changed;
  }

  // ---- SMTP ---------------------------------------------------------------------------

  /** Creates a named SMTP configuration; throws `PB_NOTIFY_CONFIG_EXISTS` if the name is taken. */
  createSmtp(input: SmtpConfigInput): Stored<SmtpConfig> {
    return maskSmtp(this.insert('smtp', parseSmtpConfig(input)));
  }

  /** Replaces fields of an SMTP configuration; `password: '***'` keeps the stored password. */
  updateSmtp(name: string, patch: Partial<Omit<SmtpConfigInput, 'name'>>): Stored<SmtpConfig> {
    const current = this.getSmtp(name);
    const merged = { ...stripMeta(current), ...withoutMeta(patch), name };
    if (merged.password === MASK) merged.password = current.password;
    return maskSmtp(this.replace('smtp', parseSmtpConfig(merged)));
  }

  /** The configuration with its secret (for delivery); throws `PB_NOTIFY_CONFIG_NOT_FOUND`. */
  getSmtp(name: string): Stored<SmtpConfig> {
    return this.read('smtp', name, parseSmtpConfig);
  }

  /** All SMTP configurations, ordered by name, with passwords masked. */
  listSmtp(): Stored<SmtpConfig>[] {
    return this.readAll('smtp', parseSmtpConfig).map(maskSmtp);
  }

  /** Deletes an SMTP configuration; true when it existed. */
  deleteSmtp(name: string): boolean {
    return this.remove('smtp', name);
  }

  // ---- SMS ----------------------------------------------------------------------------

  /** Creates a named SMS gateway configuration; throws `PB_NOTIFY_CONFIG_EXISTS` if the name is taken. */
  createSms(input: SmsGatewayConfigInput): Stored<SmsGatewayConfig> {
    return maskSms(this.insert('sms', parseSmsGatewayConfig(input)));
  }

  /** Replaces fields of an SMS gateway configuration; masked (`***`) parameter/header values keep the stored ones. */
  updateSms(name: string, patch: Partial<Omit<SmsGatewayConfigInput, 'name'>>): Stored<SmsGatewayConfig> {
    const current = this.getSms(name);
    const merged = { ...stripMeta(current), ...withoutMeta(patch), name };
    merged.parameters = unmask(merged.parameters, current.parameters) as SmsGatewayConfigInput['parameters'];
    merged.headers = unmask(merged.headers, current.headers) as SmsGatewayConfigInput['headers'];
    // A URL sent back exactly as listed (credentials masked) means "unchanged".
    if (merged.url === maskSmsGatewayConfig(current).url) merged.url = current.url;
    return maskSms(this.replace('sms', parseSmsGatewayConfig(merged)));
  }

  /** The configuration with its secrets (for delivery); throws `PB_NOTIFY_CONFIG_NOT_FOUND`. */
  getSms(name: string): Stored<SmsGatewayConfig> {
    return this.read('sms', name, parseSmsGatewayConfig);
  }

  /** All SMS gateway configurations, ordered by name, with secrets masked. */
  listSms(): Stored<SmsGatewayConfig>[] {
    return this.readAll('sms', parseSmsGatewayConfig).map(maskSms);
  }

  /** Deletes an SMS gateway configuration; true when it existed. */
  deleteSms(name: string): boolean {
    return this.remove('sms', name);
  }

  /** Names of the stored configurations of one kind (for option value lists). */
  names(kind: 'smtp' | 'sms'): string[] {
    const rows = this.statement(`SELECT name FROM ${TABLES[kind]} ORDER BY name`).all() as { name: string }[];
    return rows.map((r) => r.name);
  }

  /** Closes the database if the store opened it from a path. */
  close(): void {
    if (this.ownsDb) this.db.close();
  }

  // ---- internals ----------------------------------------------------------------------

  private insert<T extends { name: string }>(kind: Kind, config: T): Stored<T> {
    const now = new Date().toISOString();
    this.writes.count++;
    try {
      this.statement(`INSERT INTO ${TABLES[kind]} (name, data, created_at, updated_at, revision) VALUES (?, ?, ?, ?, 1)`)
        .run(config.name, sealStored(this.box, JSON.stringify(config)), now, now);
    } catch (e) {
      // Not `instanceof Error`: better-sqlite3's native side may build its errors from another realm (jest workers).
      if (typeof e === 'object' && e !== null && String((e as { code?: unknown }).code).startsWith('SQLITE_CONSTRAINT')) {
        throw new NotifyError(
          'PB_NOTIFY_CONFIG_EXISTS',
          `An ${LABEL[kind]} named "${config.name}" already exists; update it or choose another name.`,
          { cause: e },
        );
      }
      throw e;
    }
    this.emit(kind, config.name);
    return { ...config, createdAt: now, updatedAt: now, revision: 1 };
  }

  private replace<T extends { name: string }>(kind: Kind, config: T): Stored<T> {
    const now = new Date().toISOString();
    this.writes.count++;
    const info = this.statement(`UPDATE ${TABLES[kind]} SET data = ?, updated_at = ?, revision = revision + 1 WHERE name = ?`)
      .run(sealStored(this.box, JSON.stringify(config)), now, config.name);
    if (info.changes === 0) throw notFound(kind, config.name);
    this.emit(kind, config.name);
    return this.read(kind, config.name, (x) => x as T);
  }

  private read<T>(kind: Kind, name: string, parse: (raw: unknown) => T): Stored<T> {
    // Read up to three times per message sent: a SELECT (and a zod parse) only when the table may
    // have changed. Inside a transaction the cache is bypassed, so a rolled-back write is never kept.
    const key = `${kind}\u0000${name}`;
    const cacheable = !this.db.inTransaction;
    const dataVersion = cacheable ? this.externalVersion() : -1;
    const writes = this.writes.count;
    const hit = this.cache.get(key);
    if (cacheable && hit !== undefined && hit.dataVersion === dataVersion && hit.writes === writes && hit.parse === parse) {
      return hit.value as Stored<T>;
    }
    const row = this.statement(`SELECT * FROM ${TABLES[kind]} WHERE name = ?`).get(name) as Row | undefined;
    if (row === undefined) throw notFound(kind, name);
    const same = hit !== undefined && hit.parse === parse && hit.revision === row.revision && hit.updatedAt === row.updated_at;
    const value = same ? (hit.value as Stored<T>) : fromRow(row, parse, this.box, `${LABEL[kind]} "${name}"`);
    if (cacheable) {
      if (this.cache.size > 256) this.cache.clear();
      this.cache.set(key, { dataVersion, writes, revision: row.revision, updatedAt: row.updated_at, parse, value });
    }
    return value;
  }

  /** `PRAGMA data_version`, looked up at most once per `externalCheckMs`. */
  private externalVersion(): number {
    const now = Date.now();
    // A clock set back must not postpone the next look indefinitely.
    if (now - this.checkedAt >= this.externalCheckMs || now < this.checkedAt) {
      this.checkedAt = now;
      this.seenVersion = this.dataVersion.get() as number;
    }
    return this.seenVersion;
  }

  /** Prepared statements, compiled once per SQL text. */
  private statement(sql: string): Database.Statement {
    let st = this.statements.get(sql);
    if (st === undefined) {
      st = this.db.prepare(sql);
      this.statements.set(sql, st);
    }
    return st;
  }

  private readAll<T>(kind: Kind, parse: (raw: unknown) => T): Stored<T>[] {
    const rows = this.statement(`SELECT * FROM ${TABLES[kind]} ORDER BY name`).all() as Row[];
    return rows.map((r) => fromRow(r, parse, this.box, `${LABEL[kind]} "${r.name}"`));
  }

  private remove(kind: Kind, name: string): boolean {
    this.writes.count++;
    const info = this.statement(`DELETE FROM ${TABLES[kind]} WHERE name = ?`).run(name);
    if (info.changes > 0) this.emit(kind, name);
    return info.changes > 0;
  }

  private emit(kind: Kind, name: string): void {
    for (const l of this.listeners) l(kind, name);
  }
}

function fromRow<T>(row: Row, parse: (raw: unknown) => T, box: SecretBox | undefined, what: string): Stored<T> {
  return { ...parse(JSON.parse(openStored(box, row.data, what))), createdAt: row.created_at, updatedAt: row.updated_at, revision: row.revision };
}

function notFound(kind: Kind, name: string): NotifyError {
  return new NotifyError(
    'PB_NOTIFY_CONFIG_NOT_FOUND',
    `No ${LABEL[kind]} named "${name}"; create it first or fix the name in the rule.`,
  );
}

function stripMeta<T extends object>(stored: Stored<T>): Record<string, unknown> {
  const { createdAt: _c, updatedAt: _u, revision: _r, ...rest } = stored;
  return rest as Record<string, unknown>;
}

// A UI may send back what it listed, bookkeeping included; those fields are not settable.
function withoutMeta<T extends object>(patch: T): T {
  const { createdAt: _c, updatedAt: _u, revision: _r, ...rest } = patch as T & { createdAt?: unknown; updatedAt?: unknown; revision?: unknown };
  return rest as T;
}

function unmask(next: unknown, current: Readonly<Record<string, string>>): unknown {
  if (next === null || typeof next !== 'object') return next;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(next)) out[k] = v === MASK && k in current ? current[k] : v;
  return out;
}

function maskSmtp(c: Stored<SmtpConfig>): Stored<SmtpConfig> {
  return { ...maskSmtpConfig(c), createdAt: c.createdAt, updatedAt: c.updatedAt, revision: c.revision };
}

function maskSms(c: Stored<SmsGatewayConfig>): Stored<SmsGatewayConfig> {
  return { ...maskSmsGatewayConfig(c), createdAt: c.createdAt, updatedAt: c.updatedAt, revision: c.revision };
}
