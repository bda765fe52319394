import type { SecretBox } from '@plugboard/core';
import { all, exec, first, notify, type SqlDialect, type Work } from '@plugboard/sql';
import type { Kysely } from 'kysely';
import { CONFIG_TOPIC, type ConfigRow, type NotifyTables } from './notify-schema';

/** A table of named, sealed configurations. */
export type ConfigTable = keyof NotifyTables;

// The tables share ConfigRow's columns: the works below are written once against that shape.
type Rows = Kysely<Record<string, ConfigRow & { kind?: string }>>;

/** Every row of `table`. */
export function* loadRows(k: Kysely<NotifyTables>, table: ConfigTable): Work<ConfigRow[]> {
  return yield* all((k as unknown as Rows).selectFrom(table).selectAll());
}

/** Inserts a new row unless the name is taken; returns whether it did. */
export function* insertRow(k: Kysely<NotifyTables>, table: ConfigTable, row: Omit<ConfigRow, 'revision'> & { kind?: string }): Work<boolean> {
  const n = yield* exec((k as unknown as Rows).insertInto(table).values({ ...row, revision: 1 }).onConflict((oc) => oc.column('name').doNothing()));
  if (n > 0) yield* notify(CONFIG_TOPIC, table);
  return n > 0;
}

/** What {@link updateRow} writes: the new sealed data (and, for email hooks, kind) made from the current row. */
export type RowChange = (current: ConfigRow & { kind?: string }) => { readonly data: string; readonly kind?: string };

/**
 * Rewrites the row named `name` from its current content, read in the same transaction (locked
 * on PostgreSQL, so a concurrent update of another process is merged, not lost). Returns the
 * row written, or undefined when there is none.
 */
export function* updateRow(k: Kysely<NotifyTables>, dialect: SqlDialect, table: ConfigTable, name: string, change: RowChange): Work<ConfigRow | undefined> {
  const rows = k as unknown as Rows;
  const select = rows.selectFrom(table).selectAll().where('name', '=', name);
  const current = yield* first(dialect === 'postgres' ? select.forUpdate() : select);
  if (current === undefined) return undefined;
  const { data, kind } = change(current);
  const next = { ...current, data, ...(kind !== undefined ? { kind } : {}), updated_at: new Date().toISOString(), revision: current.revision + 1 };
  yield* exec(rows.updateTable(table).set({ data: next.data, ...(kind !== undefined ? { kind } : {}), updated_at: next.updated_at, revision: next.revision }).where('name', '=', name));
  yield* notify(CONFIG_TOPIC, table);
  return next;
}

/** Deletes the row named `name`; returns whether it existed. */
export function* deleteRow(k: Kysely<NotifyTables>, table: ConfigTable, name: string): Work<boolean> {
  const n = yield* exec((k as unknown as Rows).deleteFrom(table).where('name', '=', name));
  if (n > 0) yield* notify(CONFIG_TOPIC, table);
  return n > 0;
}

/**
 * Seals every row of `tables` not sealed with the box's current key (plaintext from before
 * encryption, or the previous key after a rotation); returns how many rows changed.
 */
export function* resealRows(k: Kysely<NotifyTables>, tables: readonly ConfigTable[], box: SecretBox): Work<number> {
  const rows = k as unknown as Rows;
  let changed = 0;
  for (const table of tables) {
    let inTable = 0;
    for (const row of yield* all(rows.selectFrom(table).select(['name', 'data']))) {
      if (!box.needsReseal(row.data)) continue;
      yield* exec(rows.updateTable(table).set({ data: box.seal(box.open(row.data)) }).where('name', '=', row.name));
      inTable++;
    }
    if (inTable > 0) yield* notify(CONFIG_TOPIC, table);
    changed += inTable;
  }
  return changed;
}
