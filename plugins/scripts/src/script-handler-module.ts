import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type {
  ActionSpec,
  ConditionSpec,
  ConditionValues,
  EventContext,
  HandlerModule,
  HandlerOutcome,
  OptionValues,
} from '@plugboard/core';
import type { DurableOutbox } from '@plugboard/outbox';
import { ScriptsError } from './errors';
import { assertSafeEventName, toEventDirectoryName } from './event-name';
import type { ScriptLogger } from './logger';
import { registerScriptChannel, runScriptJob, SCRIPT_CHANNEL, type ScriptJob } from './script-job';
import { StepScriptRunner } from './step-script-runner';

/** Default step time limit of a `pre` rule that waits for its handler (`wait: true`), in ms. */
export const DEFAULT_WAIT_STEP_TIMEOUT_MS = 10_000;

/** Options of a {@link ScriptHandlerModule}. */
export interface ScriptHandlerModuleOptions {
  /**
   * The runner whose concurrency bound, logger, time limits and environment all rule runs share.
   * Default: a new `StepScriptRunner` with `logger`.
   */
  readonly runner?: StepScriptRunner;
  /** Logger of the default runner. */
  readonly logger?: ScriptLogger;
  /**
   * When set, a rule's `directory` must lie inside one of these directories (after resolving
   * symlinks); otherwise the rule fails with `PB_SCRIPTS_DIRECTORY_NOT_ALLOWED`. Set it whenever
   * people who may edit rules should not choose arbitrary executables.
   */
  readonly allowedDirectories?: readonly string[];
  /**
   * Queue runs in this outbox instead of running them inside the event (recommended for hosts):
   * the hook call or HTTP request returns at once, the run survives a restart, and a failed
   * handler becomes a dead letter. Only a `pre` rule with `wait: true` then runs inline.
   * Without an outbox every run is inline, as before.
   */
  readonly outbox?: DurableOutbox;
  /** Step time limit of inline runs of `wait` rules, in ms. Default {@link DEFAULT_WAIT_STEP_TIMEOUT_MS}. */
  readonly waitStepTimeoutMs?: number;
}

const RUN_ACTION: ActionSpec = {
  description: 'Runs the NethServer-style handler events/<event>/ of a directory: its executable steps in name order, with the event payload as JSON on stdin.',
  options: {
    directory: {
      type: 'str',
      required: true,
      description: 'Absolute base directory holding events/<event-name>/ step files.',
    },
    event: {
      type: 'str',
      description: 'Handler (sub-directory) name to run. Default: the event name in kebab-case (AccountCreated → account-created).',
    },
    source: {
      type: 'str',
      description: 'Value of AGENT_EVENT_SOURCE for the steps. Default: plugboard.',
      default: 'plugboard',
    },
    timeout: {
      type: 'int',
      description: 'Per-step time limit in seconds; a step running longer is killed and the rule fails. Default: the runner\'s limit.',
    },
    requireHandler: {
      type: 'bool',
      description: 'Fail the rule when the directory has no handler for the event (default: succeed doing nothing).',
      default: false,
    },
    wait: {
      type: 'bool',
      description: 'Pre rules: run the handler before the host goes on, so a failing step can stop it (short step limit, 10 s by default). Otherwise the run is queued and the host does not wait.',
      default: false,
    },
  },
};

function optionalString(options: OptionValues, name: string): string | undefined {
  const value = options[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    throw new ScriptsError('PB_SCRIPTS_INVALID_OPTIONS', `Option "${name}" of action "run" must be a string, got ${typeof value}.`);
  }
  return value;
}

function optionalInt(options: OptionValues, name: string): number | undefined {
  const value = options[name];
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw new ScriptsError('PB_SCRIPTS_INVALID_OPTIONS', `Option "${name}" of action "run" must be a whole number >= 1, got ${JSON.stringify(value)}.`);
  }
  return n;
}

function optionalBool(options: OptionValues, name: string): boolean {
  const value = options[name];
  if (value === undefined || value === null || value === '') return false;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === '1' || value === 1) return true;
  if (value === 'false' || value === '0' || value === 0) return false;
  throw new ScriptsError('PB_SCRIPTS_INVALID_OPTIONS', `Option "${name}" of action "run" must be true or false, got ${JSON.stringify(value)}.`);
}

