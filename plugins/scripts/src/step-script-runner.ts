import { constants as fsConstants, promises as fs } from 'node:fs';
import { checkDirectories, checkRawPayload, positiveMs, serializePayload } from './run-input';
import { ScriptsError } from './errors';
import { assertSafeEventName } from './event-name';
import { runStepProcess, SIGNALLED_EXIT_CODE, startFailure } from './step-process';
import { FifoLimiter } from './fifo-limiter';
import { findHandlerSteps, type HandlerStep } from './handler-steps';
import { consoleScriptLogger, type ScriptLogger } from './logger';
import type { HandlerRunResult, HandlerStatus, StepResult } from './run-result';
import { inCallerContext, traceStep } from './step-tracing';

/** First bytes of an ELF executable. */
const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);
/** Options of a {@link StepScriptRunner}. */
export interface StepScriptRunnerOptions {
  /**
   * Base directories, each possibly holding `events/<event-name>/` step files (for a rootless
   * NethServer module: `~/.config`; rootfull: `/var/lib/nethserver/<module>`). For the same step
   * file name the later directory wins. Relative paths are resolved against the current directory.
   */
  readonly directories?: readonly string[];
  /** Where step output and run outcomes are logged; a pino logger fits. Default: JSON lines on stdout/stderr. */
  readonly logger?: ScriptLogger;
  /** `AGENT_EVENT_SOURCE` when a run does not give one. Default `plugboard`. */
  readonly source?: string;
  /** Extra environment for every step, on top of the inherited environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** Per-step time limit in ms; `Infinity` disables it. Default 300000 (5 minutes). */
  readonly stepTimeoutMs?: number;
  /** Time between SIGTERM and SIGKILL for a step that must be stopped, in ms. Default 5000. */
  readonly killGraceMs?: number;
  /** Handlers running at the same time; further events wait in FIFO order. Default 4. */
  readonly maxConcurrent?: number;
}

/** Options of one {@link StepScriptRunner.run}. */
export interface RunOptions {
  /** `AGENT_EVENT_SOURCE`, e.g. `module/traefik1` (the channel prefix before `/event/`). */
  readonly source?: string;
  /** Base directories for this run instead of the runner's. */
  readonly directories?: readonly string[];
  /** Extra environment for this run (after the runner's `env`; `AGENT_EVENT_*` always win). */
  readonly env?: Readonly<Record<string, string>>;
  /** Per-step time limit for this run, in ms. */
  readonly stepTimeoutMs?: number;
  /** Aborting it stops the running step (SIGTERM, then SIGKILL) or, while queued, skips the run; status `aborted`. */
  readonly signal?: AbortSignal;
  /**
   * The payload as received (e.g. a Redis message's `raw` text): each step reads these bytes on
   * stdin instead of `payload` serialized again. Must be a JSON object.
   */
  readonly raw?: string;
}

interface RunPlan {
  readonly event: string;
  readonly source: string;
  readonly directories: readonly string[];
  readonly stdin: string;
  readonly env: NodeJS.ProcessEnv;
  readonly stepTimeoutMs: number;
  readonly signal?: AbortSignal;
  readonly enqueuedAt: number;
}

/**
 * Runs NethServer-style event handlers: the executable files of `events/<event-name>/` in the
 * configured directories, in lexical order of file name, each with the event's JSON payload on
 * stdin and `AGENT_EVENT_NAME` / `AGENT_EVENT_SOURCE` in its environment. Step output is
 * relayed line by line to the logger; a non-zero exit aborts the remaining steps and is logged as
 * `Handler of <source>/event/<event> exited with status "aborted" (N) at step <step>`.
 *
 * Steps are spawned directly (`shell: false`, no arguments), never through a shell. At most
 * `maxConcurrent` handlers run at once; further events wait in FIFO order and are never dropped.
 *
 * @example
 * ```ts
 * const runner = new StepScriptRunner({ directories: ['/var/lib/nethserver/mymodule'], logger: pino() });
 * const result = await runner.run('account-provider-changed', { domain: 'example.org' }, { source: 'module/ldapproxy1' });
 * if (result.status !== 'completed' && result.status !== 'no-handler') alert(result);
 * ```
 */
