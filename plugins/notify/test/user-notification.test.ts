import { once } from 'node:events';
import { Container } from 'inversify';
import Database from 'better-sqlite3';
import { HANDLER_MODULE, type HandlerModule } from '@plugboard/core';
import { HandlerModuleRegistry, RuleStore, RulesEngine } from '@plugboard/rules';
import {
  NOTIFY_SETTINGS,
  NOTIFY_TYPE,
  NotifyDelivery,
  NotifyError,
  RECIPIENT_DIRECTORY,
  UnknownTagError,
  UserNotification,
  messageIdFor,
} from '@plugboard/notify';
import { NotifyFixture, directory, eventContext } from './helpers/fixture';

let fx: NotifyFixture;

beforeEach(async () => {
  fx = await new NotifyFixture().start();
});

afterEach(async () => {
  await fx.stop();
});

const mail = (extra: Record<string, unknown> = {}) => ({ emailconfig: 'local', To: NOTIFY_TYPE.TOKENOWNER, ...extra });

describe('UserNotification sendmail', () => {
  test('declares privacyIDEA identifier, description, actions and option names', () => {
    expect(fx.module.identifier).toBe('UserNotification');
    expect(fx.module.description).toBe('This eventhandler notifies the user about actions on his tokens');
    const sendmail = fx.module.actions.sendmail.options;
    expect(Object.keys(sendmail)).toEqual(
      expect.arrayContaining(['emailconfig', 'subject', 'body', 'mimetype', 'To', 'To admin realm', 'To internal admin', 'To email']),
    );
    expect(sendmail.emailconfig.required).toBe(true);
    expect(sendmail.emailconfig.values).toEqual(['local']);
    expect(sendmail.To.values).toEqual(['tokenowner', 'logged_in_user', 'admin realm', 'internal admin', 'email']);
    expect(sendmail.mimetype.values).toEqual(['plain', 'html']);
    expect(fx.module.actions.sendsms.options.smsconfig.required).toBe(true);
    expect(fx.module.conditions).toHaveProperty('result_status');
  });

  test('queues one outbox message and delivers it to the token owner with a stable Message-ID', async () => {
    const outcome = await fx.module.do('sendmail', eventContext(), mail({ subject: 'Token {serial} enrolled' }));
    expect(outcome.queued).toHaveLength(1);
    const id = outcome.queued?.[0] ?? '';
    expect(fx.outbox.get(id)?.channel).toBe('smtp');

    await fx.outbox.drain();
    expect(fx.sink.received).toHaveLength(1);
    const [got] = fx.sink.received;
    expect(got.rcptTo).toEqual(['alice@users.test']);
    expect(got.mailFrom).toBe('pb@plugboard.test');
    expect(got.parsed.from?.value[0]).toEqual({ address: 'pb@plugboard.test', name: 'Plugboard' });
    expect(got.parsed.subject).toBe('Token OATH0001 enrolled');
    expect(got.parsed.messageId).toBe(messageIdFor(id));
    expect(got.parsed.messageId).toBe(`<${id}@plugboard>`);
    // privacyIDEA's default body with its tags substituted.
    expect(got.parsed.text).toContain('Hello Alice,');
    expect(got.parsed.text).toContain('the administrator ada@adminrealm performed the action\n/token/init on your token OATH0001.');
    expect(got.parsed.text).toContain('https://admin.plugboard.test');
    expect(fx.outbox.get(id)?.state).toBe('delivered');
  });

  test('resolves every recipient type: logged_in_user, admin realm, internal admin and a trimmed email list', async () => {
    const ctx = eventContext();
    await fx.module.do('sendmail', ctx, mail({ To: NOTIFY_TYPE.LOGGED_IN_USER, subject: 'login' }));
    await fx.module.do('sendmail', ctx, mail({ To: NOTIFY_TYPE.ADMIN_REALM, 'To admin realm': 'superusers', subject: 'realm' }));
    await fx.module.do('sendmail', ctx, mail({ To: NOTIFY_TYPE.INTERNAL_ADMIN, 'To internal admin': 'ops', subject: 'internal' }));
    await fx.module.do('sendmail', ctx, mail({ To: NOTIFY_TYPE.EMAIL, 'To email': ' one@list.test ,two@list.test,, ', subject: 'list' }));
    await fx.outbox.drain();

    const bySubject = (s: string) =>
      fx.sink.received
        .filter((r) => r.parsed.subject === s)
        .flatMap((r) => r.rcptTo)
        .sort();
    expect(bySubject('login')).toEqual(['ada@admins.test']);
    expect(bySubject('realm')).toEqual(['boss@admins.test', 'root@admins.test']);
    expect(bySubject('internal')).toEqual(['ops@internal.test']);
    expect(bySubject('list')).toEqual(['one@list.test', 'two@list.test']);
    // The email list is one message to both addresses.
    expect(fx.sink.received).toHaveLength(5);
  });

  test('queues the mails of all recipients or none: a failure storing one leaves nothing queued, and a rerun queues all', async () => {
    // A real storage failure part-way through the batch: SQLite refuses the second recipient's row.
    fx.outbox.db.exec(`
      CREATE TRIGGER refuse_two BEFORE INSERT ON outbox_messages
      WHEN json_extract(NEW.payload, '$.to.address') = 'root@admins.test'
      BEGIN SELECT RAISE(ABORT, 'disk says no'); END`);
    const ctx = eventContext();
    const options = mail({ To: NOTIFY_TYPE.ADMIN_REALM, 'To admin realm': 'superusers', subject: 'all or none' });

    // Matched by shape, not with toThrow: better-sqlite3's native addon keeps the SqliteError class of
    // the first test file its jest worker loaded, whose Error is another realm's, so instanceof fails.
    await expect(fx.module.do('sendmail', ctx, options)).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_TRIGGER', message: 'disk says no' });
    expect(fx.outbox.list()).toEqual([]);

    fx.outbox.db.exec('DROP TRIGGER refuse_two');
    // The same event again (as an at-least-once upstream would redeliver it): nothing was kept, so nothing is deduplicated away.
    const { queued } = await fx.module.do('sendmail', ctx, options);
    expect(queued).toHaveLength(2);
    await fx.outbox.drain();
    expect(fx.sink.received.flatMap((r) => r.rcptTo).sort()).toEqual(['boss@admins.test', 'root@admins.test']);
  });

  test('substitutes every documented tag, the seed spelling {tokentyp} and any payload field', async () => {
    const body = [
      'admin={admin}',
      'realm={realm}',
      'action={action}',
      'serial={serial}',
      'url={url}',
      'user={user}',
      'givenname={givenname}',
      'surname={surname}',
      'username={username}',
      'userrealm={userrealm}',
      'tokentype={tokentype}',
      'tokentyp={tokentyp}',
      'registrationcode={registrationcode}',
      'recipient={recipient_givenname} {recipient_surname}',
      'custom={ticket}',
      'nested={device.model}',
      'json={ "literal": true }',
    ].join('\n');
    const ctx = eventContext({
      payload: { serial: 'REG42', tokentype: 'registration', ticket: 'T-7', device: { model: 'YubiKey' } },
      result: { status: 'success', value: { detail: { registrationcode: 'abc-123' } } },
    });
    await fx.module.do('sendmail', ctx, mail({ To: NOTIFY_TYPE.ADMIN_REALM, 'To admin realm': 'superusers', body }));
    await fx.outbox.drain();
    const root = fx.sink.received.find((r) => r.rcptTo.includes('root@admins.test'));
    expect(root?.parsed.text?.trim()).toBe(
      [
        'admin=ada',
        'realm=adminrealm',
        'action=/token/init',
        'serial=REG42',
        'url=https://admin.plugboard.test',
        'user=Alice',
        'givenname=Alice',
        'surname=Smith',
        'username=alice',
        'userrealm=users',
        'tokentype=registration',
        'tokentyp=registration',
        'registrationcode=abc-123',
        'recipient=Rita Root',
        'custom=T-7',
        'nested=YubiKey',
        'json={ "literal": true }',
      ].join('\n'),
    );
  });

  test('an unknown tag fails the action with a coded error naming the tag and queues nothing', async () => {
    const err = await fx.module.do('sendmail', eventContext(), mail({ body: 'Hi {givenname}, see {nosuchtag}' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnknownTagError);
    expect((err as UnknownTagError).code).toBe('PB_NOTIFY_UNKNOWN_TAG');
    expect((err as UnknownTagError).tags).toEqual(['nosuchtag']);
    expect((err as Error).message).toContain('{nosuchtag}');
    await expect(fx.module.do('sendmail', eventContext(), mail({ subject: '{oops}' }))).rejects.toThrow(/\{oops\} in the subject/);
    expect(fx.outbox.list()).toHaveLength(0);
  });

  test('html mimetype HTML-escapes substituted values but keeps the template markup', async () => {
    const ctx = eventContext({
      user: { username: 'eve', email: 'eve@users.test', givenname: '<script>alert("x")</script>', surname: 'O\'Neil & Co' },
    });
    await fx.module.do('sendmail', ctx, mail({ mimetype: 'html', body: '<p>Hello <b>{givenname}</b> {surname}</p>' }));
    await fx.outbox.drain();
    const [got] = fx.sink.received;
    expect(got.parsed.html).toContain('<p>Hello <b>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</b> O&#39;Neil &amp; Co</p>');
    expect(got.parsed.html).not.toContain('<script>');
  });

  test('CR/LF in substituted values never creates a header (Bcc injection through subject and name)', async () => {
    const evil = 'X\r\nBcc: evil@x';
    const ctx = eventContext({
      payload: { serial: evil, tokentype: 'hotp' },
      user: { username: 'alice', email: 'alice@users.test', givenname: `Alice${evil}`, surname: 'Smith' },
    });
    await fx.module.do('sendmail', ctx, mail({ subject: 'Token {serial} for {givenname}', body: 'serial {serial}' }));
    await fx.outbox.drain();
    expect(fx.sink.received).toHaveLength(1);
    const [got] = fx.sink.received;
    expect(got.rcptTo).toEqual(['alice@users.test']);
    expect(got.parsed.bcc).toBeUndefined();
    expect(got.parsed.headers.has('bcc')).toBe(false);
    expect(got.parsed.cc).toBeUndefined();
    const headerBlock = got.raw.slice(0, got.raw.indexOf('\r\n\r\n'));
    expect(headerBlock).not.toMatch(/^Bcc:/im);
    expect(got.parsed.subject).toBe('Token X Bcc: evil@x for AliceX Bcc: evil@x');
    const to = got.parsed.to;
    expect(Array.isArray(to) ? to.flatMap((a) => a.value) : to?.value).toEqual([{ address: 'alice@users.test', name: 'AliceX Bcc: evil@x Smith' }]);
  });

  test('an address containing CR/LF is refused as recipient, never sent', async () => {
    const ctx = eventContext({ user: { username: 'mallory', email: 'm@users.test\r\nBcc: evil@x' } });
    const err = await fx.module.do('sendmail', ctx, mail()).catch((e: unknown) => e);
    expect((err as NotifyError).code).toBe('PB_NOTIFY_NO_RECIPIENT');
    expect((err as Error).message).toContain('mallory: invalid e-mail address');
    expect(fx.outbox.list()).toHaveLength(0);
  });

  test('SMTP 4xx is retried with the same Message-ID, then delivered', async () => {
    fx.sink.script = [{ code: 451, text: 'Greylisted, try again later' }];
    const retried = once(fx.outbox, 'retry');
    const delivered = once(fx.outbox, 'delivered');
    const { queued } = await fx.module.do('sendmail', eventContext(), mail());
    const id = queued?.[0] ?? '';
    const [, retryInfo] = (await retried) as [unknown, { statusCode?: number }];
    expect(retryInfo.statusCode).toBe(451);
    await delivered;
    expect(fx.sink.attempts).toBe(2);
    expect(fx.sink.received).toHaveLength(1);
    expect(fx.sink.received[0].parsed.messageId).toBe(`<${id}@plugboard>`);
    expect(fx.outbox.attempts(id).map((a) => a.outcome)).toEqual(['retry', 'delivered']);
  });

  test('SMTP 5xx sends the message to the dead letters at once', async () => {
    fx.sink.script = [{ code: 550, text: 'Mailbox unknown' }];
    const dead = once(fx.outbox, 'dead');
    const { queued } = await fx.module.do('sendmail', eventContext(), mail());
    const [msg, info] = (await dead) as [{ id: string }, { reason: string; statusCode?: number }];
    expect(msg.id).toBe(queued?.[0]);
    expect(info.reason).toBe('permanent');
    expect(info.statusCode).toBe(550);
    expect(fx.outbox.get(msg.id)?.state).toBe('dead');
    expect(fx.outbox.attempts(msg.id)).toHaveLength(1);
    expect(fx.sink.received).toHaveLength(0);
  });

  test('a down SMTP server is retried until it comes back', async () => {
    const port = fx.port;
    await fx.sink.stop();
    const retried = once(fx.outbox, 'retry');
    const delivered = once(fx.outbox, 'delivered');
    const { queued } = await fx.module.do('sendmail', eventContext(), mail());
    await retried;
    expect(fx.outbox.get(queued?.[0] ?? '')?.state).not.toBe('delivered');
    await fx.sink.start(port);
    await delivered;
    expect(fx.sink.received).toHaveLength(1);
    expect(fx.sink.received[0].parsed.messageId).toBe(`<${queued?.[0]}@plugboard>`);
  });

  test('reports coded errors for a missing configuration, option, directory or recipient', async () => {
    const ctx = eventContext();
    await expect(fx.module.do('sendmail', ctx, mail({ emailconfig: 'nope' }))).rejects.toMatchObject({ code: 'PB_NOTIFY_CONFIG_NOT_FOUND' });
    await expect(fx.module.do('sendmail', ctx, { To: 'tokenowner' })).rejects.toMatchObject({ code: 'PB_NOTIFY_INVALID_OPTION' });
    await expect(fx.module.do('sendmail', ctx, mail({ To: 'everyone' }))).rejects.toThrow(/must be one of/);
    await expect(fx.module.do('sendmail', ctx, mail({ mimetype: 'rtf' }))).rejects.toMatchObject({ code: 'PB_NOTIFY_INVALID_OPTION' });
    await expect(fx.module.do('sendmail', ctx, mail({ To: 'admin realm' }))).rejects.toThrow(/"To admin realm" is required/);
    await expect(fx.module.do('explode', ctx, {})).rejects.toMatchObject({ code: 'PB_NOTIFY_UNKNOWN_ACTION' });
    await expect(fx.module.do('sendmail', eventContext({ user: undefined }), mail())).rejects.toMatchObject({ code: 'PB_NOTIFY_NO_RECIPIENT' });
    const noDirectory = new UserNotification(fx.delivery);
    await expect(noDirectory.do('sendmail', ctx, mail({ To: 'internal admin' }))).rejects.toMatchObject({ code: 'PB_NOTIFY_NO_DIRECTORY' });
    expect(fx.outbox.list()).toHaveLength(0);
  });

  test('the same event re-dispatched does not queue the same mail twice', async () => {
    const ctx = eventContext();
    const first = await fx.module.do('sendmail', ctx, mail());
    const again = await fx.module.do('sendmail', ctx, mail());
    expect(again.queued).toEqual(first.queued);
    await fx.outbox.drain();
    expect(fx.sink.received).toHaveLength(1);
  });
});

describe('UserNotification with DI and the rules engine', () => {
  test('is resolved from an inversify container with the delivery, directory and settings injected', async () => {
    const container = new Container();
    container.bind(NotifyDelivery).toConstantValue(fx.delivery);
    container.bind(RECIPIENT_DIRECTORY).toConstantValue(directory);
    container.bind(NOTIFY_SETTINGS).toConstantValue({ url: 'https://di.test' });
    container.bind<HandlerModule>(HANDLER_MODULE).to(UserNotification);
    const [module] = container.getAll<HandlerModule>(HANDLER_MODULE);
    expect(module).toBeInstanceOf(UserNotification);
    await module.do('sendmail', eventContext(), mail({ To: 'internal admin', body: '{url}' }));
    await fx.outbox.drain();
    expect(fx.sink.received.map((r) => r.parsed.text?.trim())).toEqual(['https://di.test', 'https://di.test']);
  });

  test('a saved rule sends mail through the outbox when its event is dispatched and its conditions hold', async () => {
    const rulesDb = new Database(':memory:');
    try {
      const registry = new HandlerModuleRegistry({ modules: [fx.module] });
      const store = new RuleStore(rulesDb, { registry });
      await store.create({
        name: 'notify owner',
        events: ['token_init'],
        handlerModule: 'UserNotification',
        action: 'sendmail',
        options: { emailconfig: 'local', To: 'tokenowner', subject: 'New token {serial}' },
        conditions: { result_status: 'success' },
      });
      const engine = new RulesEngine({ store, registry, logger: { error: () => undefined } });
      await engine.dispatch(eventContext({ result: { status: 'failure' } }));
      await engine.dispatch(eventContext({ result: { status: 'success' } }));
      await fx.outbox.drain();
      expect(fx.sink.received).toHaveLength(1);
      expect(fx.sink.received[0].parsed.subject).toBe('New token OATH0001');
    } finally {
      rulesDb.close();
    }
  });
});
