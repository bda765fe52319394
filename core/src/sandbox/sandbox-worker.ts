import { Worker } from 'node:worker_threads';
import { SandboxError, type SandboxErrorCode } from './sandbox-errors';
import type { HostMessage, SandboxManifest, WireError, WorkerMessage } from './protocol';
import { WORKER_SOURCE } from './worker-source';

/** Limits and host services of one worker. */
export interface WorkerLimits {
  readonly heapMb: number;
  readonly cpuTimeoutMs: number;
  readonly services: Readonly<Record<string, (...args: unknown[]) => unknown>>;
}

interface Pending {
  readonly hook?: string;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

function fromWire(e: WireError): Error {
  return Object.assign(new Error(e.message), { name: e.name, ...(e.stack !== undefined ? { stack: e.stack } : {}), ...(e.code !== undefined ? { code: e.code } : {}) });
}

/**
 * One running worker of a sandboxed extension: starts it, sends calls and lifecycle requests,
 * answers its service calls, and ends it when a call keeps its event loop busy past the CPU
 * limit, when it runs out of heap, or when it exits. `onDeath` tells the owner, which decides
 * about a restart.
 */
export class SandboxWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private lastHeard = 0;
  private watchdog: NodeJS.Timeout | undefined;
  private dead = false;
  readonly ready: Promise<SandboxManifest>;