export class StepScriptRunner {
  readonly #directories: readonly string[];
  readonly #logger: ScriptLogger;
  readonly #source: string;
  readonly #env: Readonly<Record<string, string>>;
  readonly #stepTimeoutMs: number;
  readonly #killGraceMs: number;
  readonly #limiter: FifoLimiter;

  constructor(options: StepScriptRunnerOptions = {}) {
    this.#directories = Object.freeze(checkDirectories(options.directories ?? []));
    this.#logger = options.logger ?? consoleScriptLogger;
    this.#source = options.source ?? 'plugboard';
    this.#env = { ...(options.env ?? {}) };
    this.#stepTimeoutMs = positiveMs(options.stepTimeoutMs ?? 300_000, 'stepTimeoutMs');
    this.#killGraceMs = positiveMs(options.killGraceMs ?? 5000, 'killGraceMs');
    const max = options.maxConcurrent ?? 4;
    if (!(Number.isInteger(max) || max === Infinity) || max < 1) {
      throw new ScriptsError('PB_SCRIPTS_INVALID_OPTIONS', `maxConcurrent must be an integer >= 1 (or Infinity), got ${String(max)}.`);
    }
    this.#limiter = new FifoLimiter(max);
  }

  /** The configured base directories, resolved, in precedence order (later wins). */
  get directories(): readonly string[] {
    return this.#directories;
  }

  /** The logger step output and outcomes go to. */
  get logger(): ScriptLogger {
    return this.#logger;
  }

