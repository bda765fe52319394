import { openStored, sealStored, type SecretBox } from '@plugboard/core';
import Database from 'better-sqlite3';
import type { Stored } from './config-store';
import {
  maskEmailHookConfig,
  parseEmailHookConfig,
  type EmailHookConfig,
  type EmailHookConfigInput,
  type EmailHookConfigPatch,
} from './email-hook-config';
import { migrateSchema } from '@plugboard/outbox';
import { NotifyError } from './errors';
import { MASK } from './smtp-config';

/**
 * Versioned schema of the stored email hooks. Each entry upgrades from the previous version;
 * never edit a shipped entry, append a new one. The applied version is kept in
 * `notify_email_hooks_schema` (not `PRAGMA user_version`, which belongs to the host).
 */
export const EMAIL_HOOK_MIGRATIONS: readonly string[] = [
  // v1
  `
  CREATE TABLE notify_email_hooks (
    name       TEXT PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('simple', 'ses')),
    data       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    revision   INTEGER NOT NULL DEFAULT 1
  );
  `,
];

/** Schema version of `notify_email_hooks` this code expects. */
export const EMAIL_HOOK_SCHEMA_VERSION = EMAIL_HOOK_MIGRATIONS.length;

/**
 * Brings `notify_email_hooks` up to {@link EMAIL_HOOK_SCHEMA_VERSION} in one immediate
 * transaction (two processes opening the file at once cannot both migrate); returns the version found.
 */
export function migrateEmailHooks(db: Database.Database): number {
  return migrateSchema(
    db,
    'notify_email_hooks_schema',
    EMAIL_HOOK_MIGRATIONS,
    (found, known) =>
      new NotifyError(
        'PB_NOTIFY_SCHEMA',
        `The notify_email_hooks table is at schema version ${found}, newer than this @plugboard/notify understands (${known}); upgrade @plugboard/notify.`,
      ),
  );
}

/** Options of {@link EmailHookStore}. */
export interface EmailHookStoreOptions {
  /** The host's SQLite database (shared with the outbox) or a file path. */
  readonly database: Database.Database | string;
  /** Seals each stored hook (its credentials) with AES-256-GCM; rows written before are sealed on open. */
  readonly secrets?: SecretBox;
}

interface Row {
  name: string;
  kind: string;
  data: string;
  created_at: string;
  updated_at: string;
  revision: number;
}

/**
 * Stored email hooks (table `notify_email_hooks`): which eventhooks email hook to build, the
 * hook names that trigger it, its realms and its settings. Every write is validated; listings
 * mask the credentials (`***`), and an update that sends `***` back keeps the stored secret.
 *
 * @example
 * ```ts
 * const store = new EmailHookStore({ database: db });
 * store.create({ name: 'welcome', kind: 'simple', events: ['AccountCreated'], settings: {
 *   host: 'smtp.example.org', credentials: 'user:password', sender: 'pb@example.org', recipients: 'ops@example.org' } });
 * store.list()[0].settings.credentials; // '***'
 * ```
 */
export class EmailHookStore {
  private readonly db: Database.Database;
  private readonly ownsDb: boolean;
  private readonly listeners = new Set<(name: string) => void>();
  private readonly box: SecretBox | undefined;

  constructor(options: EmailHookStoreOptions) {
    this.ownsDb = typeof options.database === 'string';
    this.db = typeof options.database === 'string' ? new Database(options.database) : options.database;
    this.box = options.secrets;
    try {
      migrateEmailHooks(this.db);
      this.resealAll();
    } catch (e) {
      if (this.ownsDb) this.db.close();
      throw e;
    }
  }

  /** Seals every row not sealed with the current key (earlier plaintext, or the previous key); returns how many changed. */
  resealAll(): number {
    const box = this.box;
    if (box === undefined) return 0;
    const rows = (this.db.prepare('SELECT name, data FROM notify_email_hooks').all() as Row[]).filter((r) => box.needsReseal(r.data));
    const update = this.db.prepare('UPDATE notify_email_hooks SET data = ? WHERE name = ?');
    this.db.transaction(() => {
      for (const r of rows) update.run(box.seal(box.open(r.data)), r.name);
    })();
    return rows.length;
  }

