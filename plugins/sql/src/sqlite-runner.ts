import type { Database, Statement } from 'better-sqlite3';
import type { CompiledQuery } from 'kysely';
import { SqlError } from './errors';
import type { Step, StepResult, Work } from './work';

// Compiled SQL texts are few (one per query shape); the bound keeps a query built with a variable
// IN list from growing the cache without end.
const CACHE_LIMIT = 500;
const caches = new WeakMap<Database, Map<string, Statement>>();

/** The prepared statement of `sql` on `db`, prepared once per connection. */
function statement(db: Database, sql: string): Statement {
  let cache = caches.get(db);
  if (cache === undefined) caches.set(db, (cache = new Map()));
  let stmt = cache.get(sql);
  if (stmt === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
    stmt = db.prepare(sql);
    cache.set(sql, stmt);
  }
  return stmt;
}

/** better-sqlite3 binds no booleans or undefined; the stores write flags as 0/1 on both dialects. */
function bind(query: CompiledQuery): unknown[] {
  return query.parameters.map((value, i) => {
    if (typeof value === 'boolean') return value ? 1 : 0;
    if (value === undefined) return null;
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' || Buffer.isBuffer(value)) return value;
    throw new SqlError('PB_SQL_BIND', `Parameter ${i + 1} of "${query.sql.slice(0, 80)}" is a ${typeof value}; pass a string, number, bigint, boolean, Buffer or null (JSON.stringify objects).`);
  });
}

/** Runs one compiled query on the connection, now. */
export function runQuerySync(db: Database, query: CompiledQuery): StepResult {
  const stmt = statement(db, query.sql);
  const params = bind(query);
  if (stmt.reader) return { rows: stmt.all(...params), changes: 0 };
  return { rows: [], changes: stmt.run(...params).changes };
}

/**
 * Drives a work to its end synchronously. Notifications are collected in `notices` for the
 * caller to send after the commit.
 */
export function driveSync<R>(db: Database, work: Work<R>, notices: Step[]): R {
  let next = work.next();
  while (next.done !== true) {
    const step = next.value;
    if (step.kind === 'notify') {
      notices.push(step);
      next = work.next({ rows: [], changes: 0 });
    } else {
      let result: StepResult;
      try {
        result = runQuerySync(db, step.query);
      } catch (err) {
        // The work may catch it (a unique violation it expects, say); if not, it rethrows here.
        next = work.throw(err);
        continue;
      }
      next = work.next(result);
    }
  }
  return next.value;
}

interface Control {
  readonly begin: Statement;
  readonly commit: Statement;
  readonly rollback: Statement;
  savepoints: number;
}
const controls = new WeakMap<Database, Control>();

/**
 * Runs `run` in an immediate transaction, or in a savepoint when one is open (a held transaction,
 * a caller's). The BEGIN/COMMIT/ROLLBACK statements are prepared once per connection.
 */
export function inTransaction<R>(db: Database, run: () => R): R {
  let c = controls.get(db);
  if (c === undefined) controls.set(db, (c = { begin: db.prepare('BEGIN IMMEDIATE'), commit: db.prepare('COMMIT'), rollback: db.prepare('ROLLBACK'), savepoints: 0 }));
  if (db.inTransaction) return inSavepoint(db, c, run);
  c.begin.run();
  try {
    const result = run();
    c.commit.run();
    return result;
  } catch (err) {
    if (db.inTransaction) c.rollback.run();
    throw err;
  }
}

function inSavepoint<R>(db: Database, c: Control, run: () => R): R {
  const name = `pb_tx_${++c.savepoints}`;
  db.exec(`SAVEPOINT ${name}`);
  try {
    const result = run();
    db.exec(`RELEASE ${name}`);
    return result;
  } catch (err) {
    if (db.inTransaction) db.exec(`ROLLBACK TO ${name}; RELEASE ${name}`);
    throw err;
  }
}
