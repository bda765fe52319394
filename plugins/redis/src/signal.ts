import { parseArgs } from 'node:util';
import type Redis from 'ioredis';
import { eventChannel } from './channel';
import { closeConnection, openConnection, type RedisConnection } from './connection';
import { RedisBridgeError } from './errors';
import { describeError } from './logger';
import { serializePayload, type EventPayload } from './payload';

/**
 * Signals an event exactly like `redis-cli PUBLISH module/<moduleId>/event/<event> '<json>'`:
 * one PUBLISH on the module's event channel. A payload given as text is checked to be a
 * JSON object and published byte for byte; an object is serialised with `JSON.stringify`.
 * Resolves to the number of subscribers that received it (what redis-cli prints).
 *
 * @example
 * ```ts
 * await signal(redis, 'traefik1', 'test', '{"field": "value"}');
 * // same as: redis-cli PUBLISH module/traefik1/event/test '{"field": "value"}'
 * ```
 */
export async function signal(redis: Redis, moduleId: string, event: string, payload: EventPayload | string): Promise<number> {
  const channel = eventChannel(moduleId, event);
  const message = serializePayload(payload, channel);
  return redis.publish(channel, message);
}

/** Where {@link signalCommand} writes and which Redis it uses. */
export interface SignalCommandIo {
  readonly stdout?: (line: string) => void;
  readonly stderr?: (line: string) => void;
  /** Redis to use when `--url` is not given (default 127.0.0.1:6379). */
  readonly redis?: RedisConnection;
}

/** Usage text of {@link signalCommand}. */
export const SIGNAL_USAGE = [
  'Usage: signal <module-id> <event-name> <json-object> [--url redis://127.0.0.1:6379]',
  '       signal <module/id/event/name channel> <json-object> [--url …]',
  'Publishes the event like: redis-cli PUBLISH module/<module-id>/event/<event-name> \'<json-object>\'',
  'Prints the number of subscribers that received it.',
].join('\n');

/**
 * The `signal` CLI command, for a host CLI to mount (`argv` are the arguments after
 * `signal`). Returns the process exit code: 0 published, 2 usage error or payload that
 * is not a JSON object, 1 Redis failure.
 *
 * @example
 * ```ts
 * // host CLI: mycli signal traefik1 test '{"field": "value"}'
 * process.exitCode = await signalCommand(process.argv.slice(3));
 * // the channel form works too: mycli signal module/traefik1/event/test '{"field": "value"}'
 * ```
 */
export async function signalCommand(argv: readonly string[], io: SignalCommandIo = {}): Promise<number> {
  const out = io.stdout ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = io.stderr ?? ((line: string) => process.stderr.write(`${line}\n`));
  let parsed: ReturnType<typeof parseSignalArgs>;
  try {
    parsed = parseSignalArgs(argv);
  } catch (e) {
    err(describeError(e));
    err(SIGNAL_USAGE);
    return 2;
  }
  if (parsed.help) {
    out(SIGNAL_USAGE);
    return 0;
  }
  let message: string;
  try {
    message = serializePayload(parsed.payload, parsed.channel);
  } catch (e) {
    err(describeError(e));
    return 2;
  }
  // One attempt, no reconnection: a refused connection ends the command. A retry scheduled by
  // ioredis would survive disconnect() and keep the process alive after the command returned.
  const redis = openConnection(parsed.url ?? io.redis, 'plugboard:signal', { maxRetriesPerRequest: 1, enableOfflineQueue: true, retryStrategy: () => null });
  // The failure is reported once, from the rejected connect() or publish(), not by ioredis' unhandled 'error' log.
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const receivers = await redis.publish(parsed.channel, message);
    out(String(receivers));
    return 0;
  } catch (e) {
    err(`Could not publish on ${parsed.channel}: ${describeError(e)}`);
    return 1;
  } finally {
    await closeConnection(redis);
  }
}

function parseSignalArgs(argv: readonly string[]): { help: boolean; channel: string; payload: string; url?: string } {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: { url: { type: 'string', short: 'u' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) return { help: true, channel: '', payload: '' };
  let channel: string;
  let payload: string | undefined;
  if (positionals.length === 3) {
    channel = eventChannel(positionals[0] ?? '', positionals[1] ?? '');
    payload = positionals[2];
  } else if (positionals.length === 2 && (positionals[0] ?? '').includes('/event/')) {
    channel = positionals[0] ?? '';
    payload = positionals[1];
  } else {
    throw new RedisBridgeError('PB_REDIS_CONFIG', `signal expects <module-id> <event-name> <json-object> or <channel> <json-object>; got ${positionals.length} argument(s).`);
  }
  return { help: false, channel, payload: payload ?? '', ...(values.url === undefined ? {} : { url: values.url }) };
}
