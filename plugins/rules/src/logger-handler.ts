import type { ActionSpec, EventContext, HandlerOutcome, OptionValues } from '@plugboard/core';
import { BaseHandlerModule } from './base-handler-module';
import type { RuleEventFacts } from './event-catalogue';
import { templateTagIssue } from './event-aware-validator';
import type { RuleIssue } from './errors';
import type { TagProvider } from './tag-provider';
import { EVENT_TAGS, eventTagValues, type TagDoc } from './event-tags';
import { renderTemplate } from './tag-template';

/** Log levels of the `Logger` module. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** One line written by the `Logger` module. */
export interface LogLine {
  readonly level: LogLevel;
  readonly message: string;
  readonly event: string;
  readonly eventId: string;
}

/** Receives the lines; default writes to the console. */
export type LogSink = (line: LogLine) => void;

const consoleSink: LogSink = (line) => {
  console[line.level](`[rules] ${line.event}: ${line.message}`);
};

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

/**
 * Built-in handler module `Logger` with action `log`: writes a message for the event.
 * `message` may use the tags of `EVENT_TAGS` (`{event}`, `{admin}`, `{username}`…) and any
 * payload field by dotted path (`{account.email}`). An unknown tag fails the action naming the tag.
 *
 * @example
 * ```ts
 * const lines: LogLine[] = [];
 * registry.register(new LoggerHandler((line) => lines.push(line)));
 * store.create({ name: 'audit', events: ['AccountCreated'], handlerModule: 'Logger', action: 'log',
 *   options: { message: '{admin} created {account.email}' } });
 * ```
 */
export class LoggerHandler extends BaseHandlerModule implements TagProvider {
  readonly identifier = 'Logger';
  readonly description = 'Writes a log line for the event (tags: {event}, {admin}, {username}, any payload field).';
  readonly actions: Readonly<Record<string, ActionSpec>> = {
    log: {
      description: 'Write a log line',
      options: {
        message: { type: 'str', required: true, description: 'The line to write; {tags} are replaced.' },
        level: { type: 'str', values: ['debug', 'info', 'warn', 'error'], default: 'info', description: 'Log level.' },
      },
    },
  };

  constructor(private readonly sink: LogSink = consoleSink) {
    super();
  }

  /** The message's tags besides payload fields: the event tags every module shares. */
  templateTagsOf(): readonly TagDoc[] {
    return EVENT_TAGS;
  }

  /** Refuses at save a `{tag}` in the message that the rule's events cannot fill. */
  validateForEvents(_action: string, options: Readonly<Record<string, unknown>>, events: readonly RuleEventFacts[]): RuleIssue[] {
    const issue = templateTagIssue('message', options.message, EVENT_TAGS.map((t) => t.name), events);
    return issue === undefined ? [] : [issue];
  }

  do(action: string, ctx: EventContext, options: OptionValues): HandlerOutcome {
    if (action !== 'log') throw new Error(`Logger has no action "${action}"; use "log".`);
    const message = render(text(options.message), ctx);
    const level = (typeof options.level === 'string' ? options.level : 'info') as LogLevel;
    this.sink({ level, message, event: ctx.event, eventId: ctx.eventId });
    return { detail: message };
  }
}

function render(template: string, ctx: EventContext): string {
  // Event fields win over payload fields of the same name; a field the event lacks (no
  // logged-in user for {admin}) stays unknown, so the action fails naming it.
  const own = eventTagValues(ctx);
  const tags: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(ctx.payload)) if (!(k in own)) tags[k] = v;
  for (const [k, v] of Object.entries(own)) if (v !== undefined) tags[k] = v;
  return renderTemplate(template, tags, { where: 'message' });
}
