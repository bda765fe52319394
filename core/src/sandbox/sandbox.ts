import type { HookCatalogue, HookSpecs } from '../catalogue';
import type { SandboxManifest } from './protocol';
import { RestartBudget } from './restart-budget';
import { SandboxError } from './sandbox-errors';
import { SandboxWorker, type WorkerLimits } from './sandbox-worker';

/** Options of {@link loadSandboxedExtension}. */
export interface SandboxOptions {
  /** The host's catalogue: every hook the extension observes must be in it, and async. */
  readonly catalogue: HookCatalogue<HookSpecs>;
  /** Heap limit of the worker in MB (`resourceLimits.maxOldGenerationSizeMb`). Default 64. */
  readonly heapMb?: number;
  /** How long a call may keep the worker's event loop busy, in ms, before the worker is terminated. Default 1000. */
  readonly cpuTimeoutMs?: number;
  /** Restarts allowed within a window before the extension gives up. Default 3 within 60 000 ms. */
  readonly restarts?: { readonly max?: number; readonly windowMs?: number };
  /** The only host functions the extension can reach, as `plugboardSandbox.call(name, ...args)`. */
  readonly services?: Readonly<Record<string, (...args: unknown[]) => unknown>>;
  /** Which extension to load when the module exports several (by name). */
  readonly extension?: string;
  /** The worker died (CPU, heap, exit, crash) and will be restarted on the next call. */
  readonly onRestart?: (extension: string, error: SandboxError) => void;
  /** The restart budget is spent: calls now fail with `PB_SANDBOX_GAVE_UP`; e.g. disable the extension. */
  readonly onGaveUp?: (extension: string, error: SandboxError) => void;
}

/**
 * The host side of one sandboxed extension: its current worker, restarted on the next call after
 * it died, within a restart budget; then it gives up and calls fail fast.
 */
export class Sandbox {
  private worker: SandboxWorker | undefined;
  private starting: Promise<SandboxWorker> | undefined;
  private budget: RestartBudget;
  private readonly limits: WorkerLimits;
  private closed = false;
  enabled = false;
  restarts = 0;
  gaveUp: SandboxError | undefined;

  constructor(
    readonly file: string,
    readonly manifest: SandboxManifest,
    first: SandboxWorker,
    private readonly options: SandboxOptions,
  ) {
    this.limits = workerLimits(options);
    this.budget = new RestartBudget(options.restarts?.max ?? 3, options.restarts?.windowMs ?? 60_000);
    this.worker = first;
  }

  get name(): string {
    return this.manifest.name;
  }

  /** Called by a worker when it dies. */
  died(error: SandboxError): void {
    if (this.closed) return;
    if (!this.budget.take(Date.now())) {
      this.gaveUp = new SandboxError('PB_SANDBOX_GAVE_UP', `Sandboxed extension "${this.name}" was restarted ${this.budget.max} times within ${this.budget.windowMs} ms and gave up; its calls fail until it is loaded again. Last failure: ${error.message}`, { extension: this.name, cause: error });
      this.options.onGaveUp?.(this.name, this.gaveUp);
      return;
    }
    this.restarts++;
    this.options.onRestart?.(this.name, error);
  }

  private async live(): Promise<SandboxWorker> {
    if (this.gaveUp) throw this.gaveUp;
    if (this.closed) throw new SandboxError('PB_SANDBOX_EXITED', `Sandboxed extension "${this.name}" was closed.`, { extension: this.name });
    if (this.worker?.alive === true) return this.worker;
    this.starting ??= this.restart().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async restart(): Promise<SandboxWorker> {
    const worker = new SandboxWorker(this.file, this.name, this.limits, (e) => this.died(e));
    await worker.ready;
    this.worker = worker;
    if (this.enabled && this.manifest.lifecycle.onEnable) await worker.request({ type: 'lifecycle', method: 'onEnable' });
    return worker;
  }

  /** Calls listener `index` in the worker with the hook's arguments (without its context). */
  call(index: number, hook: string, args: readonly unknown[]): Promise<unknown> {
    // The common case, a live worker, without an extra turn through live().
    const worker = this.worker;
    if (worker?.alive === true && this.gaveUp === undefined && !this.closed) return worker.request({ type: 'call', index, hook, args });
    return this.live().then((w) => w.request({ type: 'call', index, hook, args }));
  }

  async lifecycle(method: 'onEnable' | 'onDisable'): Promise<void> {
    this.enabled = method === 'onEnable';
    // Enabled again after giving up (an administrator's decision): a fresh worker and a fresh budget.
    if (method === 'onEnable' && this.gaveUp !== undefined) {
      this.gaveUp = undefined;
      this.budget = new RestartBudget(this.budget.max, this.budget.windowMs);
    }
    if (!this.manifest.lifecycle[method]) return;
    // A dead worker is not restarted just to be told it is disabled.
    if (method === 'onDisable' && this.worker?.alive !== true) return;
    await (await this.live()).request({ type: 'lifecycle', method });
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.worker?.close();
  }
}

/** The worker limits the options give, with the defaults. */
export function workerLimits(options: SandboxOptions): WorkerLimits {
  const heapMb = options.heapMb ?? 64;
  const cpuTimeoutMs = options.cpuTimeoutMs ?? 1000;
  if (!(heapMb >= 8)) throw new RangeError(`heapMb must be at least 8; got ${heapMb}.`);
  if (!(cpuTimeoutMs >= 20)) throw new RangeError(`cpuTimeoutMs must be at least 20; got ${cpuTimeoutMs}.`);
  return { heapMb, cpuTimeoutMs, services: options.services ?? {} };
}
