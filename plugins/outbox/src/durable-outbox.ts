import type { EventEmitter } from 'node:events';
import type { AttemptRecord, Deliverer, DrainOptions, EnqueueOptions, ListFilter, OutboxEvents, OutboxMessage, OutboxState, PurgeOptions, QueuedMessage, StopOptions } from './types';

/** A value now (SQLite) or later (PostgreSQL): `await` works for both. */
export type Maybe<T> = T | Promise<T>;

/**
 * What the plugins and a host use of an outbox, whichever store it is on: the SQLite
 * {@link Outbox} answers at once, {@link PgOutbox} with promises. Code written against this
 * awaits every call and runs on both.
 *
 * @example
 * ```ts
 * async function queueWelcome(outbox: DurableOutbox, to: string): Promise<string> {
 *   return (await outbox.enqueue('smtp', { to, subject: 'Welcome' })).id;
 * }
 * ```
 */
export interface DurableOutbox extends EventEmitter<OutboxEvents> {
  register<P = unknown>(channel: string, deliverer: Deliverer<P>): () => void;
  channels(): string[];
  enqueue<P>(channel: string, payload: P, options?: EnqueueOptions): Maybe<OutboxMessage<P>>;
  /** Every message or none, in one transaction. */
  enqueueAll(messages: readonly QueuedMessage[]): Maybe<OutboxMessage[]>;
  start(): void;
  readonly isRunning: boolean;
  stop(options?: StopOptions): Promise<void>;
  close(options?: StopOptions): Promise<void>;
  drain(options?: DrainOptions): Promise<void>;
  get<P = unknown>(id: string): Maybe<OutboxMessage<P> | undefined>;
  list<P = unknown>(filter?: ListFilter): Maybe<OutboxMessage<P>[]>;
  counts(): Maybe<Record<OutboxState, number>>;
  attempts(id: string): Maybe<AttemptRecord[]>;
  retry<P = unknown>(id: string): Maybe<OutboxMessage<P>>;
  purge(options?: PurgeOptions): Maybe<number>;
  messagesByMeta(key: string, value: string, limit?: number): Maybe<OutboxMessage[]>;
}
