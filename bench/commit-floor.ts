/**
 * The cheapest durable write SQLite offers on this machine: one autocommitted INSERT of one row
 * into a table without indexes, on a file in WAL mode with `synchronous = NORMAL` (the outbox's
 * settings). Every design that commits each message before `enqueue` returns pays at least this
 * per message, on whichever thread runs the commit.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';

const WARMUP = 1_000;
const COMMITS = 5_000;

/**
 * Ns per autocommitted single-row INSERT of a `payloadBytes`-long text into `commit-floor.db` in
 * `dir`, averaged over 5,000 commits after 1,000 warm-up ones.
 *
 * @example
 * ```ts
 * const ns = durableCommitNs(tmp.dir, 300);
 * console.log(`${ns / 1000} µs per durable one-row commit`);
 * ```
 */
export function durableCommitNs(dir: string, payloadBytes: number): number {
  const db = new Database(join(dir, 'commit-floor.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE IF NOT EXISTS floor (seq INTEGER PRIMARY KEY, payload TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO floor (payload) VALUES (?)');
    const payload = 'x'.repeat(payloadBytes);
    for (let i = 0; i < WARMUP; i++) insert.run(payload);
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < COMMITS; i++) insert.run(payload);
    return Number(process.hrtime.bigint() - t0) / COMMITS;
  } finally {
    db.close();
  }
}
