import { inspect } from 'node:util';
import Database from 'better-sqlite3';
import { Outbox } from '@plugboard/outbox';
import { DockerHubWebHook, MattermostWebHook, WebhookDeliveryError, Webhooks } from '@plugboard/webhooks';
import { recordingLogger, startReceiver, tempDir, type Receiver } from './helpers';

const TOKEN = 't18hf5fmf3ymjjgqzxxwnoauk';
const GITHUB_TAG_REALM = 'github_tags';
const GITHUB_COMMIT_REALM = 'github_commits';
const local = { allow: ['127.0.0.1'] };

describe('MattermostWebHook standalone (eventhooks)', () => {
  let receiver: Receiver;
  const triggers: MattermostWebHook[] = [];
  const mattermost = (realms?: string[], host?: string): MattermostWebHook => {
    const t = new MattermostWebHook({ name: 'mattermost_event', host: host ?? receiver.url, token: TOKEN, guard: local, ...(realms ? { realms } : {}) });
    triggers.push(t);
    return t;
  };

  beforeEach(async () => {
    receiver = await startReceiver(() => ({ status: 200, body: 'ok' }));
  });
  afterEach(async () => {
    triggers.splice(0).forEach((t) => t.close());
    await receiver.close();
  });

  it('posts {"text": data} to {host}/hooks/{token}', async () => {
    const result = await mattermost([GITHUB_TAG_REALM]).trigger('Found new tag for repo x.', GITHUB_TAG_REALM);
    expect(result).toEqual({ fired: true, statusCode: 200 });
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]).toMatchObject({ method: 'POST', url: `/hooks/${TOKEN}` });
    expect(JSON.parse(receiver.requests[0]!.body)).toEqual({ text: 'Found new tag for repo x.' });
  });

  it('sends an object as 2-space-indented JSON text', async () => {
    await mattermost().trigger({ error: 'Weird error.', cause: 'Human factor.' });
    expect(JSON.parse(receiver.requests[0]!.body)).toEqual({ text: '{\n  "error": "Weird error.",\n  "cause": "Human factor."\n}' });
  });

  it('fires for every call, with or without realm, when configured without realms', async () => {
    const t = mattermost();
    expect(await t.trigger('a')).toMatchObject({ fired: true });
    expect(await t.trigger('b', GITHUB_COMMIT_REALM)).toMatchObject({ fired: true });
    expect(receiver.requests).toHaveLength(2);
  });

  it('fires only for a call in one of its realms', async () => {
    const t = mattermost([GITHUB_TAG_REALM]);
    expect(await t.trigger('tag', GITHUB_TAG_REALM)).toMatchObject({ fired: true });
    expect(await t.trigger('commit', GITHUB_COMMIT_REALM)).toEqual({ fired: false, reason: 'realm' });
    expect(receiver.requests.map((r) => JSON.parse(r.body).text)).toEqual(['tag']);
  });

  it('does not fire for a call without realm when it has realms', async () => {
    expect(await mattermost([GITHUB_TAG_REALM]).trigger('x')).toEqual({ fired: false, reason: 'realm' });
    expect(receiver.requests).toHaveLength(0);
  });

  it.each([[undefined], [null], [''], ['   '], [{}], [[]]])('sends nothing for an empty payload (%p)', async (data) => {
    expect(await mattermost().trigger(data)).toEqual({ fired: false, reason: 'empty' });
    expect(receiver.requests).toHaveLength(0);
  });

  it('never shows the token: toString, JSON, inspect and errors use the masked URL', async () => {
    const failing = await startReceiver(() => ({ status: 500, body: 'boom' }));
    try {
      const t = mattermost(undefined, failing.url);
      expect(String(t)).toBe(`mattermost_event: ${failing.url}/hooks/***`);
      expect(JSON.stringify(t)).not.toContain(TOKEN);
      expect(JSON.parse(JSON.stringify(t))).toMatchObject({ name: 'mattermost_event', kind: 'mattermost', url: `${failing.url}/hooks/***` });
      expect(inspect(t, { depth: 5 })).not.toContain(TOKEN);
      const error = await t.trigger('x').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(WebhookDeliveryError);
      expect(error).toMatchObject({ statusCode: 500, retryable: true });
      expect(String((error as Error).message)).toContain('/hooks/***');
      expect(inspect(error, { depth: 10 })).not.toContain(TOKEN);
    } finally {
      await failing.close();
    }
  });

  it('refuses loopback unless allowed, without sending', async () => {
    const t = new MattermostWebHook({ name: 'm', host: receiver.url, token: TOKEN });
    try {
      await expect(t.trigger('x')).rejects.toMatchObject({ code: 'PB_WEBHOOK_DELIVERY_FAILED', retryable: false, message: expect.stringMatching(/loopback/) });
      expect(receiver.requests).toHaveLength(0);
    } finally {
      t.close();
    }
  });

  it('stops firing after the receiver answered 410 Gone', async () => {
    const gone = await startReceiver(() => ({ status: 410 }));
    try {
      const t = mattermost(undefined, gone.url);
      await expect(t.trigger('x')).rejects.toMatchObject({ statusCode: 410, retryable: false });
      expect(t.disabledReason).toMatch(/410 Gone/);
      expect(await t.trigger('y')).toEqual({ fired: false, reason: 'disabled' });
      expect(gone.requests).toHaveLength(1);
    } finally {
      await gone.close();
    }
  });

  it('rejects bad configuration without echoing the token', () => {
    expect(() => new MattermostWebHook({ name: '', host: 'https://x', token: TOKEN })).toThrow(/name/);
    expect(() => new MattermostWebHook({ name: 'm', host: 'ftp://x', token: TOKEN })).toThrow(/http/);
    try {
      new MattermostWebHook({ name: 'm', host: 'https://x', token: 'bad/token' });
      throw new Error('expected an error');
    } catch (e) {
      expect(e).toMatchObject({ code: 'PB_WEBHOOK_TRIGGER_INVALID' });
      expect((e as Error).message).not.toContain('bad/token');
    }
  });
});

