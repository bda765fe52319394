import type { ActionSpec, EventContext, HandlerOutcome, OptionValues } from '@plugboard/core';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BaseHandlerModule, HandlerModuleRegistry, RuleAbortError, RulesEngine, RuleStore, type RulesLogger } from '@plugboard/rules';

/** One call of {@link Recorder.do}. */
export interface Call {
  readonly action: string;
  readonly event: string;
  readonly position: string;
  readonly eventId: string;
  readonly options: OptionValues;
  readonly ctx: EventContext;
}

/** A real handler module for tests: records what it was asked to do; can fail or abort on purpose. */
export class Recorder extends BaseHandlerModule {
  readonly identifier = 'Recorder';
  readonly description = 'Records calls';
  readonly actions: Readonly<Record<string, ActionSpec>> = {
    record: {
      description: 'Record the call',
      options: {
        tag: { type: 'str', required: true, description: 'A label' },
        level: { type: 'int', default: 3, description: 'A number with a default' },
      },
    },
    fail: { description: 'Throw an error', options: { message: { type: 'str', required: true, description: 'Error message' } } },
    abort: { description: 'Abort the request', options: { reason: { type: 'str', required: true, description: 'Why' } } },
    slow: { description: 'Resolve after a tick', options: { tag: { type: 'str', required: true, description: 'A label' } } },
  };
  readonly calls: Call[] = [];

  async do(action: string, ctx: EventContext, options: OptionValues): Promise<HandlerOutcome | void> {
    this.calls.push({ action, event: ctx.event, position: ctx.position, eventId: ctx.eventId, options, ctx });
    switch (action) {
      case 'fail':
        throw new Error(String(options.message));
      case 'abort':
        throw new RuleAbortError(String(options.reason));
      case 'slow':
        await new Promise<void>((resolve) => setImmediate(resolve));
        return { detail: `slow ${String(options.tag)}`, queued: ['m1'] };
      default:
        return { detail: `recorded ${String(options.tag)}` };
    }
  }

  tags(): string[] {
    return this.calls.map((c) => String(c.options.tag ?? c.options.message ?? c.options.reason));
  }
}

/** Logger that keeps what it is given. */
export class MemoryLogger implements RulesLogger {
  readonly lines: { details: Record<string, unknown>; message: string }[] = [];
  error(details: Record<string, unknown>, message: string): void {
    this.lines.push({ details, message });
  }
}

/** A store, registry, engine and recorder on a fresh SQLite file in a temp dir. */
export function setup(options: { logSkipped?: boolean; externalCheckMs?: number } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'pb-rules-'));
  const file = join(dir, 'rules.db');
  const db = new Database(file);
  const recorder = new Recorder();
  const registry = new HandlerModuleRegistry({ modules: [recorder] });
  const store = new RuleStore(db, { registry });
  const logger = new MemoryLogger();
  const engine = new RulesEngine({ store, registry, logger, ...options });
  return {
    dir,
    file,
    db,
    recorder,
    registry,
    store,
    logger,
    engine,
    async close(): Promise<void> {
      await engine.close();
      await store.eventLog.flush();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let seq = 0;
/** An event context with sensible defaults. */
export function event(event: string, over: Partial<EventContext> = {}): EventContext {
  seq++;
  return { eventId: `ev-${seq}`, event, position: 'post', timestamp: new Date(), payload: {}, ...over };
}