  constructor(
    private readonly file: string,
    private readonly extension: string | undefined,
    private readonly limits: WorkerLimits,
    private readonly onDeath: (error: SandboxError) => void,
  ) {
    const beatMs = Math.max(10, Math.floor(limits.cpuTimeoutMs / 4));
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file, exportName: extension, beatMs },
      resourceLimits: { maxOldGenerationSizeMb: limits.heapMb, maxYoungGenerationSizeMb: Math.min(16, limits.heapMb) },
    });
    this.worker.unref();
    this.ready = new Promise<SandboxManifest>((resolve, reject) => {
      const onMessage = (m: WorkerMessage): void => {
        if (m.type === 'ready') resolve(m.manifest);
        else if (m.type === 'load-error') reject(this.loadError(m.error.message, fromWire(m.error)));
      };
      this.worker.on('message', onMessage);
      this.worker.once('exit', (code) => reject(this.loadError(`the worker exited with code ${code} while loading`)));
      this.worker.once('error', (e) => reject(this.loadError(e.message, e)));
    });
    this.ready.catch(() => undefined);
    this.worker.on('message', (m: WorkerMessage) => this.receive(m));
    this.worker.on('error', (e: Error & { code?: string }) => this.die(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'PB_SANDBOX_MEMORY_LIMIT' : 'PB_SANDBOX_CRASHED', e));
    this.worker.on('exit', (code) => this.die('PB_SANDBOX_EXITED', new Error(`exit code ${code}`)));
    this.startWatchdog();
  }

  private loadError(why: string, cause?: unknown): SandboxError {
    return new SandboxError('PB_SANDBOX_LOAD_FAILED', `The sandboxed extension in ${this.file} could not be loaded: ${why}. Fix the module and load it again; the host keeps running.`, {
      ...(this.extension !== undefined ? { extension: this.extension } : {}),
      ...(cause !== undefined ? { cause } : {}),
    });
  }

  private receive(m: WorkerMessage): void {
    this.lastHeard = performance.now();
    if (m.type === 'result') {
      const p = this.pending.get(m.id);
      if (p === undefined) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.value);
      else p.reject(m.error?.code === 'PB_SANDBOX_NOT_CLONEABLE' ? new SandboxError('PB_SANDBOX_NOT_CLONEABLE', `${m.error.message}; return plain data (no functions, class instances with methods, or streams).`, { ...(p.hook ? { hook: p.hook } : {}) }) : fromWire(m.error ?? { name: 'Error', message: 'failed' }));
    } else if (m.type === 'service-call') void this.serve(m.id, m.name, m.args);
  }

  private async serve(id: number, name: string, args: readonly unknown[]): Promise<void> {
    const service = Object.hasOwn(this.limits.services, name) ? this.limits.services[name] : undefined;
    let reply: HostMessage;
    try {
      if (service === undefined) {
        const known = Object.keys(this.limits.services).join(', ') || 'none';
        throw new SandboxError('PB_SANDBOX_NO_SERVICE', `The host exposes no service "${name}" to sandboxed extensions (exposed: ${known}).`);
      }
      reply = { type: 'service-result', id, ok: true, value: await service(...args) };
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      const code = (err as { code?: unknown }).code;
      reply = { type: 'service-result', id, ok: false, error: { name: err.name, message: err.message, ...(typeof code === 'string' ? { code } : {}) } };
    }
    if (!this.dead) this.worker.postMessage(reply);
  }

  /** Sends a request; resolves with the worker's answer. */
  request(message: Omit<Extract<HostMessage, { type: 'call' }>, 'id'> | Omit<Extract<HostMessage, { type: 'lifecycle' }>, 'id'>): Promise<unknown> {
    const id = this.nextId++;
    return new Promise<unknown>((resolve, reject) => {
      try {
        this.worker.postMessage({ ...message, id });
      } catch (e) {
        const hook = message.type === 'call' ? message.hook : undefined;
        reject(new SandboxError('PB_SANDBOX_NOT_CLONEABLE', `An argument of ${hook ?? message.type} cannot be sent to the sandbox (${(e as Error).message}); hooks of sandboxed extensions take plain data.`, { ...(hook ? { hook } : {}), cause: e }));
        return;
      }
      if (this.pending.size === 0) this.lastHeard = performance.now();
      this.pending.set(id, { ...(message.type === 'call' ? { hook: message.hook } : {}), resolve, reject });
    });
  }

  /** One timer for the worker's life (not one per call): it only looks while calls are in flight. */
  private startWatchdog(): void {
    const every = Math.max(5, Math.floor(this.limits.cpuTimeoutMs / 4));
    this.watchdog = setInterval(() => {
      // Heartbeats stop only when the worker's event loop is busy: a listener is burning CPU.
      if (this.pending.size > 0 && performance.now() - this.lastHeard > this.limits.cpuTimeoutMs) this.die('PB_SANDBOX_CPU_LIMIT', new Error(`no answer for ${this.limits.cpuTimeoutMs} ms`));
    }, every);
    this.watchdog.unref();
  }

  private stopWatchdog(): void {
    if (this.watchdog !== undefined) clearInterval(this.watchdog);
    this.watchdog = undefined;
  }

  /** Ends the worker; every call in flight fails with `code`. */
  private die(code: SandboxErrorCode, cause: Error): void {
    if (this.dead) return;
    this.dead = true;
    this.stopWatchdog();
    void this.worker.terminate();
    const error = new SandboxError(code, deathMessage(code, this.limits), { cause });
    for (const p of this.pending.values()) p.reject(new SandboxError(code, error.message, { ...(p.hook ? { hook: p.hook } : {}), cause }));
    this.pending.clear();
    this.onDeath(error);
  }

  get alive(): boolean {
    return !this.dead;
  }

  /** Terminates the worker without counting it as a failure. */
  async close(): Promise<void> {
    this.dead = true;
    this.stopWatchdog();
    for (const p of this.pending.values()) p.reject(new SandboxError('PB_SANDBOX_EXITED', 'The sandboxed extension was closed while this call was in flight.'));
    this.pending.clear();
    await this.worker.terminate();
  }
}

function deathMessage(code: SandboxErrorCode, limits: WorkerLimits): string {
  switch (code) {
    case 'PB_SANDBOX_CPU_LIMIT':
      return `A listener kept the sandbox busy for more than ${limits.cpuTimeoutMs} ms (the CPU limit); the worker was terminated and will be restarted. Make the listener yield or raise cpuTimeoutMs.`;
    case 'PB_SANDBOX_MEMORY_LIMIT':
      return `The sandbox ran out of its ${limits.heapMb} MB heap; the worker was terminated and will be restarted. Use less memory or raise heapMb.`;
    case 'PB_SANDBOX_EXITED':
      return 'The sandbox worker exited (process.exit() or an abort); it will be restarted. Extensions must not exit the process.';
    default:
      return 'The sandbox worker crashed with an uncaught error outside any listener; it will be restarted. See the cause.';
  }
}
