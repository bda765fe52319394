// The README's 30-second example, kept compiling and passing (only the SMTP port and paths differ).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { Outbox } from '@plugboard/outbox';
import { NotifyConfigStore, NotifyDelivery, UserNotification } from '@plugboard/notify';
import { SmtpSink } from './helpers/smtp-sink';

test('README example: a token owner is mailed through the outbox', async () => {
  const sink = new SmtpSink();
  const port = await sink.start();
  const dir = mkdtempSync(join(tmpdir(), 'pb-notify-readme-'));
  const db = new Database(join(dir, 'app.db'));

  // --- README example starts here ---
  const outbox = new Outbox({ database: db });
  const store = new NotifyConfigStore({ database: db });
  store.createSmtp({ name: 'relay', host: '127.0.0.1', port, sender: 'pb@example.org', security: 'none' });
  const delivery = new NotifyDelivery({ outbox, store });
  const notification = new UserNotification(delivery, undefined, { url: 'https://admin.example.org' });
  outbox.start();

  const { queued } = await notification.do(
    'sendmail',
    {
      eventId: randomUUID(),
      event: 'token_init',
      position: 'post',
      timestamp: new Date(),
      payload: { serial: 'OATH0001' },
      user: { username: 'alice', email: 'alice@example.org', givenname: 'Alice' },
    },
    { emailconfig: 'relay', To: 'tokenowner', subject: 'Token {serial} enrolled', body: 'Hello {givenname}, see {url}' },
  );
  await outbox.drain();
  await outbox.stop();
  delivery.close();
  // --- README example ends here ---

  expect(queued).toHaveLength(1);
  expect(sink.received[0].parsed.subject).toBe('Token OATH0001 enrolled');
  expect(sink.received[0].parsed.text?.trim()).toBe('Hello Alice, see https://admin.example.org');
  await sink.stop();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});
