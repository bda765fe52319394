import type { ActionSpec, EventContext, HandlerOutcome, OptionValues } from '@plugboard/core';
import { BaseHandlerModule } from './base-handler-module';
import { PayloadPath } from './payload-path';

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
 * `message` may use tags: `{event}`, `{eventId}`, `{position}`, `{admin}` (logged-in user),
 * `{realm}` (their realm), `{username}` / `{userrealm}` (the user the event is about), and any
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
export class LoggerHandler extends BaseHandlerModule {
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

  do(action: string, ctx: EventContext, options: OptionValues): HandlerOutcome {
    if (action !== 'log') throw new Error(`Logger has no action "${action}"; use "log".`);
    const message = render(text(options.message), ctx);
    const level = (typeof options.level === 'string' ? options.level : 'info') as LogLevel;
    this.sink({ level, message, event: ctx.event, eventId: ctx.eventId });
    return { detail: message };
  }
}

function render(template: string, ctx: EventContext): string {
  return template.replace(/\{([A-Za-z0-9_.]+)\}/g, (_match, tag: string) => {
    const value = tagValue(tag, ctx);
    if (value === undefined) throw new Error(`Unknown tag {${tag}} in the message: the event has no such field. Remove it or fix its name.`);
    return text(value);
  });
}

function tagValue(tag: string, ctx: EventContext): unknown {
  switch (tag) {
    case 'event':
      return ctx.event;
    case 'eventId':
      return ctx.eventId;
    case 'position':
      return ctx.position;
    case 'admin':
      return ctx.loggedInUser?.username;
    case 'realm':
      return ctx.loggedInUser?.realm;
    case 'username':
      return ctx.user?.username;
    case 'userrealm':
      return ctx.user?.realm;
    default:
      return new PayloadPath(tag).get(ctx.payload);
  }
}
