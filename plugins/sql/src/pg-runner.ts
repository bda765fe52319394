import { sql, type CompiledQuery, type Kysely } from 'kysely';
import type { StepResult, Work } from './work';

/**
 * Drives a work to its end on `db` (a transaction or the pool), awaiting each statement. On
 * PostgreSQL a notification is `pg_notify` inside the same transaction: the server sends it at
 * commit, to every process, and drops it on rollback.
 */
export async function drivePg<R>(db: Kysely<unknown>, work: Work<R>, channel: (topic: string) => string): Promise<R> {
  let next = work.next();
  while (next.done !== true) {
    const step = next.value;
    if (step.kind === 'notify') {
      await sql`SELECT pg_notify(${channel(step.topic)}, ${step.payload})`.execute(db);
      next = work.next({ rows: [], changes: 0 });
    } else {
      let result: StepResult;
      try {
        const r = await db.executeQuery(flagsAsIntegers(step.query));
        result = { rows: r.rows, changes: Number(r.numAffectedRows ?? 0n) };
      } catch (err) {
        next = work.throw(err);
        continue;
      }
      next = work.next(result);
    }
  }
  return next.value;
}

/** Flags are 0/1 on both dialects (integer columns; PostgreSQL also reads '1' as true for a boolean one). */
function flagsAsIntegers(query: CompiledQuery): CompiledQuery {
  if (!query.parameters.some((p) => typeof p === 'boolean')) return query;
  return { ...query, parameters: query.parameters.map((p) => (typeof p === 'boolean' ? Number(p) : p)) };
}
