import Database from 'better-sqlite3';
import { Outbox } from '@plugboard/outbox';
import { Webhook } from 'standardwebhooks';
import { MattermostWebHook, Webhooks } from '@plugboard/webhooks';
import { startReceiver, tempDir } from './helpers';

// The README's 30-second example, pointed at local receivers (hence the explicit allow list).
it('README example: signed endpoint delivery and a realm-restricted Mattermost trigger', async () => {
  const tmp = tempDir();
  const crm = await startReceiver(() => ({ status: 200 }));
  const chat = await startReceiver(() => ({ status: 200 }));
  const token = 'xoxo-token';
  const db = new Database(tmp.file('app.db'));
  const outbox = new Outbox({ database: db });
  const webhooks = new Webhooks({ outbox, guard: { allow: ['127.0.0.1'] } });
  try {
    const { generatedSecret } = await webhooks.store.create({ name: 'crm', url: `${crm.url}/webhooks`, events: ['AccountCreated'] });
    const mattermost = new MattermostWebHook({ name: 'mattermost_event', host: chat.url, token, realms: ['github_tags'] });
    webhooks.register(mattermost);

    outbox.start();
    await webhooks.publish('AccountCreated', { email: 'alice@example.org' });
    expect(await mattermost.trigger('Found new tag for repo x.', 'github_tags')).toMatchObject({ fired: true });
    expect(await mattermost.trigger('New commit on master.', 'github_commits')).toEqual({ fired: false, reason: 'realm' });
    await Promise.all([crm.waitFor(1), chat.waitFor(1)]);
    await outbox.drain();

    const req = crm.requests[0]!;
    const headers = Object.fromEntries(['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((h) => [h, String(req.headers[h])]));
    expect(new Webhook(generatedSecret!).verify(req.body, headers)).toMatchObject({ type: 'AccountCreated', data: { email: 'alice@example.org' } });
    expect(JSON.parse(chat.requests[0]!.body)).toEqual({ text: 'Found new tag for repo x.' });
    expect(await webhooks.deliveryLog('crm')).toEqual([expect.objectContaining({ state: 'delivered', attempts: [expect.objectContaining({ outcome: 'delivered', statusCode: 200 })] })]);
  } finally {
    await outbox.close();
    await webhooks.close();
    await crm.close();
    await chat.close();
    db.close();
    tmp.cleanup();
  }
});
