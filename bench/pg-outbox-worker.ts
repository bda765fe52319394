/**
 * A worker process of the PostgreSQL scaling benchmark: a PgOutbox with a no-op deliverer on the
 * given URL. Prints "ready" once listening; exits on SIGTERM. Usage: pg-outbox-worker.ts <url>
 */
import { PgOutbox } from '@plugboard/outbox';

async function main(): Promise<void> {
  const outbox = await PgOutbox.open({ database: process.argv[2], concurrency: 8, logger: { info() {}, warn() {}, error: (_o, msg) => process.stderr.write(`${msg}\n`) } });
  outbox.register('bench', () => undefined);
  outbox.start();
  process.once('SIGTERM', () => void outbox.close().then(() => process.exit(0)));
  process.stdout.write('ready\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
