import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Outbox } from '@plugboard/outbox';
import { NotifyConfigStore, NotifyDelivery, UserNotification } from '@plugboard/notify';
import { pgDatabase, type TestDatabase } from '../../../test/support/pg-database';
import { eventContext } from './helpers/fixture';
import { SmtpSink } from './helpers/smtp-sink';

// Two hosts on one PostgreSQL database: each store on its own SqlDatabase (pool and LISTEN connection).
describe('notify configurations shared by two processes on PostgreSQL', () => {
  let pg: TestDatabase;
  let dir: string;
  let sink: SmtpSink;
  let port: number;

  beforeEach(async () => {
    pg = await pgDatabase('pb-notify-cross');
    dir = mkdtempSync(join(tmpdir(), 'pb-notify-cross-'));
    sink = new SmtpSink();
    port = await sink.start();
  });

  afterEach(async () => {
    await sink.stop();
    await pg.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('an SMTP configuration the other process adds is offered and used to send mail here within a second', async () => {
    const here = await NotifyConfigStore.open({ database: pg.url('host-a') });
    const there = await NotifyConfigStore.open({ database: pg.url('host-b') });
    const outbox = new Outbox({ database: join(dir, 'outbox.db'), pollIntervalMs: 10, logger: { info: () => undefined, warn: () => undefined, error: () => undefined } });
    const delivery = new NotifyDelivery({ outbox, store: here });
    const notification = new UserNotification(delivery, undefined, { url: 'https://admin.plugboard.test' });
    try {
      outbox.start();
      const heard = new Promise<void>((resolve) => here.onChange((kind, name) => kind === 'smtp' && name === 'relay' && resolve()));
      const started = Date.now();
      await there.createSmtp({ name: 'relay', host: '127.0.0.1', port, sender: 'pb@plugboard.test', security: 'none' });
      await heard;
      expect(Date.now() - started).toBeLessThan(1000);
      expect(notification.actions.sendmail.options.emailconfig.values).toEqual(['relay']);

      await notification.do('sendmail', eventContext(), { emailconfig: 'relay', To: 'tokenowner', subject: 'Token {serial}', body: 'hello' });
      await sink.waitFor(1);
      expect(sink.received[0].parsed.subject).toBe('Token OATH0001');

      // A deletion there is seen here too: the rule's configuration is reported missing.
      const gone = new Promise<void>((resolve) => here.onChange((_kind, name) => name === 'relay' && resolve()));
      await there.deleteSmtp('relay');
      await gone;
      await expect(notification.do('sendmail', eventContext(), { emailconfig: 'relay', To: 'tokenowner' })).rejects.toThrow(expect.objectContaining({ code: 'PB_NOTIFY_CONFIG_NOT_FOUND' }));
    } finally {
      await outbox.close();
      delivery.close();
      await here.close();
      await there.close();
    }
  });
});
