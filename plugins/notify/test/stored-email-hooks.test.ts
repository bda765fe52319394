import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Outbox } from '@plugboard/outbox';
import { AwsSesEmailHook, EmailHooks, EmailHookStore, createEmailHook, type EmailHookConfigInput } from '@plugboard/notify';
import { SmtpSink } from './helpers/smtp-sink';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

let dir: string;
let db: Database.Database;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pb-notify-emailhooks-'));
  db = new Database(join(dir, 'host.db'));
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function simpleInput(port: number, over: Partial<EmailHookConfigInput> = {}): EmailHookConfigInput {
  return {
    name: 'welcome',
    kind: 'simple',
    events: ['AccountCreated'],
    settings: {
      host: '127.0.0.1',
      port,
      credentials: 'mailer:pa:ss',
      sender: 'pb@plugboard.test',
      senderName: 'Plugboard',
      recipients: 'ops@plugboard.test, audit@plugboard.test',
      // The test server offers no STARTTLS; production hooks keep the default (required).
      requireTls: false,
    },
    ...over,
  };
}

describe('EmailHookStore', () => {
  test('stores hooks in notify_email_hooks, migrated once under @plugboard/notify, fills defaults and masks credentials in listings', async () => {
    const store = EmailHookStore.openSync({ database: db });
    const created = await store.create(simpleInput(2525));
    expect(created).toMatchObject({ name: 'welcome', kind: 'simple', realms: [], revision: 1 });
    expect(created.settings).toMatchObject({ credentials: '***', recipients: ['ops@plugboard.test', 'audit@plugboard.test'], requireTls: false });
    expect(store.list()[0].settings.credentials).toBe('***');
    expect(store.show('welcome').settings.credentials).toBe('***');
    expect(store.get('welcome').settings.credentials).toBe('mailer:pa:ss');
    const ses = await store.create({ name: 'ses', kind: 'ses', events: ['DomainCreated'], settings: { sender: 'pb@plugboard.test', recipients: ['a@plugboard.test'] } });
    expect(ses.settings).toMatchObject({ credentials: '', port: 587, requireTls: true });
    expect(ses.settings.subject).toBeUndefined();
    const migrations = db.prepare("SELECT COUNT(*) FROM plugboard_migrations WHERE scope = '@plugboard/notify'").pluck();
    expect(migrations.get()).toBe(1);
    // Reopening the same file migrates nothing and finds the hooks.
    const reopened = EmailHookStore.openSync({ database: join(dir, 'host.db') });
    expect(reopened.names()).toEqual(['ses', 'welcome']);
    expect(migrations.get()).toBe(1);
    await reopened.close();
  });

  test('an update sending the masked credentials back keeps the stored ones; settings are merged', async () => {
    const store = EmailHookStore.openSync({ database: db });
    await store.create(simpleInput(2525));
    const listed = store.list()[0];
    const updated = await store.update('welcome', { ...listed, realms: ['example.com'], settings: { ...listed.settings, subject: 'New account' } });
    expect(updated.revision).toBe(2);
    expect(updated.settings.credentials).toBe('***');
    expect(store.get('welcome')).toMatchObject({ realms: ['example.com'], settings: { credentials: 'mailer:pa:ss', subject: 'New account', port: 2525 } });
    await store.update('welcome', { settings: { credentials: 'other:secret' } });
    expect(store.get('welcome').settings).toMatchObject({ credentials: 'other:secret', subject: 'New account', host: '127.0.0.1' });
  });

  test('rejects invalid hooks with PB_NOTIFY_INVALID_CONFIG naming each bad field', async () => {
    const store = EmailHookStore.openSync({ database: db });
    await expect(store.create({ name: 'x', kind: 'simple', events: [], settings: { sender: 'nope', recipients: '' } })).rejects.toThrow(
      expect.objectContaining({
        code: 'PB_NOTIFY_INVALID_CONFIG',
        message: expect.stringMatching(/events: list at least one hook name.*settings\.sender: must be a plain e-mail address.*settings\.recipients: list at least one recipient/s),
      }),
    );
    await expect(store.create({ ...simpleInput(25), settings: { sender: 'a@b.test', recipients: 'c@d.test' } })).rejects.toThrow(/settings\.host: is required.*settings\.credentials: is required/s);
    await expect(store.create(simpleInput(25, { kind: 'smtp' as 'simple' }))).rejects.toThrow(/kind: /);
    await expect(store.create({ ...simpleInput(25), settings: { ...simpleInput(25).settings, credentials: 'nocolon' } })).rejects.toThrow(/settings\.credentials: must have the format user:password/);
    await expect(store.create({ ...simpleInput(25), settings: { ...simpleInput(25).settings, recipients: 'ok@x.test, bad\r\nBcc: evil@x' } })).rejects.toThrow(/settings\.recipients\.1: must be a plain e-mail address/);
    await expect(store.create({ ...simpleInput(25), settings: { ...simpleInput(25).settings, credentials: '***' } })).rejects.toThrow(/settings\.credentials: is "\*\*\*"/);
    await expect(store.create({ ...simpleInput(25), settings: { ...simpleInput(25).settings, port: 0 } })).rejects.toThrow(/settings\.port/);
    await store.create(simpleInput(25));
    await expect(store.create(simpleInput(25))).rejects.toThrow(expect.objectContaining({ code: 'PB_NOTIFY_CONFIG_EXISTS' }));
    await expect(store.update('nope', { realms: [] })).rejects.toThrow(expect.objectContaining({ code: 'PB_NOTIFY_CONFIG_NOT_FOUND' }));
    expect(await store.delete('welcome')).toBe(true);
    expect(await store.delete('welcome')).toBe(false);
  });
});

