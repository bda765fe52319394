import { PermanentDeliveryError, type DurableOutbox, type OutboxMessage } from '@plugboard/outbox';
import { HandlerFailedError } from './errors';
import type { HandlerRunResult } from './run-result';
import type { StepScriptRunner } from './step-script-runner';

/** Outbox channel of queued Script rule runs. */
export const SCRIPT_CHANNEL = 'script';

/** One handler run queued by a Script rule: everything needed to run it later, in any process. */
export interface ScriptJob {
  readonly directory: string;
  readonly event: string;
  readonly source: string;
  readonly payload: unknown;
  readonly env: Readonly<Record<string, string>>;
  readonly stepTimeoutMs?: number;
  /** The rule's event, for error messages. */
  readonly hook: string;
}

/** Runs one job; a handler that aborts or times out throws a {@link HandlerFailedError}. */
export async function runScriptJob(runner: StepScriptRunner, job: ScriptJob, signal?: AbortSignal): Promise<HandlerRunResult> {
  const result = await runner.run(job.event, job.payload, {
    directories: [job.directory],
    source: job.source,
    env: job.env,
    ...(job.stepTimeoutMs !== undefined ? { stepTimeoutMs: job.stepTimeoutMs } : {}),
    ...(signal !== undefined ? { signal } : {}),
  });
  if (result.status === 'aborted' || result.status === 'timeout') throw new HandlerFailedError(result, { hook: job.hook });
  return result;
}

/**
 * Delivers queued Script runs from the outbox. A failed handler becomes a dead letter rather
 * than being retried: its first steps already ran, and steps are not required to be idempotent,
 * so only an administrator (who can see what happened) should run it again.
 */
export function registerScriptChannel(outbox: DurableOutbox, runner: StepScriptRunner): () => void {
  return outbox.register<ScriptJob>(SCRIPT_CHANNEL, async (message: OutboxMessage<ScriptJob>, signal) => {
    try {
      const result = await runScriptJob(runner, message.payload, signal);
      return { detail: `handler ${message.payload.event}: ${result.status}, ${result.steps.length} step(s)` };
    } catch (e) {
      if (e instanceof HandlerFailedError) throw new PermanentDeliveryError(e.message, { cause: e });
      throw e;
    }
  });
}
