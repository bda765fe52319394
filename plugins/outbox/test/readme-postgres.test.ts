/** The README's PostgreSQL example, kept compiling and working (a recording sendMail instead of SMTP). */
import { openOutbox, type PgOutbox } from '@plugboard/outbox';
import { pgDatabase } from './support/pg';

async function readmeExample(url: `postgres://${string}`, sendMail: (m: { to: string; messageId: string }) => Promise<void>): Promise<PgOutbox> {
  // --- README example starts here ---
  const outbox = await openOutbox({
    database: url,
    attemptTimeoutMs: 20_000,
    leaseMs: 30_000, // a claimed message belongs to this process for 30 s; then another one takes it over
  });
  outbox.register<{ to: string }>('smtp', async (msg) => {
    await sendMail({ ...msg.payload, messageId: `<${msg.id}@example.org>` }); // receivers dedupe on the id
  });
  outbox.start();
  await outbox.enqueue('smtp', { to: 'a@example.org' }); // committed when this resolves
  // --- README example ends here ---
  return outbox;
}

describe('README PostgreSQL example', () => {
  it('delivers the enqueued mail through a PgOutbox opened from a postgres:// URL', async () => {
    const pg = await pgDatabase();
    const sent: { to: string; messageId: string }[] = [];
    let done!: () => void;
    const delivered = new Promise<void>((resolve) => (done = resolve));
    const outbox = await readmeExample(pg.url() as `postgres://${string}`, async (m) => {
      sent.push(m);
      done();
    });
    try {
      await delivered;
      expect(sent).toEqual([{ to: 'a@example.org', messageId: expect.stringMatching(/^<.+@example\.org>$/) as unknown as string }]);
    } finally {
      await outbox.close();
      await pg.drop();
    }
  });
});
