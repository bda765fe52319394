import { Client } from 'pg';
import type { OutboxLogger } from '../types';

/** Options of {@link PgListener}. */
export interface PgListenerOptions {
  readonly url: string;
  readonly logger: OutboxLogger;
  /** A NOTIFY arrived on the schema's outbox channel. */
  readonly onNotify: () => void;
  /** (Re)connected and listening: notifications sent while disconnected were lost, so look now. */
  readonly onListening: () => void;
  /** First reconnect delay; doubles up to 5 s. */
  readonly reconnectMs?: number;
}

/**
 * One dedicated connection that LISTENs on `plugboard_outbox_<current schema>` (the channel the
 * insert trigger notifies), and reconnects by itself when the server restarts or the connection
 * drops. A pool connection cannot do this: the pool hands it to other queries and drops it when idle.
 */
export class PgListener {
  private client: Client | undefined;
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private delayMs: number;

  constructor(private readonly o: PgListenerOptions) {
    this.delayMs = o.reconnectMs ?? 100;
  }

  /** Connects and listens; rejects when the first connection fails (later failures reconnect). */
  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.o.url });
    client.on('notification', () => this.o.onNotify());
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    this.client = client;
    try {
      await client.connect();
      const { rows } = await client.query<{ schema: string }>('SELECT current_schema() AS schema');
      await client.query(`LISTEN ${client.escapeIdentifier(`plugboard_outbox_${rows[0]?.schema ?? 'public'}`)}`);
    } catch (err) {
      this.client = undefined;
      void client.end().catch(() => undefined);
      throw err;
    }
    if (this.closed) return void client.end().catch(() => undefined);
    this.delayMs = this.o.reconnectMs ?? 100;
    this.o.onListening();
  }

  private lost(client: Client, err: Error): void {
    if (this.client !== client || this.closed) return;
    this.client = undefined;
    this.o.logger.warn({ code: 'PB_OUTBOX_LOOP', err }, `The outbox's LISTEN connection to PostgreSQL was lost (${err.message}); reconnecting.`);
    void client.end().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retryTimer !== undefined) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connect().catch((err: unknown) => {
        this.o.logger.warn({ code: 'PB_OUTBOX_LOOP', err }, `Reconnecting the outbox's LISTEN connection failed; retrying in ${this.delayMs} ms.`);
        this.scheduleReconnect();
      });
    }, this.delayMs);
    this.retryTimer.unref();
    this.delayMs = Math.min(this.delayMs * 2, 5000);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    const c = this.client;
    this.client = undefined;
    await c?.end().catch(() => undefined);
  }
}
