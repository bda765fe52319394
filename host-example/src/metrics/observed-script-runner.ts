import { StepScriptRunner, type HandlerRunResult, type RunOptions } from '@plugboard/scripts';

/** Told about every finished handler run. */
export type ScriptRunListener = (result: HandlerRunResult) => void;

/**
 * A {@link StepScriptRunner} that tells listeners about every handler run it finishes (the
 * host's own runs and the rules' `script` actions alike), so the host can measure them without
 * the scripts library knowing about metrics.
 *
 * @example
 * ```ts
 * const scripts = new ObservedStepScriptRunner({ directories: ['/srv/events'] });
 * scripts.onRun((r) => durations.observe({ event: r.event, status: r.status }, r.durationMs / 1000));
 * ```
 */
export class ObservedStepScriptRunner extends StepScriptRunner {
  readonly #listeners = new Set<ScriptRunListener>();

  /** Calls `listener` after each handler run; returns the undo. */
  onRun(listener: ScriptRunListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  override async run(event: string, payload: unknown, options?: RunOptions): Promise<HandlerRunResult> {
    const result = await super.run(event, payload, options);
    for (const listener of this.#listeners) {
      try {
        listener(result);
      } catch {
        // A failing observer must not turn a finished run into an error for its caller.
      }
    }
    return result;
  }
}
