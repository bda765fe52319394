import type { HandlerModuleRegistry } from './handler-module-registry';
import { RuleIndex } from './rule-index';
import { RULES_TOPIC, type RuleSnapshot, type RuleStore } from './rule-store';

/**
 * Keeps a {@link RuleIndex} of the store's active rules fresh without querying on every dispatch.
 * It is rebuilt when a write notified the `rules` topic (any process on PostgreSQL, this
 * connection on SQLite), after a write through this store object, when the registry changed, and
 * on SQLite when the revision counter moved (another connection, e.g. a CLI; read at most once per
 * `externalCheckMs`). On SQLite it loads synchronously, so a fresh or stale index costs no await.
 */
export class RuleCache {
  private index: RuleIndex | undefined;
  private dirty = true;
  private storeRevision = -1;
  private localRevision = -1;
  private registryRevision = -1;
  private lastCheck = -Infinity;
  private loading: Promise<RuleIndex> | undefined;
  private listening: Promise<() => void> | undefined;

  constructor(
    private readonly store: RuleStore,
    private readonly registry: HandlerModuleRegistry,
    private readonly externalCheckMs: number,
  ) {}

  /** The index, now when it is fresh (always on SQLite), else once reloaded. */
  current(): RuleIndex | Promise<RuleIndex> {
    if (this.loading !== undefined) return this.loading;
    if (this.index !== undefined && !this.stale()) return this.index;
    return this.reload();
  }

  /** The last index loaded, without waiting (empty before the first load). */
  last(): RuleIndex {
    return this.index ?? new RuleIndex([], this.registry);
  }

  /** Forces a reload on the next {@link RuleCache.current}. */
  invalidate(): void {
    this.dirty = true;
    this.lastCheck = -Infinity;
  }

  /** Stops listening for rule changes. */
  async close(): Promise<void> {
    const listening = this.listening;
    this.listening = undefined;
    if (listening !== undefined) (await listening)();
  }

  private stale(): boolean {
    if (this.dirty || this.store.localRevision !== this.localRevision || this.registry.revision !== this.registryRevision) return true;
    if (this.store.db.dialect !== 'sqlite') return false;
    // Reading the revision is a SQLite query (file locks): do it only once per interval.
    const now = Date.now();
    if (now - this.lastCheck < this.externalCheckMs) return false;
    this.lastCheck = now;
    return this.store.db.transactSync(this.store.revisionWork()) !== this.storeRevision;
  }

  private reload(): RuleIndex | Promise<RuleIndex> {
    // Cleared before reading: a change notified while the read runs marks the index stale again.
    this.dirty = false;
    this.localRevision = this.store.localRevision;
    const registryRevision = this.registry.revision;
    // Listening starts before the first read, so no change can fall between the two.
    this.listening ??= this.store.db.listen(RULES_TOPIC, () => void (this.dirty = true));
    if (this.store.db.dialect === 'sqlite') {
      this.lastCheck = Date.now();
      return this.build(this.store.db.transactSync(this.store.snapshotWork()), registryRevision);
    }
    const listening = this.listening;
    this.loading = (async () => {
      try {
        await listening;
        return this.build(await this.store.db.transact(this.store.snapshotWork()), registryRevision);
      } catch (e) {
        this.dirty = true;
        if (this.listening === listening) this.listening = undefined;
        throw e;
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }

  private build(snapshot: RuleSnapshot, registryRevision: number): RuleIndex {
    this.index = new RuleIndex(snapshot.rules, this.registry);
    this.storeRevision = snapshot.revision;
    this.registryRevision = registryRevision;
    return this.index;
  }
}