async function realpathOrResolve(dir: string): Promise<string> {
  try {
    return await fs.realpath(dir);
  } catch {
    return path.resolve(dir);
  }
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/**
 * Handler module `Script` for the rules engine: action `run` runs the handler
 * `<directory>/events/<event>/` with the event's payload (`ctx.payload`) as JSON on stdin.
 * A handler that aborts or times out fails the rule with a {@link HandlerFailedError}
 * (`PB_SCRIPTS_HANDLER_ABORTED` / `PB_SCRIPTS_HANDLER_TIMEOUT`).
 *
 * Besides `AGENT_EVENT_NAME` and `AGENT_EVENT_SOURCE`, steps see `PLUGBOARD_EVENT_ID` (for
 * idempotency) and `PLUGBOARD_EVENT_POSITION` (`pre` / `post`).
 *
 * The module declares no conditions of its own: the rules engine evaluates its base
 * conditions, and `checkCondition` accepts every event.
 *
 * @example
 * ```ts
 * container.bind(HANDLER_MODULE).toConstantValue(
 *   new ScriptHandlerModule({ runner, allowedDirectories: ['/var/lib/mymodule'] }),
 * );
 * // rule: { handlerModule: 'Script', action: 'run', options: { directory: '/var/lib/mymodule' }, events: ['AccountCreated'] }
 * ```
 */
export class ScriptHandlerModule implements HandlerModule {
  readonly identifier = 'Script';
  readonly description = 'Runs NethServer-style event handler directories of executable step scripts.';
  readonly actions: Readonly<Record<string, ActionSpec>> = { run: RUN_ACTION };
  readonly conditions: Readonly<Record<string, ConditionSpec>> = {};
  readonly runner: StepScriptRunner;
  readonly #allowed?: readonly string[];
  readonly #outbox?: DurableOutbox;
  readonly #waitStepTimeoutMs: number;

  constructor(options: ScriptHandlerModuleOptions = {}) {
    this.runner = options.runner ?? new StepScriptRunner({ logger: options.logger });
    if (options.allowedDirectories !== undefined) {
      this.#allowed = options.allowedDirectories.map((dir) => path.resolve(dir));
    }
    this.#waitStepTimeoutMs = options.waitStepTimeoutMs ?? DEFAULT_WAIT_STEP_TIMEOUT_MS;
    if (options.outbox !== undefined) {
      this.#outbox = options.outbox;
      registerScriptChannel(options.outbox, this.runner);
    }
  }

  /**
   * Checks option values when a rule is saved (the rules engine calls it), so a rule that could
   * never run — a relative directory, an event name such as `../pwn` — is refused at once.
   */
  validateOption(_action: string, name: string, value: unknown): string | undefined {
    if (name === 'directory' && (typeof value !== 'string' || !path.isAbsolute(value))) return 'must be an absolute path';
    if (name === 'event' && typeof value === 'string') {
      try {
        assertSafeEventName(value);
      } catch (e) {
        return e instanceof Error ? e.message : String(e);
      }
    }
    return undefined;
  }

  /** This module understands no conditions, so nothing it is given can be false. */
  checkCondition(_ctx: EventContext, _conditions: ConditionValues): boolean {
    return true;
  }

  async do(action: string, ctx: EventContext, options: OptionValues): Promise<HandlerOutcome> {
    if (action !== 'run') {
      throw new ScriptsError('PB_SCRIPTS_UNKNOWN_ACTION', `Handler module Script has no action "${action}"; use "run".`);
    }
    const directory = optionalString(options, 'directory');
    if (directory === undefined || !path.isAbsolute(directory)) {
      throw new ScriptsError(
        'PB_SCRIPTS_INVALID_OPTIONS',
        `Option "directory" of action "run" must be an absolute path, got ${JSON.stringify(options.directory)}; set it in the rule.`,
      );
    }
    await this.#checkAllowed(directory);
    const event = optionalString(options, 'event') ?? toEventDirectoryName(ctx.event);
    const timeoutSeconds = optionalInt(options, 'timeout');
    const wait = optionalBool(options, 'wait') && ctx.position === 'pre';
    const job: ScriptJob = {
      directory,
      event,
      source: optionalString(options, 'source') ?? 'plugboard',
      payload: ctx.payload,
      env: { PLUGBOARD_EVENT_ID: ctx.eventId, PLUGBOARD_EVENT_POSITION: ctx.position },
      hook: ctx.event,
      ...(timeoutSeconds !== undefined ? { stepTimeoutMs: timeoutSeconds * 1000 } : wait ? { stepTimeoutMs: this.#waitStepTimeoutMs } : {}),
    };
    if (this.#outbox !== undefined && !wait) {
      // Once per (event, rule, handler): a re-dispatched event does not run the handler twice.
      const dedupeKey = `${ctx.eventId}:${ctx.rule?.id ?? '-'}:${directory}:${event}`;
      // The rule and event in the meta: a dead letter names the rule, and the rule's deliveries list the run.
      const meta = { module: 'Script', event: ctx.event, eventId: ctx.eventId, handler: event, ...(ctx.rule !== undefined ? { ruleId: String(ctx.rule.id), rule: ctx.rule.name } : {}) };
      const message = await this.#outbox.enqueue(SCRIPT_CHANNEL, job, { dedupeKey, meta });
      return { detail: `queued handler ${event} of ${directory}`, queued: [message.id] };
    }
    const result = await runScriptJob(this.runner, job);
    if (result.status === 'no-handler') {
      if (optionalBool(options, 'requireHandler')) {
        throw new ScriptsError(
          'PB_SCRIPTS_NO_HANDLER',
          `No handler ${path.join(directory, 'events', event)} with step files exists; create it or unset requireHandler.`,
          { hook: ctx.event },
        );
      }
      return { detail: `no handler for ${event} in ${directory}` };
    }
    const ran = result.steps.filter((s) => s.status === 'ok').length;
    const skipped = result.steps.length - ran;
    return { detail: `handler ${event} completed: ${ran} step(s) run, ${skipped} skipped, in ${Math.round(result.durationMs)} ms` };
  }

  async #checkAllowed(directory: string): Promise<void> {
    if (this.#allowed === undefined) return;
    const real = await realpathOrResolve(directory);
    for (const allowed of this.#allowed) {
      if (isInside(real, await realpathOrResolve(allowed))) return;
    }
    throw new ScriptsError(
      'PB_SCRIPTS_DIRECTORY_NOT_ALLOWED',
      `Directory ${directory} is outside the allowed handler directories (${this.#allowed.join(', ')}); use one of them or extend allowedDirectories.`,
    );
  }
}
