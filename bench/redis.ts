/**
 * Redis event bridge throughput (issue 7), in one run on the same machine:
 * - `redis-benchmark` PUBLISH (its own 50 clients) as the server's reference rate;
 * - pub/sub events per second through two bridges: `publish()` on one, counted at an
 *   `onEvent` listener of the other (round trip), with 50 publishes in flight like
 *   redis-benchmark's 50 clients, and one at a time;
 * - raw ioredis PUBLISH → PSUBSCRIBE with the same window, to separate the bridge's cost from
 *   the client's;
 * - durable events per second: `publish(…, { durable: true })` (XADD + PUBLISH) → `consume()`
 *   handler → XACK, counted when the acks are in.
 * Keys use a unique prefix and are deleted afterwards.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { RedisEventBridge } from '@plugboard/redis';
import type { Measurement } from './harness';
import { Counter, median, runWindow, secondsSince } from './io-harness';

export const PUBSUB_SCENARIO = 'redis-pubsub-events-per-second';
export const DURABLE_SCENARIO = 'redis-durable-events-per-second';
export const REDIS_BENCHMARK = 'redis-benchmark PUBLISH';
export const BRIDGE_PUBSUB = 'bridge publish → onEvent (50 in flight)';
export const BRIDGE_DURABLE = 'bridge durable publish → consume → XACK (50 in flight)';

const HOST = '127.0.0.1';
const PORT = 6379;
const EVENT = 'load-tested';
const PUBSUB_EVENTS = 15_000;
const ROUNDS = 3;
const SEQUENTIAL_EVENTS = 3_000;
const DURABLE_EVENTS = 10_000;
const WINDOW = 50; // redis-benchmark's default number of clients
const TIMEOUT_MS = 40_000;
const quiet = { warn: () => {}, error: (d: Record<string, unknown>, m: string) => console.error(m, d) };

/** Runs redis-benchmark as a child process and returns its requests per second. */
function redisBenchmark(channel: string, payload: string, n: number): Promise<{ rps: number; command: string }> {
  // redis-benchmark 7 has no "publish" test for -t; PUBLISH as a custom command is the same request.
  const args = ['-h', HOST, '-p', String(PORT), '-n', String(n), '-q', 'PUBLISH', channel, payload];
  return new Promise((resolve, reject) => {
    execFile('redis-benchmark', args, { timeout: TIMEOUT_MS }, (err, stdout) => {
      if (err) return reject(new Error(`redis-benchmark failed: ${err.message}`));
      const found = [...stdout.matchAll(/([\d.]+) requests per second/g)].pop();
      if (!found) return reject(new Error(`could not read redis-benchmark's output: ${stdout.slice(-200)}`));
      resolve({ rps: Number(found[1]), command: `redis-benchmark -n ${n} -q PUBLISH <channel> <${payload.length}-byte JSON>` });
    });
  });
}

