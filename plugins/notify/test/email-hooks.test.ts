import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Outbox } from '@plugboard/outbox';
import { AwsSesEmailHook, NotifyError, SimpleEmailHook, type SimpleEmailHookOptions } from '@plugboard/notify';
import { SmtpSink } from './helpers/smtp-sink';
import { eventContext } from './helpers/fixture';

let sink: SmtpSink;
let port = 0;
const hooks: { close(): void }[] = [];

beforeEach(async () => {
  sink = new SmtpSink();
  port = await sink.start();
});

afterEach(async () => {
  for (const h of hooks.splice(0)) h.close();
  await sink.stop();
});

function simple(options: Partial<SimpleEmailHookOptions> = {}): SimpleEmailHook {
  const hook = new SimpleEmailHook({
    name: 'simple_email_event',
    host: '127.0.0.1',
    port,
    credentials: 'mailer:pa:ss',
    sender: 'someone@somewhere.test',
    senderName: 'someone',
    recipients: 'me@xyz.test, you@xyz.test',
    requireTls: false,
    env: {},
    ...options,
  });
  hooks.push(hook);
  return hook;
}

describe('SimpleEmailHook', () => {
  test('sends a string body as plain text, subject defaulting to the hook name, to trimmed comma-separated recipients', async () => {
    const result = await simple().trigger('Found new tag for repo x.');
    expect(result.triggered).toBe(true);
    const [got] = sink.received;
    expect(got.rcptTo).toEqual(['me@xyz.test', 'you@xyz.test']);
    expect(got.user).toBe('mailer');
    expect(got.parsed.subject).toBe('simple_email_event');
    expect(got.parsed.from?.value[0]).toEqual({ address: 'someone@somewhere.test', name: 'someone' });
    expect(got.parsed.text?.trim()).toBe('Found new tag for repo x.');
    expect(got.parsed.html).toBe(false);
    expect(result.triggered && got.parsed.messageId).toBe(result.triggered ? result.messageId : '');
  });

  test('an object body is rendered as 2-space-indented JSON; a list of recipients works too', async () => {
    const hook = simple({ recipients: ['a@xyz.test'] });
    await hook.trigger({ error: 'Weird error.', cause: 'Human factor.' });
    expect(sink.received[0].parsed.text?.trim()).toBe('{\n  "error": "Weird error.",\n  "cause": "Human factor."\n}');
    expect(sink.received[0].rcptTo).toEqual(['a@xyz.test']);
  });

  test('realms: none fires always; otherwise only for a listed realm; no realm given does not fire', async () => {
    const open = simple();
    expect((await open.trigger('a')).triggered).toBe(true);
    expect((await open.trigger('b', 'anything')).triggered).toBe(true);
    const tags = simple({ realms: ['github_tags'] });
    expect((await tags.trigger('c', 'github_tags')).triggered).toBe(true);
    expect(await tags.trigger('d', 'github_commits')).toEqual({ triggered: false, reason: expect.stringContaining('github_commits') });
    expect(await tags.trigger('e')).toEqual({ triggered: false, reason: expect.stringContaining('no realm given') });
    expect(sink.received.map((r) => r.parsed.text?.trim())).toEqual(['a', 'b', 'c']);
  });

  test('reads the eventhooks environment variables; constructor options win', async () => {
    const env = {
      HOST: '127.0.0.1',
      PORT: String(port),
      CREDENTIALS: 'envuser:envpass',
      SENDER: 'env@sender.test',
      SENDER_NAME: 'Env Sender',
      RECIPIENTS: 'x@env.test , y@env.test',
      SUBJECT: 'Env subject',
      BODY_TEXT: 'env body',
    };
    const fromEnv = new SimpleEmailHook({ name: 'env_hook', env, requireTls: false });
    hooks.push(fromEnv);
    await fromEnv.trigger();
    const overridden = new SimpleEmailHook({ name: 'env_hook', env, requireTls: false, sender: 'opt@sender.test', subject: 'Option subject' });
    hooks.push(overridden);
    await overridden.trigger('given');
    const [a, b] = sink.received;
    expect(a.rcptTo).toEqual(['x@env.test', 'y@env.test']);
    expect(a.user).toBe('envuser');
    expect(a.mailFrom).toBe('env@sender.test');
    expect(a.parsed.from?.value[0].name).toBe('Env Sender');
    expect(a.parsed.subject).toBe('Env subject');
    expect(a.parsed.text?.trim()).toBe('env body');
    expect(b.mailFrom).toBe('opt@sender.test');
    expect(b.parsed.subject).toBe('Option subject');
    expect(b.parsed.text?.trim()).toBe('given');
  });

  test('the subject can be changed after construction, as in eventhooks', async () => {
    const hook = simple();
    hook.email.subject = 'Something else.';
    await hook.trigger('x');
    expect(sink.received[0].parsed.subject).toBe('Something else.');
  });

  test('a missing required setting is a coded error at construction naming every missing setting', () => {
    const make = () => new SimpleEmailHook({ name: 'broken', env: {} });
    expect(make).toThrow(NotifyError);
    expect(make).toThrow(expect.objectContaining({ code: 'PB_NOTIFY_HOOK_CONFIG' }));
    expect(make).toThrow(/"sender" \(env SENDER\).*"recipients" \(env RECIPIENTS\)/);
    expect(make).toThrow(/"credentials" \(env CREDENTIALS, format user:password\)/);
    expect(() => simple({ credentials: 'nopassword' })).toThrow(/user:password/);
    expect(() => simple({ recipients: 'ok@x.test, bad\r\nBcc: evil@x' })).toThrow(/not a plain e-mail address/);
  });

  test('by default STARTTLS is required: a server without STARTTLS is refused and nothing is sent', async () => {
    const hook = simple({ requireTls: undefined });
    const err = await hook.trigger('secret').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotifyError);
    expect((err as NotifyError).code).toBe('PB_NOTIFY_SEND_FAILED');
    expect((err as Error).message).toMatch(/STARTTLS/i);
    expect(sink.received).toHaveLength(0);
  });

  test('works as the rules handler module "SimpleEmail" with the event realm and payload', async () => {
    const hook = simple({ realms: ['tags'] });
    expect(hook.identifier).toBe('SimpleEmail');
    expect(Object.keys(hook.actions)).toEqual(['send']);
    const skipped = await hook.do('send', eventContext({ realm: 'commits' }), {});
    expect(skipped.detail).toMatch(/^not triggered/);
    await hook.do('send', eventContext({ realm: 'tags', payload: { tag: 'v1.2' } }), {});
    await hook.do('send', eventContext({ realm: 'tags', payload: { tag: 'v1.3' } }), { subject: 'Tag {tag}', body: 'New tag {tag} ({event})' });
    expect(sink.received.map((r) => [r.parsed.subject, r.parsed.text?.trim()])).toEqual([
      ['simple_email_event', '{\n  "tag": "v1.2"\n}'],
      ['Tag v1.3', 'New tag v1.3 (token_init)'],
    ]);
  });

  test('with an outbox, trigger queues the mail and it is delivered with Message-ID <outbox id@plugboard>', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pb-notify-hook-'));
    const db = new Database(join(dir, 'host.db'));
    const outbox = new Outbox({ database: db, backoff: { initialMs: 20, jitter: 0 }, pollIntervalMs: 10 });
    try {
      const hook = simple({ outbox });
      sink.script = [{ code: 421, text: 'try later' }];
      const delivered = once(outbox, 'delivered');
      outbox.start();
      const result = await hook.trigger('queued body');
      expect(result).toMatchObject({ triggered: true, queued: expect.any(String) });
      await delivered;
      const id = result.triggered ? result.queued : undefined;
      expect(sink.received[0].parsed.messageId).toBe(`<${id}@plugboard>`);
      expect(outbox.get(id ?? '')?.channel).toBe('emailhook:simple_email_event');
    } finally {
      await outbox.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('AwsSesEmailHook', () => {
  let server: Server;
  let endpoint = '';
  const requests: { method: string; path: string; headers: IncomingMessage['headers']; body: unknown }[] = [];
  let answer: { status: number; headers?: Record<string, string>; body: unknown } = { status: 200, body: { MessageId: 'ses-0001' } };

  beforeEach(async () => {
    requests.length = 0;
    answer = { status: 200, body: { MessageId: 'ses-0001' } };
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        res.end(JSON.stringify(answer.body));
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  function ses(options: Partial<ConstructorParameters<typeof AwsSesEmailHook>[0]> = {}): AwsSesEmailHook {
    const hook = new AwsSesEmailHook({
      name: 'aws_ses_email_event',
      sender: 'someone@somewhere.test',
      senderName: 'someone',
      recipients: ['me@peer.test'],
      endpoint,
      region: 'eu-west-1',
      awsCredentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      maxAttempts: 1,
      env: {},
      ...options,
    });
    hooks.push(hook);
    return hook;
  }

  test('sends a signed SES v2 SendEmail request with sender, recipients, subject, text body and configuration set', async () => {
    const hook = ses({ configurationSet: 'tracking', env: { RECIPIENTS: 'ignored@env.test' } });
    const result = await hook.trigger({ error: 'Weird error.' }, undefined);
    expect(result).toEqual({ triggered: true, messageId: 'ses-0001' });
    expect(requests).toHaveLength(1);
    const [req] = requests;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/v2/email/outbound-emails');
    expect(req.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/ses\/aws4_request/);
    expect(req.body).toEqual({
      FromEmailAddress: '"someone" <someone@somewhere.test>',
      Destination: { ToAddresses: ['me@peer.test'] },
      Content: {
        Simple: {
          Subject: { Data: 'aws_ses_email_event', Charset: 'UTF-8' },
          Body: { Text: { Data: '{\n  "error": "Weird error."\n}', Charset: 'UTF-8' } },
        },
      },
      ConfigurationSetName: 'tracking',
    });
  });

  test('reads CONFIGURATION_SET, SUBJECT and RECIPIENTS from the environment and honours realms', async () => {
    const hook = ses({
      recipients: undefined,
      sender: undefined,
      env: { SENDER: 'env@sender.test', RECIPIENTS: 'a@env.test,b@env.test', SUBJECT: 'From env', CONFIGURATION_SET: 'cs' },
      realms: ['github_tags'],
    });
    expect((await hook.trigger('x', 'github_commits')).triggered).toBe(false);
    expect((await hook.trigger('x')).triggered).toBe(false);
    await hook.trigger('x', 'github_tags');
    expect(requests).toHaveLength(1);
    expect(requests[0].body).toMatchObject({
      FromEmailAddress: '"someone" <env@sender.test>',
      Destination: { ToAddresses: ['a@env.test', 'b@env.test'] },
      Content: { Simple: { Subject: { Data: 'From env' } } },
      ConfigurationSetName: 'cs',
    });
  });

  test('an SES rejection is a coded send error whose cause is a permanent delivery error', async () => {
    answer = { status: 400, headers: { 'x-amzn-errortype': 'MessageRejected' }, body: { message: 'Email address is not verified.' } };
    const err = await ses().trigger('x').catch((e: unknown) => e);
    expect((err as NotifyError).code).toBe('PB_NOTIFY_SEND_FAILED');
    expect((err as Error).message).toContain('MessageRejected');
    expect((err as Error).cause).toMatchObject({ code: 'PB_OUTBOX_PERMANENT', statusCode: 400 });
  });

  test('a missing sender or recipient is a coded error at construction', () => {
    expect(() => ses({ sender: undefined, recipients: undefined })).toThrow(
      expect.objectContaining({ code: 'PB_NOTIFY_HOOK_CONFIG', message: expect.stringMatching(/sender.*recipients/) }),
    );
    expect(ses().identifier).toBe('AwsSesEmail');
  });
});
