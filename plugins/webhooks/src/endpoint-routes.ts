import type { SqlDatabase, Work } from '@plugboard/sql';
import type { Statement } from 'better-sqlite3';
import type { WebhookEndpoint } from './endpoint-model';
import { ENDPOINTS_TOPIC } from './endpoint-works';
import { realmAllows } from './realms';

/**
 * The in-memory copy of the endpoints that publishing routes by, so an event is matched without
 * a query. Kept current: reloaded after this process's writes, on every `webhook-endpoints`
 * notification (every process's writes on PostgreSQL, after a reconnect too) and, on SQLite,
 * when `data_version` shows another process wrote the file.
 */
export class EndpointRoutes {
  private endpoints: readonly WebhookEndpoint[] = [];
  private readonly byKey = new Map<string, WebhookEndpoint>();
  private readonly dataVersion: Statement | undefined;
  private seenVersion: unknown;
  private reloads: Promise<void> = Promise.resolve();
  private unlisten: (() => void) | undefined;
  private stopped = false;

  /**
   * @param read the work reading every endpoint (opened, masked).
   * @param failed told when a reload on a notification fails (the last copy stays in use).
   */
  constructor(
    private readonly db: SqlDatabase,
    private readonly read: () => Work<WebhookEndpoint[]>,
    private readonly failed: (err: unknown) => void = () => {},
  ) {
    this.dataVersion = db.sqlite?.prepare('PRAGMA data_version').pluck();
  }

  /** Reads the endpoints now (SQLite only). */
  loadSync(): void {
    this.seenVersion = this.dataVersion?.get();
    this.replace(this.db.transactSync(this.read()));
  }

  /** Reads the endpoints again; reloads run one after another, so the copy left is the newest read. */
  reload(): Promise<void> {
    if (this.db.sqlite !== undefined) {
      // Synchronously, but failing as a rejection: a listener must not throw into the writer's call.
      try {
        this.loadSync();
        return Promise.resolve();
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
    }
    const next = this.reloads.then(async () => this.replace(await this.db.run(this.read())));
    this.reloads = next.catch(() => {});
    return next;
  }

  /** Follows the writes of every process; resolves once listening. */
  async follow(): Promise<void> {
    const undo = await this.db.listen(ENDPOINTS_TOPIC, () => {
      // A failed reload keeps the last copy; the next write or notification tries again.
      if (!this.stopped) this.reload().catch(this.failed);
    });
    if (this.stopped) undo();
    else this.unlisten = undo;
  }

  /** Stops following. */
  stop(): void {
    this.stopped = true;
    this.unlisten?.();
  }

  /** The endpoint with this id or name. */
  find(idOrName: string): WebhookEndpoint | undefined {
    this.catchUp();
    return this.byKey.get(idOrName);
  }

  /** Enabled endpoints subscribed to `event` whose realms admit `realm`. */
  matching(event: string, realm?: string): WebhookEndpoint[] {
    this.catchUp();
    return this.endpoints.filter((e) => e.enabled && (e.events.length === 0 || e.events.includes(event) || e.events.includes('*')) && realmAllows(e.realms, realm));
  }

  /** Another process wrote the SQLite file: its notifications do not reach this one. */
  private catchUp(): void {
    if (this.dataVersion !== undefined && !this.stopped && this.dataVersion.get() !== this.seenVersion) this.loadSync();
  }

  private replace(endpoints: readonly WebhookEndpoint[]): void {
    this.endpoints = endpoints;
    this.byKey.clear();
    // Ids after names: an id is found even when another endpoint is named like it.
    for (const e of endpoints) this.byKey.set(e.name, e);
    for (const e of endpoints) this.byKey.set(e.id, e);
  }
}
