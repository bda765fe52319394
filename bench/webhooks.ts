/**
 * Webhook deliveries per second (issue 6): signed Standard Webhooks through the outbox (file
 * SQLite in WAL mode, concurrency 8) to a local node:http receiver, against a plain `fetch`
 * loop with the same concurrency posting bodies built and signed the same way. The guard
 * allows 127.0.0.1 only.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Outbox } from '@plugboard/outbox';
import { Webhooks, envelopeBody, signatureHeaders } from '@plugboard/webhooks';
import type { Measurement } from './harness';
import { Counter, PAIRED_RATIO, median, pairedRatio, pairedRound, runWindow, secondsSince, tempDir } from './io-harness';

export const WEBHOOK_SCENARIO = 'webhook-deliveries-per-second';
export const OUTBOX_WEBHOOKS = 'Webhooks + outbox';
export const FETCH_LOOP = 'fetch loop';

const CONCURRENCY = 8;
const DELIVERIES = 1000;
const ROUNDS = 7;
const WARMUP = 500;
const TIMEOUT_MS = 30_000;

function startReceiver(counter: Counter): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer((req, res) => {
    req.on('data', () => {});
    req.on('end', () => {
      counter.hit();
      res.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 30_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks` }));
  });
}

/** Runs the webhook throughput scenario: deliveries per second for both contenders. */
export async function runWebhookBenchmarks(log: (line: string) => void): Promise<Measurement[]> {
  const tmp = tempDir('webhooks');
  const received = new Counter();
  const { server, url } = await startReceiver(received);
  const outbox = new Outbox({ database: join(tmp.dir, 'host.db'), concurrency: CONCURRENCY });
  const webhooks = new Webhooks({ outbox, guard: { allow: ['127.0.0.1'] } });
  const { endpoint } = await webhooks.store.create({ name: 'receiver', url, events: ['AccountCreated'] });
  const secrets = await webhooks.store.signingSecrets(endpoint.id);
  const delivered = new Counter();
  outbox.on('delivered', () => delivered.hit());
  outbox.on('dead', (msg, info) => log(`dead letter ${msg.id}: ${String(info.error)}`));
  outbox.start();
  log(`outbox concurrency ${CONCURRENCY}, fetch workers ${CONCURRENCY}; ${DELIVERIES} deliveries × ${ROUNDS} rounds`);

  let seq = 0;
  const data = (i: number): unknown => ({ account: { id: i, email: `user${i}@example.org`, quota: 5000 } });
  const enqueueShare: number[] = [];
  const viaOutbox = async (n: number): Promise<number> => {
    delivered.reset();
    const done = delivered.until(n, TIMEOUT_MS, 'outbox webhooks');
    const t0 = process.hrtime.bigint();
    // A burst: on SQLite every send's writes run before the next macrotask, so deliveries start once the burst is stored.
    const sends = await Promise.all(Array.from({ length: n }, () => webhooks.send(endpoint.id, 'AccountCreated', data(seq++))));
    for (const r of sends) if (!('queued' in r)) throw new Error(`not queued: ${r.detail}`);
    const enqueued = secondsSince(t0);
    await done;
    enqueueShare.push(enqueued / secondsSince(t0));
    return n / secondsSince(t0);
  };
  const viaFetch = async (n: number): Promise<number> => {
    const t0 = process.hrtime.bigint();
    await runWindow(n, CONCURRENCY, async () => {
      const id = randomUUID();
      const body = envelopeBody({ type: 'AccountCreated', id, timestamp: new Date().toISOString(), data: data(seq++) });
      const headers = signatureHeaders(secrets, id, new Date(), body);
      const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`receiver answered ${res.status}`);
    });
    return n / secondsSince(t0);
  };

  const rates = { outbox: [] as number[], fetch: [] as number[] };
  try {
    await viaFetch(WARMUP);
    await viaOutbox(WARMUP);
    for (let r = 0; r < ROUNDS; r++) {
      const [base, ours] = await pairedRound(r, () => viaFetch(DELIVERIES), () => viaOutbox(DELIVERIES));
      rates.fetch.push(base);
      rates.outbox.push(ours);
      log(`round ${r + 1}: fetch ${rates.fetch[r].toFixed(0)}/s, outbox ${rates.outbox[r].toFixed(0)}/s`);
    }
    const expected = 2 * (WARMUP + ROUNDS * DELIVERIES);
    if (received.value !== expected) throw new Error(`receiver got ${received.value} requests, expected ${expected}`);
  } finally {
    await outbox.close();
    await webhooks.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    tmp.remove();
  }

  const fetchRate = median(rates.fetch);
  const outboxRate = median(rates.outbox);
  return [
    { scenario: WEBHOOK_SCENARIO, contender: FETCH_LOOP, nsPerOp: fetchRate, note: `${CONCURRENCY} workers, envelope built and signed per request; median of ${ROUNDS} runs` },
    {
      scenario: WEBHOOK_SCENARIO,
      contender: OUTBOX_WEBHOOKS,
      nsPerOp: outboxRate,
      note: `${(outboxRate / fetchRate).toFixed(2)}× fetch by medians; burst of Webhooks.send (${(median(enqueueShare) * 100).toFixed(0)}% of the time) → outbox (file DB, WAL, background checkpoints) → 'delivered' event, concurrency ${CONCURRENCY}`,
    },
    {
      scenario: WEBHOOK_SCENARIO,
      contender: PAIRED_RATIO,
      nsPerOp: pairedRatio(rates.outbox, rates.fetch),
      note: `outbox ÷ fetch, median of the ${ROUNDS} back-to-back rounds: ${rates.outbox.map((x, i) => (x / rates.fetch[i]).toFixed(2)).join(', ')}`,
    },
  ];
}
