import { AsyncLocalStorage } from 'node:async_hooks';
import type { StepResult, Work } from '@plugboard/sql';
import { sql, type Kysely, type Transaction } from 'kysely';
import { HostError } from '../errors';

const held = new AsyncLocalStorage<Transaction<unknown>>();

/**
 * PostgreSQL: a transaction held open across awaited code (hooks, extensions' import functions),
 * which every {@link Repository} work run inside `fn`'s async context joins. `savepoint` rolls one
 * part back alone. SQLite does the same with one connection's `BEGIN` (see CsvImport).
 *
 * @example
 * ```ts
 * await holdTransaction(store.as(), async (savepoint) => {
 *   for (const row of rows) await savepoint(() => importRow(row)).catch(report);
 * });
 * ```
 */
export function holdTransaction<R>(k: Kysely<unknown>, fn: (savepoint: <T>(part: () => Promise<T>) => Promise<T>) => Promise<R>): Promise<R> {
  return k.transaction().execute((trx) =>
    held.run(trx, () =>
      fn(async (part) => {
        await sql`SAVEPOINT held_part`.execute(trx);
        try {
          const result = await part();
          await sql`RELEASE SAVEPOINT held_part`.execute(trx);
          return result;
        } catch (e) {
          await sql`ROLLBACK TO SAVEPOINT held_part`.execute(trx);
          await sql`RELEASE SAVEPOINT held_part`.execute(trx);
          throw e;
        }
      }),
    ),
  );
}

/**
 * Runs a work in the transaction {@link holdTransaction} holds for this async context, or returns
 * `undefined` when there is none (the caller runs it on the store). A notification has no place
 * here: the works joining a held transaction (the host's tables) send none.
 */
export function inHeldTransaction<R>(work: Work<R>): Promise<R> | undefined {
  const trx = held.getStore();
  return trx === undefined ? undefined : drive(trx, work);
}

async function drive<R>(trx: Transaction<unknown>, work: Work<R>): Promise<R> {
  let next = work.next();
  while (next.done !== true) {
    const step = next.value;
    if (step.kind === 'notify') throw new HostError('PB_HOST_INVALID', `A work notified "${step.topic}" inside a held transaction, which sends no notification; run it outside the import.`);
    let result: StepResult;
    try {
      const r = await trx.executeQuery(step.query);
      result = { rows: r.rows, changes: Number(r.numAffectedRows ?? 0n) };
    } catch (err) {
      next = work.throw(err);
      continue;
    }
    next = work.next(result);
  }
  return next.value;
}
