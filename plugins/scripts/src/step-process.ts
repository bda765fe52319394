import { spawn, type ChildProcess } from 'node:child_process';
import * as readline from 'node:readline';
import type { Readable } from 'node:stream';
import type { HandlerStep } from './handler-steps';
import type { ScriptLogger } from './logger';
import type { StepResult } from './run-result';
import { openStepOutput, type StepOutput } from './step-output';

/** Exit status the agent reports when a step cannot be started. */
export const START_FAILURE_EXIT_CODE = 9;
/** Exit status reported for a step terminated by a signal (Go's `ExitCode()` convention). */
export const SIGNALLED_EXIT_CODE = -1;
/**
 * After a step exits, how long its output may stay open (held by a process it left in the
 * background) before the runner stops reading it and moves on.
 */
const OUTPUT_DRAIN_MS = 1000;

/** A step's result, and the run-level exit status it means in the agent's convention. */
export interface StepOutcome {
  readonly result: StepResult;
  readonly exitCode: number;
}

/** What running one step needs from its handler run. */
export interface StepRun {
  readonly event: string;
  readonly source: string;
  readonly stdin: string;
  readonly env: NodeJS.ProcessEnv;
  readonly stepTimeoutMs: number;
  readonly signal?: AbortSignal;
}

/** Where a step's output and problems are logged, and how long a stopped step gets before SIGKILL. */
export interface StepProcessOptions {
  readonly logger: ScriptLogger;
  readonly killGraceMs: number;
}

type StopReason = 'timeout' | 'aborted';

/** SIGKILL for whatever is left of a stopped step's process group once its leader has exited. */
function killRemainingGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // ESRCH: the whole group is gone.
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    // The step leads its own process group (detached), so its children are stopped with it.
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // Already gone.
    }
  }
}

/** Resolves when every line of `stream` has been relayed. */
function relayLines(stream: Readable, onLine: (line: string) => void): Promise<void> {
  const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
  lines.on('line', onLine);
  return new Promise((resolve) => lines.once('close', () => resolve()));
}

/** The failed outcome of a step that could not be started, logged with the reason. */
export function startFailure(logger: ScriptLogger, step: HandlerStep, started: number, err: unknown, where: string, logFields: Record<string, unknown>): StepOutcome {
  const reason = err instanceof Error ? err.message : String(err);
  logger.error({ ...logFields, err: reason }, `Handler of ${where} failed at step ${step.name}: ${reason}`);
  return {
    result: { step: step.name, path: step.path, status: 'failed', exitCode: null, signal: null, durationMs: performance.now() - started, reason },
    exitCode: START_FAILURE_EXIT_CODE,
  };
}

function outcomeOf(base: Omit<StepResult, 'status'>, code: number | null, stopReason: StopReason | undefined, timeoutMs: number): StepOutcome {
  if (stopReason === 'timeout') return { result: { ...base, status: 'timeout', reason: `exceeded ${timeoutMs} ms` }, exitCode: SIGNALLED_EXIT_CODE };
  if (stopReason === 'aborted') return { result: { ...base, status: 'failed', reason: 'the run was aborted by its caller' }, exitCode: SIGNALLED_EXIT_CODE };
  if (code === 0) return { result: { ...base, status: 'ok' }, exitCode: 0 };
  return { result: { ...base, status: 'failed' }, exitCode: code ?? SIGNALLED_EXIT_CODE };
}

/**
 * Runs one step as its own process group: the payload on stdin, stdout and stderr relayed as one
 * stream in order, stopped (SIGTERM, then SIGKILL after the grace) on its time limit or when the
 * run is aborted. Never rejects: a step that cannot start is a failed outcome.
 *
 * @example
 * ```ts
 * const { result } = await runStepProcess(step, run, { logger, killGraceMs: 5000 });
 * ```
 */
export async function runStepProcess(step: HandlerStep, run: StepRun, options: StepProcessOptions): Promise<StepOutcome> {
  const where = `${run.source}/event/${run.event}`;
  const logFields = { event: run.event, source: run.source, step: step.name };
  const started = performance.now();
  let output: StepOutput;
  try {
    output = await openStepOutput();
  } catch (err) {
    return startFailure(options.logger, step, started, err, where, logFields);
  }
  let child: ChildProcess;
  try {
    child = spawn(step.path, [], { shell: false, detached: true, env: run.env, stdio: ['pipe', output.child, output.child] });
  } catch (err) {
    output.parent.destroy();
    return startFailure(options.logger, step, started, err, where, logFields);
  } finally {
    // The step holds its own copies of the output socket: EOF arrives when it (and its children) exit.
    output.child.destroy();
  }
  return watchStep(child, output, { step, run, options, where, logFields, started });
}

interface Watched {
  readonly step: HandlerStep;
  readonly run: StepRun;
  readonly options: StepProcessOptions;
  readonly where: string;
  readonly logFields: Record<string, unknown>;
  readonly started: number;
}

/** Feeds a started step, enforces its time limit and the run's abort, and settles once it exited and its output drained. */
function watchStep(child: ChildProcess, output: StepOutput, w: Watched): Promise<StepOutcome> {
  const { step, run, options } = w;
  return new Promise<StepOutcome>((resolve) => {
    let stopReason: StopReason | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    let settled = false;
    const stop = (reason: StopReason): void => {
      if (stopReason !== undefined) return;
      stopReason = reason;
      killGroup(child, 'SIGTERM');
      killTimer = setTimeout(() => killGroup(child, 'SIGKILL'), options.killGraceMs);
    };
    const stepTimer =
      run.stepTimeoutMs === Infinity
        ? undefined
        : setTimeout(() => {
            options.logger.warn({ ...w.logFields, timeoutMs: run.stepTimeoutMs }, `Handler of ${w.where}: step ${step.name} exceeded its time limit of ${run.stepTimeoutMs} ms; stopping it`);
            stop('timeout');
          }, run.stepTimeoutMs);
    const onAbort = (): void => stop('aborted');
    run.signal?.addEventListener('abort', onAbort, { once: true });
    const cleanup = (): void => {
      settled = true;
      if (stepTimer) clearTimeout(stepTimer);
      if (killTimer) clearTimeout(killTimer);
      run.signal?.removeEventListener('abort', onAbort);
    };
    const outputDone = relayLines(output.parent, (line) => options.logger.info({ ...w.logFields, stream: 'stdout+stderr' }, line));
    // A step that does not read its stdin closes the pipe early; that is not an error.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(run.stdin);
    child.once('error', (err) => {
      if (settled || child.pid !== undefined) return;
      cleanup();
      resolve(startFailure(options.logger, step, w.started, err, w.where, w.logFields));
    });
    child.once('exit', (code, signal) => {
      if (settled) return;
      const durationMs = performance.now() - w.started;
      cleanup();
      // Children that ignored SIGTERM would otherwise outlive a step that had to be stopped.
      if (stopReason !== undefined) killRemainingGroup(child.pid);
      let drainTimer: NodeJS.Timeout | undefined;
      const drained = new Promise<void>((done) => {
        drainTimer = setTimeout(() => {
          output.parent.destroy();
          done();
        }, OUTPUT_DRAIN_MS);
      });
      void Promise.race([outputDone, drained]).then(() => {
        clearTimeout(drainTimer);
        resolve(outcomeOf({ step: step.name, path: step.path, exitCode: code, signal, durationMs }, code, stopReason, run.stepTimeoutMs));
      });
    });
  });
}
