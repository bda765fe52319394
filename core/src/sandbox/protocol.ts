/** What crosses between the host and a sandbox worker (structured-cloneable values only). */

import type { ExtensionMeta, ObserveOptions } from '../extension';

/** A listener as the worker declares it: by position, since its method key may be a symbol. */
export interface SandboxListener extends ObserveOptions {
  readonly index: number;
  readonly hook: string;
}

/** The extension's declaration, read in the worker from its decorators or `defineExtension`. */
export interface SandboxManifest extends ExtensionMeta {
  readonly listeners: readonly SandboxListener[];
  readonly lifecycle: { readonly onEnable: boolean; readonly onDisable: boolean };
}

/** An error as it crosses the boundary. */
export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly code?: string;
}

export type HostMessage =
  | { readonly type: 'call'; readonly id: number; readonly index: number; readonly hook: string; readonly args: readonly unknown[] }
  | { readonly type: 'lifecycle'; readonly id: number; readonly method: 'onEnable' | 'onDisable' }
  | { readonly type: 'service-result'; readonly id: number; readonly ok: boolean; readonly value?: unknown; readonly error?: WireError };

export type WorkerMessage =
  | { readonly type: 'ready'; readonly manifest: SandboxManifest }
  | { readonly type: 'load-error'; readonly error: WireError }
  | { readonly type: 'result'; readonly id: number; readonly ok: boolean; readonly value?: unknown; readonly error?: WireError }
  | { readonly type: 'alive' }
  | { readonly type: 'service-call'; readonly id: number; readonly name: string; readonly args: readonly unknown[] };
