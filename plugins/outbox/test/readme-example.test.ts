/** The README's 30-second example, kept compiling and working (local receiver instead of example.org). */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import { Outbox, PermanentDeliveryError, RetryableDeliveryError } from '@plugboard/outbox';

async function readmeExample(db: Database.Database, url: string): Promise<Outbox> {
  // --- README example starts here ---
  const outbox = new Outbox({ database: db }); // or { database: 'app.db' }: the outbox opens it in WAL mode

  outbox.register<{ url: string; body: string }>('webhook', async (msg, signal) => {
    const res = await fetch(msg.payload.url, {
      method: 'POST',
      body: msg.payload.body,
      headers: { 'content-type': 'application/json', 'webhook-id': msg.id }, // stable id: receivers dedupe on it
      signal,
    });
    if (res.status === 429 || res.status >= 500) {
      const seconds = Number(res.headers.get('retry-after'));
      throw new RetryableDeliveryError(`HTTP ${res.status}`, {
        statusCode: res.status,
        retryAfterMs: seconds > 0 ? seconds * 1000 : undefined,
      });
    }
    if (!res.ok) throw new PermanentDeliveryError(`HTTP ${res.status}`, { statusCode: res.status });
    return { statusCode: res.status };
  });
  outbox.on('dead', (msg, info) => console.error(`gave up on ${msg.id}: ${info.reason}`));
  outbox.start();

  // Same transaction as the host's own write: both commit, or neither.
  db.transaction(() => {
    db.prepare('INSERT INTO orders (id) VALUES (?)').run(42);
    outbox.enqueue('webhook', { url, body: '{"order":42}' }, { dedupeKey: 'order-created:42' });
  })();
  // --- README example ends here ---
  return outbox;
}

describe('README example', () => {
  it('delivers the order webhook written in the host transaction', async () => {
    const bodies: { id: string | string[] | undefined; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        bodies.push({ id: req.headers['webhook-id'], body });
        res.end();
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const db = new Database(':memory:');
    db.exec('CREATE TABLE orders (id INTEGER)');
    const outbox = await readmeExample(db, `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`);
    try {
      const [msg] = await once(outbox, 'delivered');
      expect(bodies).toEqual([{ id: msg.id, body: '{"order":42}' }]);
      expect(outbox.list({ state: 'delivered' })).toHaveLength(1);
    } finally {
      await outbox.close();
      db.close();
      server.closeAllConnections();
      server.close();
    }
  });
});