  /** Called with the hook's name after it was created, changed or deleted in this process. */
  onChange(listener: (name: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Creates a stored email hook (credentials masked in the result); `PB_NOTIFY_CONFIG_EXISTS` if the name is taken. */
  create(input: EmailHookConfigInput): Stored<EmailHookConfig> {
    const config = parseEmailHookConfig(input);
    const now = new Date().toISOString();
    try {
      this.db
        .prepare('INSERT INTO notify_email_hooks (name, kind, data, created_at, updated_at, revision) VALUES (?, ?, ?, ?, ?, 1)')
        .run(config.name, config.kind, sealStored(this.box, JSON.stringify(config)), now, now);
    } catch (e) {
      // Not `instanceof Error`: better-sqlite3's native side may build its errors from another realm (jest workers).
      if (typeof e === 'object' && e !== null && String((e as { code?: unknown }).code).startsWith('SQLITE_CONSTRAINT')) {
        throw new NotifyError('PB_NOTIFY_CONFIG_EXISTS', `An email hook named "${config.name}" already exists; update it or choose another name.`, { cause: e });
      }
      throw e;
    }
    this.emit(config.name);
    return masked({ ...config, createdAt: now, updatedAt: now, revision: 1 });
  }

  /**
   * Changes a stored email hook: `kind`, `events`, `realms` replace the stored ones, `settings`
   * fields are merged into them; `credentials: '***'` keeps the stored secret.
   */
  update(name: string, patch: EmailHookConfigPatch): Stored<EmailHookConfig> {
    const current = this.get(name);
    const { createdAt: _c, updatedAt: _u, revision: _r, ...base } = current;
    const { name: _n, createdAt: _pc, updatedAt: _pu, revision: _pr, ...changes } = patch as EmailHookConfigPatch & Record<string, unknown>;
    const settings: Record<string, unknown> = { ...base.settings, ...(changes.settings ?? {}) };
    if (settings.credentials === MASK) settings.credentials = current.settings.credentials;
    const config = parseEmailHookConfig({ ...base, ...changes, settings, name });
    const now = new Date().toISOString();
    const info = this.db
      .prepare('UPDATE notify_email_hooks SET kind = ?, data = ?, updated_at = ?, revision = revision + 1 WHERE name = ?')
      .run(config.kind, sealStored(this.box, JSON.stringify(config)), now, name);
    if (info.changes === 0) throw notFound(name);
    this.emit(name);
    return masked(this.get(name));
  }

  /** The stored hook with its credentials (for building it); throws `PB_NOTIFY_CONFIG_NOT_FOUND`. */
  get(name: string): Stored<EmailHookConfig> {
    const row = this.db.prepare('SELECT * FROM notify_email_hooks WHERE name = ?').get(name) as Row | undefined;
    if (row === undefined) throw notFound(name);
    return fromRow(row, this.box);
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
    return (this.db.prepare('SELECT * FROM notify_email_hooks ORDER BY name').all() as Row[]).map((r) => fromRow(r, this.box));
  }

  /** Deletes a stored hook; true when it existed. Its queued mail stays in the outbox. */
  delete(name: string): boolean {
    const info = this.db.prepare('DELETE FROM notify_email_hooks WHERE name = ?').run(name);
    if (info.changes > 0) this.emit(name);
    return info.changes > 0;
  }

  /** Names of the stored hooks. */
  names(): string[] {
    return (this.db.prepare('SELECT name FROM notify_email_hooks ORDER BY name').pluck().all() as string[]);
  }

  /** Closes the database if the store opened it from a path. */
  close(): void {
    if (this.ownsDb) this.db.close();
  }

  private emit(name: string): void {
    for (const l of this.listeners) l(name);
  }
}

function fromRow(row: Row, box: SecretBox | undefined): Stored<EmailHookConfig> {
  return { ...parseEmailHookConfig(JSON.parse(openStored(box, row.data, `Email hook "${row.name}"`))), createdAt: row.created_at, updatedAt: row.updated_at, revision: row.revision };
}

function masked(c: Stored<EmailHookConfig>): Stored<EmailHookConfig> {
  return { ...maskEmailHookConfig(c), createdAt: c.createdAt, updatedAt: c.updatedAt, revision: c.revision };
}

function notFound(name: string): NotifyError {
  return new NotifyError('PB_NOTIFY_CONFIG_NOT_FOUND', `No email hook named "${name}"; create it first or fix the name.`);
}
