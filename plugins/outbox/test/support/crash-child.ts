/**
 * Child process of crash.test.ts: enqueues messages into a file database, prints their ids,
 * then delivers them to the parent's HTTP receiver until the parent kills it with SIGKILL.
 * Usage: crash-child.ts <db file> <receiver url> <count>
 */
import { Outbox, RetryableDeliveryError } from '../../src';

const [file, url, count] = process.argv.slice(2);
const outbox = new Outbox({ database: file, concurrency: 4, attemptTimeoutMs: 1000, leaseMs: 1500, logger: { info() {}, warn() {}, error() {} } });
outbox.register<{ n: number }>('http', async (msg, signal) => {
  const res = await fetch(url, { method: 'POST', body: JSON.stringify({ id: msg.id, n: msg.payload.n }), signal });
  if (!res.ok) throw new RetryableDeliveryError(`receiver answered ${res.status}`, { statusCode: res.status });
  return { statusCode: res.status };
});
const ids = outbox.db.transaction(() => Array.from({ length: Number(count) }, (_, n) => outbox.enqueue('http', { n }).id))();
process.stdout.write(`${JSON.stringify({ ids })}\n`);
outbox.start();
