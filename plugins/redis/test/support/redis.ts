import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import type { BridgeLogger, BridgeStatus, RedisEventBridge } from '@plugboard/redis';

/** A unique id for one test: module ids, stream prefixes and channels all derive from it. */
export function uniqueId(label: string): string {
  return `pbt-${label}-${randomBytes(4).toString('hex')}`;
}

/** A plain ioredis client on the test Redis (127.0.0.1:6379). */
export function rawClient(): Redis {
  return new Redis({ host: '127.0.0.1', port: 6379, maxRetriesPerRequest: 2 });
}

/** Deletes every key starting with `prefix` (streams of one test). */
export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

async function connectionIds(redis: Redis, fragment: string): Promise<string[]> {
  const list = await redis.client('LIST');
  return String(list)
    .split('\n')
    .filter((line) => (/ name=(\S+)/.exec(line)?.[1] ?? '').includes(fragment))
    .map((line) => /^id=(\d+)/.exec(line)?.[1])
    .filter((id): id is string => id !== undefined);
}

/** How many connections have a CLIENT SETNAME containing `fragment`. */
export async function countConnections(redis: Redis, fragment: string): Promise<number> {
  return (await connectionIds(redis, fragment)).length;
}

/** Kills the connections whose CLIENT SETNAME contains `fragment`; returns how many. */
export async function killConnections(redis: Redis, fragment: string): Promise<number> {
  const ids = await connectionIds(redis, fragment);
  for (const id of ids) await redis.client('KILL', 'ID', id);
  return ids.length;
}

/** Polls `check` until it returns true (bounded), for external state that emits no event. */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Resolves with the first status accepted by `match`. */
export function nextStatus<S extends BridgeStatus['type']>(
  bridge: Pick<RedisEventBridge, 'onStatus'>,
  type: S,
  match: (s: Extract<BridgeStatus, { type: S }>) => boolean = () => true,
): Promise<Extract<BridgeStatus, { type: S }>> {
  return new Promise((resolve) => {
    const off = bridge.onStatus((s) => {
      if (s.type === type && match(s as Extract<BridgeStatus, { type: S }>)) {
        off();
        resolve(s as Extract<BridgeStatus, { type: S }>);
      }
    });
  });
}

/** A logger that records what it is given. */
export function recordingLogger(): BridgeLogger & { entries: { level: string; message: string; details: Record<string, unknown> }[] } {
  const entries: { level: string; message: string; details: Record<string, unknown> }[] = [];
  const log = (level: string) => (details: Record<string, unknown>, message: string) => {
    entries.push({ level, message, details });
  };
  return { entries, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** A promise with its resolve, for awaiting a callback. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Subscribes a raw client to `channel` and collects what arrives. */
export async function rawSubscriber(channel: string): Promise<{
  messages: { channel: string; message: string }[];
  next: () => Promise<{ channel: string; message: string }>;
  close: () => Promise<void>;
}> {
  const sub = rawClient();
  const messages: { channel: string; message: string }[] = [];
  const waiters: ((m: { channel: string; message: string }) => void)[] = [];
  let read = 0;
  sub.on('message', (c: string, m: string) => {
    messages.push({ channel: c, message: m });
    const w = waiters.shift();
    if (w) {
      read += 1;
      w({ channel: c, message: m });
    }
  });
  await sub.subscribe(channel);
  return {
    messages,
    next: () => {
      if (read < messages.length) {
        const m = messages[read];
        read += 1;
        if (m) return Promise.resolve(m);
      }
      return new Promise((resolve) => waiters.push(resolve));
    },
    close: async () => {
      await sub.quit();
    },
  };
}
