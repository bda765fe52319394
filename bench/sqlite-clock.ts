/**
 * Measures how long this thread spends inside better-sqlite3 calls: the part of a path's cost
 * that moving SQLite work to another thread could take off the event loop, and by difference
 * the part it could not.
 */
import type { Database } from 'better-sqlite3';

type Method = (this: unknown, ...args: unknown[]) => unknown;

// Every statement better-sqlite3 runs goes through these, BEGIN and COMMIT of `db.transaction()`
// included, so the JavaScript inside a transaction function is not counted.
const STATEMENT_METHODS = ['run', 'get', 'all', 'iterate'] as const;
const DATABASE_METHODS = ['exec', 'pragma'] as const;

/**
 * Runs `work` with the statement and database methods of `db`'s better-sqlite3 copy timed, then
 * restores them. Returns what `work` returned and the seconds spent inside SQLite calls on this
 * thread meanwhile (calls of every connection of that copy, e.g. a config store on the same file).
 *
 * @example
 * ```ts
 * const { seconds } = await timeSqliteCalls(outbox.db, () => sendBatch(500));
 * console.log(`${(seconds / 500) * 1e6} µs of SQLite per message`);
 * ```
 */
export async function timeSqliteCalls<T>(db: Database, work: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const statementPrototype = Object.getPrototypeOf(db.prepare('SELECT 1')) as Record<string, Method>;
  const databasePrototype = Object.getPrototypeOf(db) as Record<string, Method>;
  let ns = 0n;
  // `pragma()` is JavaScript that runs a statement: count the outer call only.
  let depth = 0;
  const restore: (() => void)[] = [];
  const wrap = (target: Record<string, Method>, name: string): void => {
    const original = target[name];
    target[name] = function (this: unknown, ...args: unknown[]): unknown {
      if (depth > 0) return original.apply(this, args);
      depth += 1;
      const t0 = process.hrtime.bigint();
      try {
        return original.apply(this, args);
      } finally {
        ns += process.hrtime.bigint() - t0;
        depth -= 1;
      }
    };
    restore.push(() => {
      target[name] = original;
    });
  };
  for (const m of STATEMENT_METHODS) wrap(statementPrototype, m);
  for (const m of DATABASE_METHODS) wrap(databasePrototype, m);
  try {
    const result = await work();
    return { result, seconds: Number(ns) / 1e9 };
  } finally {
    for (const undo of restore) undo();
  }
}
