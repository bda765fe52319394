import type { ExtensionManager } from '@plugboard/core';
import { SqlDatabase } from '@plugboard/sql';
import type { Logger } from 'pino';
import type { Database } from './db';
import { followExtensionStates } from './extension-state-sync';
import { SqlExtensionStore } from './extension-store';
import type { HostSpecs } from './hooks';
import type { LiveEvents } from './live-events';
import { LiveEventsRelay } from './live-events-relay';

/** Where a host keeps what its processes share: the extension states and, on PostgreSQL, the live events. */
export interface HostSharing {
  readonly database: SqlDatabase;
  readonly store: SqlExtensionStore;
}

/**
 * The extension state store on `shared` (another process's database, e.g. PostgreSQL, left open
 * by the host) or, by default, on the host's own SQLite connection (adopted, so it stays the one
 * connection the host writes with).
 */
export async function openSharing(db: Database, shared: SqlDatabase | undefined): Promise<HostSharing> {
  const database = shared ?? db.store;
  return { database, store: await SqlExtensionStore.open(database) };
}

/**
 * Makes a serving process follow the others sharing its database: extension states changed
 * anywhere apply here within a second, and on PostgreSQL the live log shows every process's
 * events. Returns the undo (the database stays open).
 *
 * @example
 * ```ts
 * const stop = await shareWithOtherProcesses(sharing, { db, manager, liveEvents, logger });
 * ```
 */
export async function shareWithOtherProcesses(
  sharing: HostSharing,
  parts: { readonly manager: ExtensionManager<HostSpecs>; readonly liveEvents: LiveEvents; readonly logger: Logger },
): Promise<() => Promise<void>> {
  const sqlite = sharing.database.sqlite;
  const onSqlite = sqlite !== undefined;
  // Topics of SQLite reach only its own connection: other processes' commits show as a new data_version.
  const dataVersion = onSqlite ? (): number => sqlite.pragma('data_version', { simple: true }) as number : undefined;
  const unfollow = await followExtensionStates(parts.manager, sharing.store, { logger: parts.logger, ...(dataVersion !== undefined ? { dataVersion } : {}) });
  // On SQLite every process has its own live log: there is no channel between them to share it on.
  const relay = onSqlite ? undefined : await LiveEventsRelay.start(parts.liveEvents, sharing.database, { logger: parts.logger });
  return async () => {
    unfollow();
    await relay?.close();
  };
}
