import type { HookSpecs } from './catalogue';
import type { ExtensionContainer } from './extension-container';
import type { HookBus } from './hook-bus';

/** Lifecycle state of an installed extension. `failed`: construction or `onEnable` threw or timed out. */
export type ExtensionState = 'enabled' | 'disabled' | 'failed';

/** What {@link ExtensionManager.list} reports for one extension. */
export interface ExtensionInfo {
  readonly name: string;
  readonly version: string;
  readonly requires: readonly string[];
  readonly description?: string;
  readonly state: ExtensionState;
  /** Why it is `failed`. */
  readonly error?: string;
  /** Why it was disabled, when a reason was given (e.g. by a circuit breaker). */
  readonly reason?: string;
  /** Hooks it observes, in declaration order. */
  readonly hooks: readonly string[];
}

/**
 * Where the host persists which extensions are enabled (e.g. a SQL table). Each method may
 * answer synchronously (an embedded database) or with a promise (a database server); the
 * manager awaits either.
 */
export interface ExtensionStateStore {
  /** The persisted state, or undefined when never saved. */
  load(name: string): boolean | undefined | Promise<boolean | undefined>;
  /** `reason`: why it was disabled, when one was given (shown to administrators). */
  save(name: string, enabled: boolean, reason?: string): void | Promise<void>;
  /** The reason saved with a disabled state, if the store keeps reasons. */
  reason?(name: string): string | undefined | Promise<string | undefined>;
}

/** Options of an {@link ExtensionManager}. */
export interface ExtensionManagerOptions<T extends HookSpecs> {
  readonly bus: HookBus<T>;
  /** The host's inversify container: extensions are resolved from it and may inject its services. */
  readonly container: ExtensionContainer;
  readonly store?: ExtensionStateStore;
  /** Time limit of `onEnable` / `onDisable` in milliseconds (default 10 000): exceeded, the extension is `failed`. */
  readonly lifecycleTimeoutMs?: number;
}

/** Options of {@link ExtensionManager.disable}. */
export interface DisableOptions {
  /** Why (recorded, persisted with the state and shown in `list()`), e.g. "5 consecutive failures". */
  readonly reason?: string;
}
