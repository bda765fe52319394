import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { SecretBox, type ExtensionClass } from '@plugboard/core';
import { pgDatabase, type TestDatabase } from '../../test/support/pg-database';
import type { HostOptions } from '../src/host';
import { start, tempDir, type Running } from './helpers';

/** Hosts on one PostgreSQL database, as {@link pgHosts} gives them. */
export interface PgHosts {
  /** The describe block's database (set once its beforeAll ran). */
  readonly pg: () => TestDatabase;
  /** A directory of the block's, removed after it (for SQLite files that are not a host's). */
  readonly dir: string;
  /** Starts a host named `name` on the database, sharing the block's secret key; stopped after the block. */
  readonly host: (name: string, extensions?: readonly ExtensionClass[], extra?: Partial<HostOptions>) => Promise<Running>;
  /** Stops a host before the block ends (e.g. to start it again). */
  readonly stop: (run: Running) => Promise<void>;
}

/**
 * For a describe block: a fresh PostgreSQL database (`appName` names its connections) and hosts
 * on it that share one secret key, as hosts on one database must; every host is stopped and the
 * database dropped after the block.
 */
export function pgHosts(appName: string): PgHosts {
  const tmp = tempDir();
  const shared = new SecretBox([randomBytes(32)]);
  const running: Running[] = [];
  let db: TestDatabase | undefined;
  const pg = (): TestDatabase => {
    if (db === undefined) throw new Error('pgHosts: the database is made in beforeAll; use it inside a test');
    return db;
  };
  beforeAll(async () => {
    db = await pgDatabase(appName);
  });
  afterAll(async () => {
    for (const run of running) await run.stop().catch(() => undefined);
    await db?.drop();
    tmp.cleanup();
  });
  return {
    pg,
    dir: tmp.dir,
    host: async (name, extensions = [], extra = {}) => {
      const run = await start(join(tmp.dir, `${name}.sqlite`), extensions, { databaseUrl: pg().url(name), secrets: shared, ...extra });
      running.push(run);
      return run;
    },
    stop: async (run) => {
      running.splice(running.indexOf(run), 1);
      await run.stop();
    },
  };
}
