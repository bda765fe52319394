import type { ErrorPolicy } from '../hook-spec';

/** Per-call options of {@link HookBus.invoke}. */
export interface CallOptions {
  /** Overrides the hook's error policy for this call. */
  readonly policy?: ErrorPolicy;
  /** Caps every listener's time limit for this call (async hooks). */
  readonly timeoutMs?: number;
  /** Aborts every listener of this call when aborted (async hooks). */
  readonly signal?: AbortSignal;
}

/** What a host may set for one hook over the catalogue's declaration. */
export interface HookOverrides {
  /** Replaces the hook's error policy (e.g. `isolate` for a display hook). */
  readonly policy?: ErrorPolicy;
  /** Replaces the hook's declared time limit (async hooks). */
  readonly timeoutMs?: number;
}