/** Runs the Redis scenarios: events per second. */
export async function runRedisBenchmarks(log: (line: string) => void): Promise<Measurement[]> {
  const tag = `pbbench${randomUUID().slice(0, 8)}`;
  const streamPrefix = `${tag}/events/`;
  const payload = { account: 'user@example.org', quota: 5000, note: 'x'.repeat(64) };
  const out: Measurement[] = [];
  const admin = new Redis({ host: HOST, port: PORT, lazyConnect: true });
  await admin.connect();

  // Publishers never subscribe; the listener bridge subscribes to this run's module only.
  const publisher = new RedisEventBridge({ moduleId: tag, subscribe: false, durable: { streamPrefix }, logger: quiet });
  const listener = new RedisEventBridge({ moduleId: `${tag}-listener`, pattern: `module/${tag}/event/*`, logger: quiet });
  const consumer = new RedisEventBridge({
    moduleId: `${tag}-worker`,
    subscribe: false,
    durable: { streamPrefix, group: 'bench', blockMs: 100 },
    logger: quiet,
  });
  const rawPub = new Redis({ host: HOST, port: PORT, lazyConnect: true });
  const rawSub = new Redis({ host: HOST, port: PORT, lazyConnect: true });
  try {
    const bench = await redisBenchmark(`${tag}/redis-benchmark`, JSON.stringify({ ...payload, _origin: randomUUID() }), 100_000);
    out.push({ scenario: PUBSUB_SCENARIO, contender: REDIS_BENCHMARK, nsPerOp: bench.rps, note: `${bench.command}: 50 clients, no subscriber, publish only (no round trip)` });
    log(`redis-benchmark: ${bench.rps.toFixed(0)} requests/s`);

    await Promise.all([publisher.start(), listener.start(), consumer.start(), rawPub.connect(), rawSub.connect()]);

    // --- pub/sub through the bridges
    const heard = new Counter();
    listener.onEvent(EVENT, () => heard.hit());
    const pubsubRound = async (n: number, window: number): Promise<number> => {
      heard.reset();
      const done = heard.until(n, TIMEOUT_MS, 'bridge pub/sub');
      const t0 = process.hrtime.bigint();
      await runWindow(n, window, () => publisher.publish(EVENT, payload));
      await done;
      return n / secondsSince(t0);
    };

    // --- the same round trip with bare ioredis, for scale
    const rawHeard = new Counter();
    const rawChannel = `module/${tag}-raw/event/${EVENT}`;
    rawSub.on('pmessage', (_p: string, _c: string, message: string) => {
      JSON.parse(message);
      rawHeard.hit();
    });
    await rawSub.psubscribe(`module/${tag}-raw/event/*`);
    const rawMessage = JSON.stringify({ ...payload, _origin: randomUUID() });
    const rawRound = async (n: number): Promise<number> => {
      rawHeard.reset();
      const done = rawHeard.until(n, TIMEOUT_MS, 'ioredis pub/sub');
      const t0 = process.hrtime.bigint();
      await runWindow(n, WINDOW, () => rawPub.publish(rawChannel, rawMessage));
      await done;
      return n / secondsSince(t0);
    };
    await pubsubRound(2_000, WINDOW);
    await rawRound(2_000);
    const bridgeRates: number[] = [];
    const rawRates: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      bridgeRates.push(await pubsubRound(PUBSUB_EVENTS, WINDOW));
      rawRates.push(await rawRound(PUBSUB_EVENTS));
      log(`round ${r + 1}: bridge ${bridgeRates[r].toFixed(0)} events/s, ioredis ${rawRates[r].toFixed(0)} events/s`);
    }
    const bridgeRate = median(bridgeRates);
    const rawRate = median(rawRates);
    out.push({ scenario: PUBSUB_SCENARIO, contender: BRIDGE_PUBSUB, nsPerOp: bridgeRate, note: `${PUBSUB_EVENTS} events, counted at the other bridge's listener; median of ${ROUNDS}; ${(bridgeRate / bench.rps).toFixed(2)}× redis-benchmark, ${(bridgeRate / rawRate).toFixed(2)}× bare ioredis` });
    out.push({ scenario: PUBSUB_SCENARIO, contender: 'ioredis PUBLISH → PSUBSCRIBE (50 in flight)', nsPerOp: rawRate, note: `bare client, same payload and window (the ceiling for the bridge on one connection); median of ${ROUNDS}, alternated with the bridge` });
    const sequentialRate = await pubsubRound(SEQUENTIAL_EVENTS, 1);
    out.push({ scenario: PUBSUB_SCENARIO, contender: 'bridge publish → onEvent (1 in flight)', nsPerOp: sequentialRate, note: `${SEQUENTIAL_EVENTS} events, each publish awaited before the next` });

    // --- durable
    const acked = new Counter();
    await consumer.consume(EVENT, async () => {
      acked.hit();
    });
    const ackedBefore = (): number => consumer.stats().durable?.acked ?? 0;
    const durableRound = async (n: number): Promise<number> => {
      const base = ackedBefore();
      acked.reset();
      const handled = acked.until(n, TIMEOUT_MS, 'durable consume');
      const t0 = process.hrtime.bigint();
      await runWindow(n, WINDOW, () => publisher.publish(EVENT, payload, { durable: true }));
      await handled;
      // Acks are pipelined behind the handlers: wait until Redis confirmed every one.
      const deadline = Date.now() + TIMEOUT_MS;
      while (ackedBefore() - base < n) {
        if (Date.now() > deadline) throw new Error(`durable: ${ackedBefore() - base} of ${n} acked`);
        await new Promise((r) => setTimeout(r, 1));
      }
      return n / secondsSince(t0);
    };
    await durableRound(1_000);
    const durableRate = await durableRound(DURABLE_EVENTS);
    const pending = (await admin.xpending(`${streamPrefix}${EVENT}`, 'bench')) as [number, ...unknown[]];
    out.push({
      scenario: DURABLE_SCENARIO,
      contender: BRIDGE_DURABLE,
      nsPerOp: durableRate,
      note: `${DURABLE_EVENTS} events: XADD + PUBLISH, XREADGROUP (batch 32), handler, XACK; ${pending[0]} left pending`,
    });
    log(`durable: ${durableRate.toFixed(0)} events/s`);
  } finally {
    await Promise.allSettled([publisher.close(), listener.close(), consumer.close()]);
    rawPub.disconnect();
    rawSub.disconnect();
    await admin.del(`${streamPrefix}${EVENT}`, `${streamPrefix}_dead-letter`);
    admin.disconnect();
  }
  return out;
}
