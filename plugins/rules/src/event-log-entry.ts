import type { RulePosition } from './rule';

/**
 * Outcome of one rule for one event: the action did its work (`ok`), handed messages to the
 * outbox (`queued`, delivery still to come), threw (`failed`), or did nothing (`skipped`: its
 * conditions did not hold, or the action said why, e.g. an endpoint not subscribed to the event).
 */
export type EventLogStatus = 'ok' | 'queued' | 'failed' | 'skipped';

/** One line of the rules event log. */
export interface EventLogEntry {
  readonly id: number;
  readonly ruleId: number;
  readonly ruleName: string;
  readonly event: string;
  readonly eventId: string;
  readonly position: RulePosition;
  readonly status: EventLogStatus;
  readonly error?: string;
  readonly detail?: string;
  readonly durationMs: number;
  readonly at: Date;
}

/** What `EventLog.record` stores. */
export type EventLogRecord = Omit<EventLogEntry, 'id' | 'at'> & { readonly at?: Date };

/** Filter of `EventLog.query`; all given fields must match. */
export interface EventLogQuery {
  readonly ruleId?: number;
  readonly event?: string;
  readonly eventId?: string;
  readonly status?: EventLogStatus;
  readonly position?: RulePosition;
  /** Entries at or after this time. */
  readonly since?: Date;
  /** Entries before this time. */
  readonly until?: Date;
  /** Default 100, at most 1000. */
  readonly limit?: number;
  readonly offset?: number;
  /** Default `desc` (newest first). */
  readonly order?: 'asc' | 'desc';
}
