import type { BridgeStatus } from './bridge-types';
import { describeError, type BridgeLogger } from './logger';

/** The bridge's status listeners: each runs isolated, a throw is logged. */
export class StatusBoard {
  private readonly listeners = new Set<(status: BridgeStatus) => void>();

  constructor(private readonly logger: BridgeLogger) {}

  /** Adds a listener; returns the undo. */
  on(listener: (status: BridgeStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(status: BridgeStatus): void {
    for (const l of [...this.listeners]) {
      try {
        l(status);
      } catch (err) {
        this.logger.error({ status: status.type, error: describeError(err) }, 'status listener failed');
      }
    }
  }

  /** Resolves at the next status of this type. */
  next(type: BridgeStatus['type']): Promise<void> {
    return new Promise((resolve) => {
      const off = this.on((s) => {
        if (s.type === type) {
          off();
          resolve();
        }
      });
    });
  }
}
