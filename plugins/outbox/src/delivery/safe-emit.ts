import type { EventEmitter } from 'node:events';
import { errorMessage } from '../error-message';
import type { OutboxEvents, OutboxLogger } from '../types';
import type { Emission } from './attempt';

/** Emits on the outbox; a throwing listener must not break the loop (the outcome is already committed). */
export function emitSafely(outbox: EventEmitter<OutboxEvents>, logger: OutboxLogger, e: Emission): void {
  try {
    const [event, ...args]: readonly unknown[] = e;
    (outbox.emit as (event: unknown, ...args: unknown[]) => boolean)(event, ...args);
  } catch (err) {
    logger.error({ code: 'PB_OUTBOX_LISTENER', event: e[0], err }, `A listener of outbox event "${e[0]}" threw: ${errorMessage(err)}. Listeners must not throw.`);
  }
}
