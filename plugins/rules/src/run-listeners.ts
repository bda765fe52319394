import type { EventContext } from '@plugboard/core';
import type { RuleRunListener, RuleRunSummary } from './dispatch-summary';

/** The engine's rule-run listeners; one that throws is reported to `onError` and the others still run. */
export class RunListeners {
  private readonly listeners = new Set<RuleRunListener>();

  add(listener: RuleRunListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(run: RuleRunSummary, ctx: EventContext, onError: (e: unknown) => void): void {
    for (const listener of this.listeners) {
      try {
        listener(run, { event: ctx.event, position: ctx.position });
      } catch (e) {
        // Counting must never change what the event did.
        onError(e);
      }
    }
  }
}
