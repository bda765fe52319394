import type { SqlDatabase, Work } from '@plugboard/sql';
import type { Statement } from 'better-sqlite3';
import type { ConfigRow } from './notify-schema';
import { CONFIG_TOPIC } from './notify-schema';

/** A stored configuration with its bookkeeping. */
export type Stored<T> = T & { readonly createdAt: string; readonly updatedAt: string; readonly revision: number };

/** Options of {@link ConfigSnapshot}. */
export interface ConfigSnapshotOptions<V> {
  readonly db: SqlDatabase;
  /** The table: writes announce it as the payload of {@link CONFIG_TOPIC}. */
  readonly table: string;
  /** Every row of the table. */
  readonly load: () => Work<ConfigRow[]>;
  /** Opens and validates a row's configuration (throws when it cannot: reported on read). */
  readonly parse: (row: ConfigRow) => Stored<V>;
  /** A row was added, changed or deleted since the last load (not called for the first load). */
  readonly changed: (name: string) => void;
  /** SQLite: how often reads look for other connections' commits (ms). */
  readonly externalCheckMs: number;
}

interface Entry<V> {
  readonly version: string;
  readonly value?: Stored<V>;
  readonly error?: unknown;
}

function versionOf(row: ConfigRow): string {
  return `${row.created_at}|${row.updated_at}|${row.revision}`;
}

/**
 * Every row of one table, opened and parsed, in memory: reads (up to three per message sent)
 * cost no query and stay synchronous on both dialects. Reloaded when a write commits: on
 * PostgreSQL from the topic (any process, within a second; everything after a reconnect), on
 * SQLite from the topic (this connection) and from `PRAGMA data_version` (other connections,
 * looked at once per `externalCheckMs`). A row whose version did not change is not opened again.
 */
export class ConfigSnapshot<V> {
  private entries = new Map<string, Entry<V>>();
  private loaded = false;
  /** SQLite: a write on this connection may have changed the table since the last load. */
  private dirty = true;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private seenVersion = -1;
  private readonly dataVersion: Statement | undefined;
  private chain: Promise<void> = Promise.resolve();
  private unlisten: Promise<() => void> | undefined;

  constructor(private readonly o: ConfigSnapshotOptions<V>) {
    this.dataVersion = o.db.sqlite?.prepare('PRAGMA data_version').pluck();
  }

  /** Loads the rows and follows the topic (PostgreSQL: listening first, so no write is missed). */
  async start(): Promise<void> {
    if (this.o.db.sqlite !== undefined) return this.startSync();
    const off = await this.o.db.listen(CONFIG_TOPIC, (payload) => {
      if (payload === undefined || payload === this.o.table) void this.reload().catch(() => undefined);
    });
    this.unlisten = Promise.resolve(off);
    await this.reload();
  }

  /** {@link start} synchronously (SQLite). */
  startSync(): void {
    this.loadSync();
    // On SQLite `listen` subscribes before it returns its promise: no write can slip in between.
    this.unlisten = this.o.db.listen(CONFIG_TOPIC, (payload) => {
      if (payload !== this.o.table) return;
      this.dirty = true;
      // Inside a transaction the write may still roll back: load on the next read after it.
      if (this.o.db.sqlite?.inTransaction === false) this.loadQuietly();
    });
  }

  /** Call after a write of this process committed: resolves once reads see it. */
  async afterWrite(): Promise<void> {
    // SQLite heard its own topic synchronously, at commit.
    if (this.o.db.sqlite === undefined) await this.reload();
  }

  /** Makes the next read look for other connections' commits now (SQLite). */
  invalidate(): void {
    this.checkedAt = Number.NEGATIVE_INFINITY;
  }

  /** The configuration named `name`, or undefined; throws when its row cannot be opened. */
  get(name: string): Stored<V> | undefined {
    const entry = this.current().get(name);
    if (entry?.error !== undefined) throw entry.error;
    return entry?.value;
  }

  /** Every configuration, ordered by name; throws when a row cannot be opened. */
  all(): Stored<V>[] {
    return this.names().map((name) => this.get(name) as Stored<V>);
  }

  /** Every name, ordered. */
  names(): string[] {
    return [...this.current().keys()].sort();
  }

  /** Stops following the topic. */
  async stop(): Promise<void> {
    const off = await this.unlisten;
    off?.();
  }

  private current(): ReadonlyMap<string, Entry<V>> {
    const sqlite = this.o.db.sqlite;
    if (sqlite === undefined) return this.entries;
    // A write inside a transaction is read back uncached, so a rollback leaves nothing behind.
    if (sqlite.inTransaction) return this.dirty ? this.build(this.o.db.transactSync(this.o.load())) : this.entries;
    if (this.dirty || this.externalChange()) this.loadSync();
    return this.entries;
  }

  private externalChange(): boolean {
    const now = Date.now();
    // A clock set back must not postpone the next look indefinitely.
    if (now - this.checkedAt < this.o.externalCheckMs && now >= this.checkedAt) return false;
    this.checkedAt = now;
    return this.dataVersion?.get() !== this.seenVersion;
  }

  private loadSync(): void {
    this.checkedAt = Date.now();
    this.seenVersion = this.dataVersion?.get() as number;
    this.apply(this.build(this.o.db.transactSync(this.o.load())));
    this.dirty = false;
  }

  private loadQuietly(): void {
    try {
      this.loadSync();
    } catch {
      // Left dirty: the next read loads again and reports the error there.
    }
  }

  /** PostgreSQL: one load at a time, each started after the writes that asked for it. */
  private reload(): Promise<void> {
    const next = this.chain.then(async () => this.apply(this.build(await this.o.db.run(this.o.load()))));
    this.chain = next.catch(() => undefined);
    return next;
  }

  private build(rows: readonly ConfigRow[]): Map<string, Entry<V>> {
    const next = new Map<string, Entry<V>>();
    for (const row of rows) {
      const version = versionOf(row);
      const old = this.entries.get(row.name);
      if (old?.version === version) {
        next.set(row.name, old);
        continue;
      }
      try {
        next.set(row.name, { version, value: this.o.parse(row) });
      } catch (error) {
        next.set(row.name, { version, error });
      }
    }
    return next;
  }

  private apply(next: Map<string, Entry<V>>): void {
    const before = this.entries;
    this.entries = next;
    if (!this.loaded) {
      this.loaded = true;
      return;
    }
    const changed = [...next].filter(([name, e]) => before.get(name)?.version !== e.version).map(([name]) => name);
    for (const name of before.keys()) if (!next.has(name)) changed.push(name);
    for (const name of changed) this.o.changed(name);
  }
}
