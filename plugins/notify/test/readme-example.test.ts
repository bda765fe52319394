// The README's 30-second example, kept compiling and passing (only the SMTP port and paths differ).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { Outbox } from '@plugboard/outbox';
import { SecretBox, decodeSecretKey, generateSecretKey } from '@plugboard/core';
import { EmailHooks, EmailHookStore, NotifyConfigStore, NotifyDelivery, UserNotification } from '@plugboard/notify';
import { SqlDatabase } from '@plugboard/sql';
import { pgDatabase } from '../../../test/support/pg-database';
import { SmtpSink } from './helpers/smtp-sink';

test('README example: a token owner is mailed through the outbox', async () => {
  const sink = new SmtpSink();
  const port = await sink.start();
  const dir = mkdtempSync(join(tmpdir(), 'pb-notify-readme-'));
  const db = new Database(join(dir, 'app.db'));

  // --- README example starts here ---
  const outbox = new Outbox({ database: db });
  const store = await NotifyConfigStore.open({ database: db });
  await store.createSmtp({ name: 'relay', host: '127.0.0.1', port, sender: 'pb@example.org', security: 'none' });
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
  await store.close();
  // --- README example ends here ---

  expect(queued).toHaveLength(1);
  expect(sink.received[0].parsed.subject).toBe('Token OATH0001 enrolled');
  expect(sink.received[0].parsed.text?.trim()).toBe('Hello Alice, see https://admin.example.org');
  await sink.stop();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

test('README example: several hosts share the stores on PostgreSQL', async () => {
  const pg = await pgDatabase('pb-notify-readme');
  const dir = mkdtempSync(join(tmpdir(), 'pb-notify-readme-pg-'));
  const outbox = new Outbox({ database: join(dir, 'outbox.db') });
  const secrets = new SecretBox([decodeSecretKey(generateSecretKey(), 'test key')]);
  const changes: string[] = [];
  const console = { log: (line: string) => changes.push(line) };
  const env = { PLUGBOARD_DATABASE_URL: pg.url() };

  // --- README example starts here ---
  const sql = await SqlDatabase.open(env.PLUGBOARD_DATABASE_URL ?? 'data/app.db');
  const configs = await NotifyConfigStore.open({ database: sql, secrets });   // sealed at rest on both dialects
  const hooks = new EmailHooks({ outbox, store: await EmailHookStore.open({ database: sql, secrets }) });
  hooks.sync();   // and again by itself for every hook another host adds, changes or deletes
  configs.onChange((kind, name) => console.log(`${kind} configuration ${name} changed`));
  // --- README example ends here ---

  const otherHost = await NotifyConfigStore.open({ database: pg.url(), secrets });
  const heard = new Promise<void>((resolve) => configs.onChange(() => resolve()));
  await otherHost.createSmtp({ name: 'relay', host: 'smtp.example.org', sender: 'pb@example.org' });
  await heard;
  expect(changes).toEqual(['smtp configuration relay changed']);
  await otherHost.close();
  hooks.close();
  await hooks.store.close();
  await configs.close();
  await sql.close();
  await outbox.close();
  await pg.drop();
  rmSync(dir, { recursive: true, force: true });
});
