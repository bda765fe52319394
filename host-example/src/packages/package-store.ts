import { all, exec, notify, type Work } from '@plugboard/sql';
import type { Kysely } from 'kysely';
import type { Database } from '../db';
import type { HostTables } from '../store/host-tables';

/** One extension package the operator added. */
export interface PackageRecord {
  readonly name: string;
  /** What was added: a path, a tarball or a registry spec. */
  readonly source: string;
  readonly version: string;
  readonly addedAt: string;
}

/** The topic a change of the added packages is announced on (every process on PostgreSQL). */
export const PACKAGES_TOPIC = 'host.packages';

function* listWork(k: Kysely<HostTables>): Work<PackageRecord[]> {
  const rows = yield* all(k.selectFrom('extension_packages').select(['name', 'source', 'version', 'added_at']).orderBy('added_at').orderBy('name'));
  return rows.map((r) => ({ name: r.name, source: r.source, version: r.version, addedAt: r.added_at }));
}

function* saveWork(k: Kysely<HostTables>, record: Omit<PackageRecord, 'addedAt'>): Work<void> {
  yield* exec(
    k
      .insertInto('extension_packages')
      .values({ name: record.name, source: record.source, version: record.version, added_at: new Date().toISOString() })
      .onConflict((oc) => oc.column('name').doUpdateSet({ source: (eb) => eb.ref('excluded.source'), version: (eb) => eb.ref('excluded.version') })),
  );
  yield* notify(PACKAGES_TOPIC, record.name);
}

function* removeWork(k: Kysely<HostTables>, name: string): Work<boolean> {
  const removed = (yield* exec(k.deleteFrom('extension_packages').where('name', '=', name))) > 0;
  if (removed) yield* notify(PACKAGES_TOPIC, name);
  return removed;
}

/**
 * The extension packages added to this host (`extension_packages`, on the host's store). Every
 * process sharing the database reads it: `serve` loads what it lists and notices additions and
 * removals (announced on {@link PACKAGES_TOPIC}).
 *
 * @example
 * ```ts
 * const records = await new PackageStore(db).list();
 * ```
 */
export class PackageStore {
  constructor(private readonly db: Database) {}

  private get k(): Kysely<HostTables> {
    return this.db.store.as<HostTables>();
  }

  list(): Promise<PackageRecord[]> {
    return this.db.store.run(listWork(this.k));
  }

  save(record: Omit<PackageRecord, 'addedAt'>): Promise<void> {
    return this.db.store.transact(saveWork(this.k, record));
  }

  remove(name: string): Promise<boolean> {
    return this.db.store.transact(removeWork(this.k, name));
  }
}
