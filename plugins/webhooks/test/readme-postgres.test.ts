/** The README's PostgreSQL example, pointed at a local receiver (hence the allow list). */
import { openOutbox, type Outbox, type PgOutbox } from '@plugboard/outbox';
import { SqlDatabase } from '@plugboard/sql';
import { Webhooks } from '@plugboard/webhooks';
import { pgDatabase } from '../../../test/support/pg-database';
import { startReceiver } from './helpers';

async function readmeExample(url: string, receiverUrl: string): Promise<{ db: SqlDatabase; outbox: Outbox | PgOutbox; webhooks: Webhooks }> {
  // --- README example starts here ---
  const db = await SqlDatabase.open(url);
  const outbox = await openOutbox({ database: url });
  const webhooks = await Webhooks.open({ outbox, database: db, guard: { allow: ['127.0.0.1'] } });
  await webhooks.store.create({ name: 'crm', url: receiverUrl, events: ['AccountCreated'] });
  outbox.start();
  await webhooks.publish('AccountCreated', { email: 'alice@example.org' });
  // --- README example ends here ---
  return { db, outbox, webhooks };
}

it('README PostgreSQL example: an endpoint stored in PostgreSQL receives the published event through the PgOutbox', async () => {
  const pg = await pgDatabase('webhooks-readme');
  const receiver = await startReceiver(() => ({ status: 200 }));
  const { db, outbox, webhooks } = await readmeExample(pg.url(), `${receiver.url}/webhooks`);
  try {
    await receiver.waitFor(1);
    expect(JSON.parse(receiver.requests[0]!.body)).toMatchObject({ type: 'AccountCreated', data: { email: 'alice@example.org' } });
  } finally {
    await outbox.close();
    await webhooks.close();
    await db.close();
    await receiver.close();
    await pg.drop();
  }
});