describe('DockerHubWebHook standalone', () => {
  let receiver: Receiver;
  let hub: DockerHubWebHook;
  const SOURCE = '97204472-110c-4586-a455-4fb08f3d8b06';
  const HUB_TOKEN = 'f0629dc1-3568-47f8-b03f-0fb122280506';

  beforeEach(async () => {
    receiver = await startReceiver(() => ({ status: 202 }));
    hub = new DockerHubWebHook({ name: 'dockerhub_event', source: SOURCE, token: HUB_TOKEN, baseUrl: receiver.url, guard: local, realms: [GITHUB_COMMIT_REALM, GITHUB_TAG_REALM] });
  });
  afterEach(async () => {
    hub.close();
    await receiver.close();
  });

  it('triggers a branch build for a string payload at the build trigger URL', async () => {
    expect(await hub.trigger('master', GITHUB_COMMIT_REALM)).toEqual({ fired: true, statusCode: 202 });
    expect(receiver.requests[0]!.url).toBe(`/api/build/v1/source/${SOURCE}/trigger/${HUB_TOKEN}/call/`);
    expect(JSON.parse(receiver.requests[0]!.body)).toEqual({ source_type: 'Branch', source_name: 'master' });
  });

  it('sends an object payload as is', async () => {
    await hub.trigger({ source_type: 'Tag', source_name: 'v1.0' }, GITHUB_TAG_REALM);
    expect(JSON.parse(receiver.requests[0]!.body)).toEqual({ source_type: 'Tag', source_name: 'v1.0' });
  });

  it('applies realms and sends nothing for an empty payload', async () => {
    expect(await hub.trigger('master')).toEqual({ fired: false, reason: 'realm' });
    expect(await hub.trigger('master', 'other')).toEqual({ fired: false, reason: 'realm' });
    expect(await hub.trigger('', GITHUB_TAG_REALM)).toEqual({ fired: false, reason: 'empty' });
    expect(receiver.requests).toHaveLength(0);
  });

  it('masks the token', () => {
    expect(hub.urlSafe).toBe(`${receiver.url}/api/build/v1/source/${SOURCE}/trigger/***/call/`);
    expect(JSON.stringify(hub)).not.toContain(HUB_TOKEN);
  });
});

describe('triggers registered with Webhooks go through the outbox', () => {
  it('queues only the body (no token in the outbox, logs or delivery errors) and delivers it', async () => {
    const tmp = tempDir();
    const db = new Database(tmp.file('app.db'));
    const log = recordingLogger();
    const receiver = await startReceiver((n) => (n === 0 ? { status: 503 } : n === 1 ? { status: 200 } : { status: 410 }));
    const outbox = new Outbox({ database: db, backoff: { initialMs: 10, factor: 1, jitter: 0, maxAttempts: 3 }, logger: log });
    const webhooks = new Webhooks({ outbox, database: db, guard: local, logger: log });
    try {
      const t = new MattermostWebHook({ name: 'mm', host: receiver.url, token: TOKEN, realms: [GITHUB_TAG_REALM] });
      webhooks.register(t);
      expect(await t.trigger('ignored', GITHUB_COMMIT_REALM)).toEqual({ fired: false, reason: 'realm' });
      expect(await t.trigger('', GITHUB_TAG_REALM)).toEqual({ fired: false, reason: 'empty' });
      const result = await t.trigger('tagged v1', GITHUB_TAG_REALM);
      if (!('queued' in result)) throw new Error('expected queued');
      const stored = outbox.get(result.queued)!;
      expect(stored.payload).toEqual({ kind: 'trigger', trigger: 'mm', body: { text: 'tagged v1' } });
      await outbox.drain({ includeScheduled: true });
      expect(outbox.get(result.queued)!.state).toBe('delivered');
      expect(receiver.requests.map((r) => r.url)).toEqual([`/hooks/${TOKEN}`, `/hooks/${TOKEN}`]);

      const gone = await t.trigger('again', GITHUB_TAG_REALM);
      await outbox.drain({ includeScheduled: true });
      if (!('queued' in gone)) throw new Error('expected queued');
      expect(outbox.get(gone.queued)!.state).toBe('dead');
      expect(t.disabledReason).toMatch(/410/);

      const everything = JSON.stringify([
        outbox.list({ limit: 100 }),
        [result.queued, gone.queued].map((id) => outbox.attempts(id)),
        log.lines,
        webhooks.triggers(),
      ]);
      expect(everything).not.toContain(TOKEN);
      expect(everything).toContain('/hooks/***');
    } finally {
      await outbox.close();
      await webhooks.close();
      await receiver.close();
      db.close();
      tmp.cleanup();
    }
  });

  it('refuses two different triggers with the same name', async () => {
    const tmp = tempDir();
    const db = new Database(tmp.file('app.db'));
    const outbox = new Outbox({ database: db });
    const webhooks = new Webhooks({ outbox, database: db });
    try {
      webhooks.register(new MattermostWebHook({ name: 'same', host: 'https://chat.example', token: 'a' }));
      expect(() => webhooks.register(new DockerHubWebHook({ name: 'same', source: 's', token: 'b' }))).toThrow(
        expect.objectContaining({ code: 'PB_WEBHOOK_TRIGGER_EXISTS' }),
      );
    } finally {
      await webhooks.close();
      db.close();
      tmp.cleanup();
    }
  });
});
