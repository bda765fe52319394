/**
 * The registry of every code `@plugboard/core` throws. This table is the documentation source
 * (`npm run docs:errors` writes it into the README) and `CoreErrorCode` is derived from it.
 */
import { defineErrorRegistry } from './error-registry';

/** Code → what it means and what to do. */
export const CORE_ERRORS = {
  PB_LISTENER_FAILED: 'A listener threw or rejected (`ListenerError`, cause attached). Fix the extension or disable it.',
  PB_LISTENER_TIMEOUT: 'A listener exceeded its time limit and was sent an abort signal. Raise its `timeoutMs` or make it honour the signal.',
  PB_INVALID_RESULT: "A listener returned a value the hook's result schema refuses. Return what the schema describes.",
  PB_LISTENERS_FAILED: 'Several listeners failed in one call (policy `aggregate`, `ListenersFailedError`). Read `.errors` for each cause.',
  PB_UNKNOWN_HOOK: 'The hook name is not in the catalogue. Declare it with `defineHooks()` or fix the name.',
  PB_INVALID_DEFINITION: 'A hook declaration or registration is malformed (bad name, listener not a function, no extension). Fix the declaration.',
  PB_INVALID_ARGUMENTS: "Call arguments fail the hook's argument schema. Pass what the schema describes.",
  PB_ORDER_UNKNOWN: '`before`/`after` names an extension that is not installed. Fix the name or install that extension.',
  PB_ORDER_CYCLE: '`before`/`after`/`requires` constraints form a cycle (or name the extension itself). Remove one constraint.',
  PB_MERGE_CONFLICT: 'Two extensions returned the same key for a `merge` hook; the first value was kept. Rename one of the keys.',
  PB_EXT_INVALID: 'Not a valid extension (no `@extension`, bad name or version, listener not a method, hook not in the catalogue). Fix the class.',
  PB_EXT_DUPLICATE: 'An extension of that name is already installed. Unregister it first.',
  PB_EXT_UNKNOWN: 'No extension of that name is installed. List the extensions to find the right name.',
  PB_EXT_CONSTRUCT_FAILED: 'The extension class could not be constructed (its constructor or a dependency threw). Fix the extension; the cause is attached.',
  PB_EXT_ENABLE_FAILED: "The extension's `onEnable` failed; it stays disabled. Fix the extension; the cause is attached.",
  PB_EXT_DISABLE_FAILED: "The extension's `onDisable` failed; its listeners are removed anyway. Fix the extension; the cause is attached.",
  PB_EXT_REQUIRES: 'An extension it `requires` is missing or disabled. Install and enable that extension first.',
  PB_EXT_REQUIRED_BY: 'Another enabled extension `requires` this one. Disable that extension first.',
  PB_EXT_NO_CONTEXT: 'Called outside any extension, so the extension name cannot be guessed. Pass the name explicitly.',
  PB_EXT_TIMEOUT: 'A lifecycle step (enable, disable) exceeded its time limit; its outcome is ignored. Make it faster or raise the limit.',
  PB_MANIFEST_MISSING: 'The package has no `package.json`, or no `plugboard` field in it. Add the manifest.',
  PB_MANIFEST_INVALID: 'The `plugboard` field of `package.json` is malformed (each problem named). Fix the named fields.',
  PB_EXT_INCOMPATIBLE: "The package targets another catalogue, or a version range the host's catalogue is outside of. Use a matching version.",
  PB_PKG_IMPORT_FAILED: 'An entry module threw while being imported (or has a syntax error). Fix the package and add it again.',
  PB_PKG_DEPENDENCY_MISSING: 'An entry module imports a package that is not installed. Install the dependency.',
  PB_PKG_EMPTY: 'No entry module of the package exports an extension. Export the extension class or definition.',
  PB_PKG_UNTRUSTED: 'The package is marked untrusted and the host loads no sandboxed extensions. Give the loader sandbox options, or trust the package.',
  PB_SANDBOX_LOAD_FAILED: 'A sandboxed module threw at import, exports no extension (or several), asks for the host container, or observes an unknown hook. Fix the module; nothing was installed.',
  PB_SANDBOX_CPU_LIMIT: "A call kept the sandbox worker's event loop busy past `cpuTimeoutMs`; the worker was terminated and restarts at the next call. Make the listener yield or raise the limit.",
  PB_SANDBOX_MEMORY_LIMIT: 'The sandbox worker ran out of its `heapMb`; it was terminated and restarts at the next call. Use less memory or raise the limit.',
  PB_SANDBOX_EXITED: 'The sandbox worker exited (`process.exit()`) with calls in flight; it restarts at the next call. Extensions must not exit.',
  PB_SANDBOX_CRASHED: 'The sandbox worker died of an uncaught error outside any listener; it restarts at the next call. See the cause.',
  PB_SANDBOX_NOT_CLONEABLE: 'An argument or a result cannot cross the sandbox boundary (structured clone refused it). Pass and return plain data.',
  PB_SANDBOX_SYNC_HOOK: 'A sandboxed extension observes a synchronous hook, which a worker cannot answer. Observe async hooks only or run it unsandboxed.',
  PB_SANDBOX_GAVE_UP: 'The sandbox was restarted more than its budget allows; its calls fail until it is loaded again. Fix the extension; the last failure is the cause.',
  PB_SANDBOX_NO_SERVICE: 'A sandboxed extension called a service the host does not expose. Call one of the exposed services (named in the message).',
  PB_SECRET_KEY_MISSING: 'Stored secrets are encrypted but no key was given. Set `PLUGBOARD_SECRET_KEY` or `PLUGBOARD_SECRET_KEY_FILE`.',
  PB_SECRET_KEY_MISMATCH: 'A secret was sealed with another key, or was altered. Configure the key the data was written with.',
  PB_SECRET_KEY_INVALID: 'The key is not 32 bytes of base64, or the key file cannot be read. Create one with `secrets key create`.',
} as const;

/** A code of {@link CORE_ERRORS}: a union, so a misspelt code is a compile error. */
export type CoreErrorCode = keyof typeof CORE_ERRORS;

type CoreErrorTable = typeof CORE_ERRORS;

/**
 * Every code a {@link PlugboardError} may carry: core's, plus those each plugin adds by
 * augmenting this interface (`declare module '@plugboard/core'`). Augmenting keeps core free
 * of any dependency on its plugins while `PlugboardError.code` is still a closed union.
 */
// An interface (not a type alias) because only interfaces can be merged across packages.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface PlugboardErrorCodes extends CoreErrorTable {}

/** A code of any registry in the program (see {@link PlugboardErrorCodes}). */
export type PlugboardErrorCode = keyof PlugboardErrorCodes & string;

/**
 * The registry of core's codes.
 *
 * @example
 * ```ts
 * try { await bus.call('PasswordChange', user); }
 * catch (e) { if (CoreErrors.is(e, 'PB_LISTENER_TIMEOUT')) console.warn(e.extension, e.message); }
 * ```
 */
export const CoreErrors = defineErrorRegistry('@plugboard/core', CORE_ERRORS);

/**
 * Narrows `e` to a core error (with `code`, when given), across copies of the package.
 *
 * @example
 * ```ts
 * if (isCoreError(e, 'PB_EXT_UNKNOWN')) reply(404, e.message);
 * ```
 */
export const isCoreError = CoreErrors.is;
