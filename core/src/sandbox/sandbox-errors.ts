import { PlugboardError, type ErrorDetails } from '../errors';

/** Codes of {@link SandboxError}. */
export type SandboxErrorCode =
  /** The module threw at import, exports no extension, or asks the host's container for services. */
  | 'PB_SANDBOX_LOAD_FAILED'
  /** A call kept the worker's event loop busy past the CPU limit: the worker was terminated. */
  | 'PB_SANDBOX_CPU_LIMIT'
  /** The worker ran out of its heap limit and was terminated. */
  | 'PB_SANDBOX_MEMORY_LIMIT'
  /** The worker exited (e.g. `process.exit()`) while calls were in flight. */
  | 'PB_SANDBOX_EXITED'
  /** The worker died of an uncaught error outside any listener. */
  | 'PB_SANDBOX_CRASHED'
  /** An argument or a result cannot cross the boundary (structured clone refused it). */
  | 'PB_SANDBOX_NOT_CLONEABLE'
  /** The extension observes a synchronous hook, which a worker cannot answer in time. */
  | 'PB_SANDBOX_SYNC_HOOK'
  /** The worker was restarted too often; the extension's calls fail until it is loaded again. */
  | 'PB_SANDBOX_GAVE_UP'
  /** The extension called a host service that the host does not expose. */
  | 'PB_SANDBOX_NO_SERVICE';

/**
 * An error of a sandboxed extension: its worker, its limits or its boundary. Names the
 * extension (and the hook, for a call) and says what to do.
 *
 * @example
 * ```ts
 * try { await loadSandboxedExtension(file, options); }
 * catch (e) { if (e instanceof SandboxError && e.code === 'PB_SANDBOX_LOAD_FAILED') console.error(e.message); }
 * ```
 */
export class SandboxError extends PlugboardError {
  declare readonly code: SandboxErrorCode;

  constructor(code: SandboxErrorCode, message: string, details: ErrorDetails = {}) {
    super(code, message, details);
  }
}
