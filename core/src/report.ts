import type { ListenerError, MergeConflictError } from './errors';
import type { ErrorPolicy, HookKind } from './hook-spec';

/** Outcome of one listener in one call. `skipped`: its extension is disabled. */
export type ListenerStatus = 'ok' | 'error' | 'timeout' | 'skipped';

/**
 * How a listener was registered: `observe` by the extension manager (`@observe`,
 * `defineExtension`), `events` through the Modoboa-style facade, `on` directly on the bus.
 */
export type ListenerOrigin = 'observe' | 'events' | 'on';

/** One listener's line in a {@link CallReport}. */
export interface ListenerReport {
  readonly extension: string;
  /** The listener function's name (or `anonymous`). */
  readonly listener: string;
  readonly origin: ListenerOrigin;
  readonly status: ListenerStatus;
  /** Wall time from start to settle, in milliseconds (0 when skipped). */
  readonly durationMs: number;
  readonly error?: ListenerError;
  /**
   * What the listener returned (`ok` lines; absent when it returned `undefined`), so a caller
   * can tell which extension contributed what, e.g. who vetoed.
   */
  readonly value?: unknown;
}

/**
 * What happened in one call: every listener in dispatch order (disabled ones as
 * `skipped`), with status and duration.
 */
export interface CallReport {
  readonly hook: string;
  readonly kind: HookKind;
  readonly policy: ErrorPolicy;
  readonly startedAt: Date;
  readonly durationMs: number;
  readonly listeners: readonly ListenerReport[];
  /** Keys returned by two extensions of a `merge` hook. */
  readonly conflicts: readonly MergeConflictError[];
}

/** What {@link HookBus.invoke} returns. */
export interface CallOutcome<V> {
  readonly result: V;
  readonly report: CallReport;
}

/** One line of {@link HookBus.explain}. */
export interface PlanEntry {
  readonly position: number;
  readonly extension: string;
  readonly listener: string;
  readonly priority: number;
  readonly enabled: boolean;
  readonly timeoutMs?: number;
  /** Why it sits here: priority, before/after constraints, registration order. */
  readonly reason: string;
}

/** The dispatch plan of one hook. */
export interface HookPlan {
  readonly hook: string;
  readonly kind: HookKind;
  readonly async: boolean;
  readonly policy: ErrorPolicy;
  /** Declared argument names (empty when the hook does not name them). */
  readonly params: readonly string[];
  readonly description?: string;
  /** The time limit of its listeners (async hooks) unless a listener or its extension has its own. */
  readonly timeoutMs?: number;
    /** Whether calls currently run generated code (hot) or the generic loop. */
  readonly compiled: boolean;
  readonly listeners: readonly PlanEntry[];
}

/** Passed to `after` interceptors once a call has settled. */
export interface CallRecord {
  readonly hook: string;
  readonly args: readonly unknown[];
  readonly result?: unknown;
  readonly error?: unknown;
  readonly report: CallReport;
  /** A historic hook's past call replayed to a late listener (its result went nowhere else). */
  readonly replay?: true;
}
