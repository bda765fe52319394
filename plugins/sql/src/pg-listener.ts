import { Client } from 'pg';

/** Options of {@link PgListener}. */
export interface PgListenerOptions {
  readonly url: string;
  /** A notification arrived on `channel`. */
  readonly onNotify: (channel: string, payload: string) => void;
  /** (Re)connected and listening to every channel: what was sent meanwhile was lost, so reload. */
  readonly onListening: () => void;
  readonly onError: (err: Error, message: string) => void;
  /** First reconnect delay; doubles up to 5 s. */
  readonly reconnectMs?: number;
}

/**
 * One dedicated connection that LISTENs on a set of channels and reconnects by itself when the
 * server restarts or the connection drops. A pool connection cannot do this: the pool hands it
 * to other queries and drops it when idle.
 */
export class PgListener {
  private client: Client | undefined;
  private readonly channels = new Set<string>();
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private delayMs: number;

  constructor(private readonly o: PgListenerOptions) {
    this.delayMs = o.reconnectMs ?? 100;
  }

  /** Listens on `channel` too (connecting first when needed); rejects when connecting fails. */
  async add(channel: string): Promise<void> {
    if (this.channels.has(channel)) return;
    this.channels.add(channel);
    if (this.client === undefined) {
      if (this.retryTimer === undefined) await this.connect();
      return;
    }
    await this.client.query(`LISTEN ${this.client.escapeIdentifier(channel)}`);
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.o.url });
    client.on('notification', (n) => this.o.onNotify(n.channel, n.payload ?? ''));
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    this.client = client;
    try {
      await client.connect();
      for (const channel of this.channels) await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
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
    this.o.onError(err, `The LISTEN connection to PostgreSQL was lost (${err.message}); reconnecting.`);
    void client.end().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retryTimer !== undefined) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connect().catch((err: unknown) => {
        this.o.onError(err instanceof Error ? err : new Error(String(err)), `Reconnecting the LISTEN connection failed; retrying in ${this.delayMs} ms.`);
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