  /** Handlers running now and events waiting for a slot. */
  get load(): { readonly running: number; readonly queued: number; readonly maxConcurrent: number } {
    return { running: this.#limiter.running, queued: this.#limiter.queued, maxConcurrent: this.#limiter.max };
  }

  /** Resolves when no handler runs and none waits (e.g. before shutting down). */
  whenIdle(): Promise<void> {
    return this.#limiter.whenIdle();
  }

  /**
   * Runs the handler of `event` with `payload` (serialized as JSON) on each step's stdin.
   *
   * Rejects with a `PB_SCRIPTS_INVALID_EVENT_NAME`, `PB_SCRIPTS_INVALID_PAYLOAD` or
   * `PB_SCRIPTS_INVALID_OPTIONS` {@link ScriptsError} before anything runs; otherwise resolves with
   * the {@link HandlerRunResult} whatever the steps did (check `status`).
   *
   * @example
   * ```ts
   * const { status, steps } = await runner.run('backup-finished', { id: 3 });
   * ```
   */
  async run(event: string, payload: unknown, options: RunOptions = {}): Promise<HandlerRunResult> {
    assertSafeEventName(event);
    const source = options.source ?? this.#source;
    // eslint-disable-next-line no-control-regex -- refusing control characters is the point
    if (typeof source !== 'string' || /[\u0000-\u001f\u007f]/.test(source)) {
      throw new ScriptsError('PB_SCRIPTS_INVALID_OPTIONS', `Event source ${JSON.stringify(source)} must be a string without control characters.`);
    }
    const plan: RunPlan = {
      event,
      source,
      directories: options.directories === undefined ? this.#directories : checkDirectories(options.directories),
      stdin: options.raw === undefined ? serializePayload(event, payload) : checkRawPayload(event, options.raw),
      env: this.#environment(event, source, options.env),
      stepTimeoutMs: positiveMs(options.stepTimeoutMs ?? this.#stepTimeoutMs, 'stepTimeoutMs'),
      signal: options.signal,
      enqueuedAt: performance.now(),
    };
    return this.#limiter.run(inCallerContext(() => this.#execute(plan)));
  }

  #environment(event: string, source: string, extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
    return { ...process.env, ...this.#env, ...extra, AGENT_EVENT_NAME: event, AGENT_EVENT_SOURCE: source };
  }

  async #execute(plan: RunPlan): Promise<HandlerRunResult> {
    const startedAt = performance.now();
    const queuedMs = startedAt - plan.enqueuedAt;
    const where = `${plan.source}/event/${plan.event}`;
    const fields = { event: plan.event, source: plan.source };
    const steps: StepResult[] = [];
    let status: HandlerStatus = 'completed';
    let exitCode = 0;
    let lastStep: string | undefined;

    const finish = (): HandlerRunResult => {
      const result: HandlerRunResult = {
        event: plan.event,
        source: plan.source,
        status,
        exitCode,
        lastStep,
        steps,
        queuedMs,
        durationMs: performance.now() - startedAt,
      };
      if (status === 'no-handler') {
        this.#logger.debug({ ...fields, status }, `No handler for ${where}`);
      } else {
        const level = status === 'completed' ? 'info' : 'error';
        this.#logger[level](
          { ...fields, status, exitCode, step: lastStep },
          `Handler of ${where} exited with status "${status}" (${exitCode}) at step ${lastStep ?? ''}`,
        );
      }
      return result;
    };

    if (plan.signal?.aborted) {
      status = 'aborted';
      exitCode = SIGNALLED_EXIT_CODE;
      return finish();
    }

    const handlerSteps = await findHandlerSteps(plan.directories, plan.event);
    if (handlerSteps.length === 0) {
      status = 'no-handler';
      return finish();
    }

    for (const step of handlerSteps) {
      if (plan.signal?.aborted) {
        status = 'aborted';
        exitCode = SIGNALLED_EXIT_CODE;
        break;
      }
      lastStep = step.name;
      const skipReason = await this.#whyNotRunnable(step);
      if (skipReason !== undefined) {
        this.#logger.warn({ ...fields, step: step.name, path: step.path }, `Handler of ${where} skips step ${step.name}: ${skipReason}`);
        steps.push({ step: step.name, path: step.path, status: 'skipped', exitCode: null, signal: null, durationMs: 0, reason: skipReason });
        continue;
      }
      this.#logger.debug({ ...fields, step: step.name }, `Handler of ${where} is starting step ${step.name}`);
      const formatProblem = await this.#execFormatProblem(step);
      const outcome =
        formatProblem === undefined
          ? await traceStep(plan.event, step, plan.env, (env) => runStepProcess(step, { ...plan, env }, { logger: this.#logger, killGraceMs: this.#killGraceMs }))
          : startFailure(this.#logger, step, performance.now(), new Error(formatProblem), where, { ...fields, step: step.name });
      steps.push(outcome.result);
      if (outcome.result.status !== 'ok') {
        status = outcome.result.status === 'timeout' ? 'timeout' : 'aborted';
        exitCode = outcome.exitCode;
        break;
      }
    }
    return finish();
  }

  /** Decided just before the step runs: an earlier step may have removed or changed it. */
  async #whyNotRunnable(step: HandlerStep): Promise<string | undefined> {
    try {
      const stat = await fs.stat(step.path);
      if (!stat.isFile()) return 'not a regular file';
      await fs.access(step.path, fsConstants.X_OK);
      return undefined;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return 'the file no longer exists';
      if (code === 'EACCES') return 'the file is not executable (chmod +x it to enable the step)';
      return `the file cannot be checked (${code ?? String(err)})`;
    }
  }

  /**
   * libc's execvp hands a file the kernel refuses (ENOEXEC: no `#!` line, not a binary) to
   * /bin/sh. Such a file is refused here instead, so a step never runs through a shell, and it
   * fails the way it does under the NethServer agent (exec format error, status 9).
   */
  async #execFormatProblem(step: HandlerStep): Promise<string | undefined> {
    let handle: fs.FileHandle | undefined;
    try {
      handle = await fs.open(step.path, 'r');
      const head = Buffer.alloc(4);
      const { bytesRead } = await handle.read(head, 0, 4, 0);
      if (bytesRead >= 2 && head[0] === 0x23 && head[1] === 0x21) return undefined; // "#!"
      if (bytesRead === 4 && head.equals(ELF_MAGIC)) return undefined;
      return 'exec format error: the file neither starts with a "#!" interpreter line nor is an ELF binary';
    } catch (err) {
      return `cannot read the file (${(err as NodeJS.ErrnoException).code ?? String(err)})`;
    } finally {
      await handle?.close();
    }
  }
}
