/**
 * Child process of pg-workers.test.ts: one worker of a shared PostgreSQL outbox. Each attempt
 * POSTs `{ id, worker }` to the test's HTTP server, which decides when (or whether) to answer.
 * Usage: pg-worker.ts <url> <worker name> <http port> <leaseMs> <attemptTimeoutMs>
 */
import { PgOutbox, RetryableDeliveryError } from '../../src';

async function main(): Promise<void> {
  const [url, worker, port, leaseMs, attemptTimeoutMs] = process.argv.slice(2);
  const outbox = await PgOutbox.open({
    database: url,
    leaseMs: Number(leaseMs),
    attemptTimeoutMs: Number(attemptTimeoutMs),
    concurrency: 4,
    backoff: { initialMs: 20, jitter: 0 },
    logger: { info() {}, warn() {}, error: (obj, msg) => process.stderr.write(`${msg}\n`) },
  });
  outbox.register('http', async (m, signal) => {
    const res = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: JSON.stringify({ id: m.id, worker }), signal });
    if (!res.ok) throw new RetryableDeliveryError(`HTTP ${res.status}`, { statusCode: res.status });
  });
  outbox.start();
  process.once('SIGTERM', () => void outbox.close({ timeoutMs: 1000 }).then(() => process.exit(0)));
  process.stdout.write('ready\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