describe('EmailHooks (stored hooks through the outbox)', () => {
  let sink: SmtpSink;
  let port = 0;

  beforeEach(async () => {
    sink = new SmtpSink();
    port = await sink.start();
  });

  afterEach(async () => {
    await sink.stop();
  });

  function newOutbox(): Outbox {
    return new Outbox({ database: db, backoff: { initialMs: 20, jitter: 0, maxAttempts: 3 }, pollIntervalMs: 10, logger: quiet });
  }

  test('publish fires every hook bound to the event (realms as eventhooks), with the payload as indented JSON and the name as subject', async () => {
    const outbox = newOutbox();
    const hooks = new EmailHooks({ database: db, outbox });
    try {
      await hooks.store.create(simpleInput(port));
      await hooks.store.create(simpleInput(port, { name: 'realm-bound', realms: ['example.com'] }));
      await hooks.store.create(simpleInput(port, { name: 'other-realm', realms: ['other.org'] }));
      await hooks.store.create(simpleInput(port, { name: 'domains', events: ['DomainCreated'] }));
      outbox.start();

      const fired = await hooks.publish('AccountCreated', { account: { username: 'ann@example.com' } }, { realm: 'example.com' });
      expect(fired.map((f) => [f.name, f.result.triggered])).toEqual([
        ['other-realm', false],
        ['realm-bound', true],
        ['welcome', true],
      ]);
      await sink.waitFor(2);
      await outbox.drain();
      expect(sink.received.map((r) => r.parsed.subject).sort()).toEqual(['realm-bound', 'welcome']);
      expect(sink.received[0].parsed.text?.trim()).toBe('{\n  "account": {\n    "username": "ann@example.com"\n  }\n}');
      expect(sink.received[0].rcptTo).toEqual(['ops@plugboard.test', 'audit@plugboard.test']);
      expect(sink.received[0].user).toBe('mailer');

      // Without a realm only hooks without realms fire.
      expect((await hooks.publish('AccountCreated', 'plain text')).filter((f) => f.result.triggered).map((f) => f.name)).toEqual(['welcome']);
      await sink.waitFor(3);

      const log = await hooks.deliveryLog('welcome');
      expect(log).toHaveLength(2);
      await outbox.drain();
      expect((await hooks.deliveryLog('welcome'))[1]).toMatchObject({ state: 'delivered', subject: 'welcome', recipients: ['ops@plugboard.test', 'audit@plugboard.test'], attempts: [expect.objectContaining({ outcome: 'delivered' })] });
      expect(await hooks.deliveryLog('other-realm')).toEqual([]);
      await expect(hooks.deliveryLog('nope')).rejects.toMatchObject({ code: 'PB_NOTIFY_CONFIG_NOT_FOUND' });
    } finally {
      hooks.close();
      await outbox.close();
    }
  });

  test('a changed hook is rebuilt on its channel, a retried mail shows its attempts, a deleted hook no longer fires', async () => {
    const outbox = newOutbox();
    const hooks = new EmailHooks({ database: db, outbox });
    try {
      await hooks.store.create(simpleInput(port));
      outbox.start();
      sink.script = [{ code: 421, text: 'try later' }];
      await hooks.publish('AccountCreated', 'first');
      await sink.waitFor(1);
      await outbox.drain();
      const [entry] = await hooks.deliveryLog('welcome');
      expect(entry.attempts.map((a) => a.outcome)).toEqual(['retry', 'delivered']);
      expect(entry.attempts[0]).toMatchObject({ statusCode: 421, nextAttemptAt: expect.any(Date) });

      await hooks.store.update('welcome', { settings: { subject: 'Changed' } });
      expect(outbox.channels()).toContain('emailhook:welcome');
      await hooks.publish('AccountCreated', 'second');
      await sink.waitFor(2);
      expect(sink.received[1].parsed.subject).toBe('Changed');

      await hooks.store.delete('welcome');
      expect(outbox.channels()).not.toContain('emailhook:welcome');
      expect(await hooks.publish('AccountCreated', 'third')).toEqual([]);
    } finally {
      hooks.close();
      await outbox.close();
    }
  });

  test('mail queued before a restart is delivered once the stored hooks are synced again', async () => {
    const first = newOutbox();
    const before = new EmailHooks({ database: db, outbox: first });
    await before.store.create(simpleInput(port));
    const [fired] = await before.publish('AccountCreated', { n: 1 });
    expect(fired.result).toMatchObject({ triggered: true, queued: expect.any(String) });
    before.close();
    await first.close();
    expect(sink.received).toHaveLength(0);

    const outbox = newOutbox();
    const after = new EmailHooks({ database: db, outbox });
    try {
      after.sync();
      const delivered = once(outbox, 'delivered');
      outbox.start();
      await delivered;
      expect(sink.received[0].parsed.text?.trim()).toBe('{\n  "n": 1\n}');
    } finally {
      after.close();
      await outbox.close();
    }
  });

  test('sync reports a hook that cannot take its channel, and publish names it while the others still fire', async () => {
    const outbox = newOutbox();
    const hooks = new EmailHooks({ database: db, outbox });
    const unregister = outbox.register('emailhook:taken', async () => ({}));
    try {
      await hooks.store.create(simpleInput(port));
      await hooks.store.create(simpleInput(port, { name: 'taken' }));
      expect(() => hooks.sync()).toThrow(AggregateError);
      outbox.start();
      const err = await hooks.publish('AccountCreated', 'x').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AggregateError);
      expect((err as AggregateError).errors).toEqual([expect.objectContaining({ code: 'PB_NOTIFY_SEND_FAILED', message: expect.stringContaining('"taken"') })]);
      await sink.waitFor(1);
      expect(sink.received[0].parsed.subject).toBe('welcome');
    } finally {
      unregister();
      hooks.close();
      await outbox.close();
    }
  });
});

