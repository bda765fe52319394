import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { errorMessage } from './error-message';
import { OutboxError } from './errors';
import { migrate } from './migrations';
import type { OutboxLogger } from './types';
import { isCheckpointMode, WalCheckpointer } from './wal-checkpointer';

/** The connection an {@link Outbox} works on, and what it owns of it. */
export interface OutboxDatabase {
  readonly db: Database;
  /** The outbox opened it from a path, so closes it. */
  readonly ownsDb: boolean;
  readonly checkpointer: WalCheckpointer | undefined;
}

/**
 * Opens (from a path) or adopts (the host's) the database, migrates the schema and, for a file
 * the outbox opened, starts background WAL checkpoints. Closes what it opened if any step fails.
 */
export function openOutboxDatabase(database: Database | string, checkpoints: unknown, logger: OutboxLogger): OutboxDatabase {
  let db: Database;
  let ownsDb: boolean;
  if (typeof database === 'string') {
    db = new BetterSqlite3(database);
    ownsDb = true;
    // WAL lets readers (admin API, CLI) work while deliveries commit; NORMAL sync is durable
    // against process crashes, which is what the outbox promises, at a fraction of FULL's cost.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
  } else {
    if (!database.open) {
      throw new OutboxError('PB_OUTBOX_INVALID_OPTIONS', 'The database passed to Outbox is closed; pass an open better-sqlite3 Database or a file path.');
    }
    db = database;
    ownsDb = false;
  }
  try {
    migrate(db);
  } catch (err) {
    if (ownsDb) db.close();
    throw err;
  }
  if (!isCheckpointMode(checkpoints)) {
    if (ownsDb) db.close();
    throw new OutboxError('PB_OUTBOX_INVALID_OPTIONS', `checkpoints must be "background" or "sqlite" (got ${JSON.stringify(checkpoints)}).`);
  }
  // An in-memory path has no WAL; nothing to move off the main thread.
  const checkpointer = ownsDb && checkpoints === 'background' && !db.memory ? startCheckpointer(db, logger) : undefined;
  return { db, ownsDb, checkpointer };
}

/** A database that cannot have one (no WAL) keeps SQLite's own checkpoints: slower commits, same guarantees. */
function startCheckpointer(db: Database, logger: OutboxLogger): WalCheckpointer | undefined {
  try {
    return WalCheckpointer.start(db, { logger });
  } catch (err) {
    logger.warn({ code: 'PB_OUTBOX_CHECKPOINT', file: db.name, err }, `WAL checkpoints stay inside commits: ${errorMessage(err)}`);
    return undefined;
  }
}
