import { EventEmitter } from 'node:events';
import type { Database } from 'better-sqlite3';

/** Called with a notification's payload, or with `undefined` after a reconnect (notifications may have been lost: reload). */
export type TopicListener = (payload: string | undefined) => void;

// One emitter per SQLite connection, so every store on the connection hears the others' writes.
const emitters = new WeakMap<Database, EventEmitter>();

/** The in-process topic emitter of a SQLite connection. */
export function sqliteTopics(db: Database): EventEmitter {
  let emitter = emitters.get(db);
  if (emitter === undefined) {
    emitter = new EventEmitter();
    emitter.setMaxListeners(0);
    emitters.set(db, emitter);
  }
  return emitter;
}

/**
 * The PostgreSQL channel of a topic: prefixed, and scoped to the schema so two deployments in two
 * schemas of one database do not hear each other. Identifiers stop at 63 bytes; topics are short.
 */
export function channelName(topic: string, schema: string): string {
  return `pb_${topic}_${schema}`.slice(0, 63);
}