describe('createEmailHook for SES', () => {
  let server: Server;
  const requests: { path: string; headers: IncomingMessage['headers']; body: unknown }[] = [];

  beforeEach(async () => {
    requests.length = 0;
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        requests.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ MessageId: 'ses-0042' }));
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('builds an AwsSesEmailHook from a stored ses hook: endpoint, region, credentials, configuration set, subject', async () => {
    const store = EmailHookStore.openSync({ database: db });
    await store.create({
      name: 'ses-hook',
      kind: 'ses',
      events: ['AccountCreated'],
      realms: ['example.com'],
      settings: {
        sender: 'pb@plugboard.test',
        senderName: 'Plugboard',
        recipients: 'ops@plugboard.test',
        subject: 'New account',
        configurationSet: 'tracking',
        region: 'eu-central-1',
        endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        credentials: 'AKIDSTORED:stored-secret',
      },
    });
    const hook = createEmailHook(store.get('ses-hook'));
    try {
      expect(hook).toBeInstanceOf(AwsSesEmailHook);
      expect(await hook.trigger({ account: 'ann' }, 'other.org')).toMatchObject({ triggered: false });
      expect(await hook.trigger({ account: 'ann' }, 'example.com')).toEqual({ triggered: true, messageId: 'ses-0042' });
      expect(requests).toHaveLength(1);
      expect(requests[0].path).toBe('/v2/email/outbound-emails');
      expect(requests[0].headers.authorization).toMatch(/Credential=AKIDSTORED\/\d{8}\/eu-central-1\/ses\/aws4_request/);
      expect(requests[0].body).toEqual({
        FromEmailAddress: '"Plugboard" <pb@plugboard.test>',
        Destination: { ToAddresses: ['ops@plugboard.test'] },
        Content: { Simple: { Subject: { Data: 'New account', Charset: 'UTF-8' }, Body: { Text: { Data: '{\n  "account": "ann"\n}', Charset: 'UTF-8' } } } },
        ConfigurationSetName: 'tracking',
      });
    } finally {
      hook.close();
    }
  });
});
