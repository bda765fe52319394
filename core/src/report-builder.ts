import type { ListenerError, MergeConflictError } from './errors';
import type { ErrorPolicy, HookKind } from './hook-spec';
import type { ListenerEntry } from './listener-entry';
import type { CallReport, ListenerReport, ListenerStatus } from './report';

function now(): number {
  return performance.now();
}

/** Collects per-listener lines while a call runs. */
export class ReportBuilder {
  readonly lines: ListenerReport[] = [];
  readonly conflicts: MergeConflictError[] = [];
  readonly startedAt = new Date();
  private readonly t0 = now();

  line(e: ListenerEntry, status: ListenerStatus, started: number, error?: ListenerError, value?: unknown): void {
    const durationMs = status === 'skipped' ? 0 : now() - started;
    const line: { -readonly [K in keyof ListenerReport]: ListenerReport[K] } = { extension: e.extension, listener: e.label, origin: e.origin, status, durationMs };
    if (error !== undefined) line.error = error;
    else if (value !== undefined) line.value = value;
    this.lines.push(line);
  }

  finish(hook: string, kind: HookKind, policy: ErrorPolicy): CallReport {
    return {
      hook,
      kind,
      policy,
      startedAt: this.startedAt,
      durationMs: now() - this.t0,
      listeners: this.lines,
      conflicts: this.conflicts,
    };
  }
}

