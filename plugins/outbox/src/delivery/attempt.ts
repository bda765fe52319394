import type { MessageRow } from '../message-row';
import type { DeliveryReceipt, OutboxEvents, OutboxMessage } from '../types';

/** An attempt being delivered by this process. */
export interface InFlight {
  readonly row: MessageRow;
  readonly message: OutboxMessage;
  readonly controller: AbortController;
  readonly startedAt: number;
  readonly timer: NodeJS.Timeout;
  abortKind?: 'timeout' | 'stopped';
  /** The attempt settled; aborting it now would mislabel its outcome. */
  done?: boolean;
}

/** A finished attempt waiting for the next tick to record its outcome. */
export type Completion =
  | { readonly entry: InFlight; readonly finishedAt: number; readonly ok: true; readonly receipt?: DeliveryReceipt }
  | { readonly entry: InFlight; readonly finishedAt: number; readonly ok: false; readonly error: unknown };

/** An outbox event with its arguments, emitted once its transaction committed. */
export type Emission = { [E in keyof OutboxEvents]: [E, ...OutboxEvents[E]] }[keyof OutboxEvents];
