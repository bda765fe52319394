import type { RulePosition } from './rule';

/** What happened to one rule during a dispatch. */
export type RuleRunStatus = 'ran' | 'skipped' | 'failed';

/** One rule's part of a {@link DispatchSummary}. */
export interface RuleRunSummary {
  readonly ruleId: number;
  readonly ruleName: string;
  readonly handlerModule: string;
  readonly action: string;
  readonly status: RuleRunStatus;
  readonly durationMs: number;
  /** Message of the error when `failed`. */
  readonly error?: string;
  /** `detail` the action reported. */
  readonly detail?: string;
  /** Outbox message ids the action queued. */
  readonly queued?: readonly string[];
}

/** Result of `RulesEngine.dispatch`: every matching rule in the order it ran. */
export interface DispatchSummary {
  readonly event: string;
  readonly eventId: string;
  readonly position: RulePosition;
  readonly rules: readonly RuleRunSummary[];
  readonly durationMs: number;
}

/**
 * Told about every rule run once it is settled (`ran`, `skipped`, `failed`), with the event it
 * ran for; e.g. to count actions by outcome. See `RulesEngine.onRun`.
 */
export type RuleRunListener = (run: RuleRunSummary, event: { readonly event: string; readonly position: RulePosition }) => void;
