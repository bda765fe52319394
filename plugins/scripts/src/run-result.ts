/**
 * Outcome of one handler run.
 * - `completed`: every executable step exited 0 (skipped steps do not count against it).
 * - `aborted`: a step exited non-zero, was killed by a signal, could not be started, or the
 *   caller's AbortSignal fired; the remaining steps were not run.
 * - `timeout`: a step exceeded its time limit, was killed (SIGTERM then SIGKILL) and the remaining steps were not run.
 * - `no-handler`: no `events/<event-name>/` directory with step files exists in any configured directory.
 */
export type HandlerStatus = 'completed' | 'aborted' | 'timeout' | 'no-handler';

/** What happened to one step file. */
export type StepStatus = 'ok' | 'failed' | 'timeout' | 'skipped';

/** One step of a handler run. */
export interface StepResult {
  /** File name of the step, e.g. `10handler`. */
  readonly step: string;
  /** Absolute path of the file that was (or would have been) run. */
  readonly path: string;
  readonly status: StepStatus;
  /** Exit code; `null` when the step was skipped, could not start, or was killed by a signal. */
  readonly exitCode: number | null;
  /** Signal that terminated the step, if any. */
  readonly signal: string | null;
  /** Wall-clock time from spawn to exit, in milliseconds (0 for skipped steps). */
  readonly durationMs: number;
  /** Why a step was skipped or could not start. */
  readonly reason?: string;
}

/** Result of {@link StepScriptRunner.run}. */
export interface HandlerRunResult {
  readonly event: string;
  /** The `AGENT_EVENT_SOURCE` the steps saw, e.g. `module/traefik1`. */
  readonly source: string;
  readonly status: HandlerStatus;
  /**
   * Exit status in the agent's convention: 0 when completed, the failing step's exit code when
   * aborted, -1 when the step was killed by a signal (timeout included), 9 when it could not be started.
   */
  readonly exitCode: number;
  /** Name of the last step that was started (the failing one when aborted). */
  readonly lastStep?: string;
  /** Every step file in run order, including skipped ones; steps after an abort are absent. */
  readonly steps: readonly StepResult[];
  /** Time spent waiting for a concurrency slot, in milliseconds. */
  readonly queuedMs: number;
  /** Time spent running the steps, in milliseconds. */
  readonly durationMs: number;
}
