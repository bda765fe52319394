import { join } from 'node:path';
import { buildCli } from '../src/cli';
import { tempDir } from './helpers';

describe('CLI for rules, SMTP configurations, webhooks and the outbox', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());
  const db = join(tmp.dir, 'cli-plugins.sqlite');
  const env = { ADMIN_PASSWORD: 'cli-admin-pass', LOG_LEVEL: 'silent' };

  async function cli(...args: string[]): Promise<string[]> {
    const lines: string[] = [];
    await buildCli({ extensions: [], out: (l) => lines.push(l), env }).parseAsync(['node', 'main', '--db', db, ...args]);
    return lines.filter((l) => !l.startsWith('  ') && l !== '');
  }

  it('creates, lists, disables and deletes rules in-process, validating like the API', async () => {
    expect(await cli('smtp', 'add', 'relay', '--host', '127.0.0.1', '--port', '2525', '--sender', 'pb@example.org', '--username', 'u', '--password', 'p4ss', '--security', 'none')).toEqual([
      'added SMTP configuration relay (127.0.0.1:2525)',
    ]);
    expect(await cli('smtp', 'list')).toEqual(['relay\t127.0.0.1:2525\tnone\tpb@example.org\tu:***']);

    await expect(cli('rules', 'create', '--name', 'mail', '--event', 'AccountCreated', '--module', 'UserNotification', '--action', 'sendmail', '--option', 'To=tokenowner')).rejects.toThrow(
      /options\.emailconfig/,
    );
    expect(
      await cli('rules', 'create', '--name', 'mail', '--event', 'AccountCreated', '--module', 'UserNotification', '--action', 'sendmail', '--option', 'To=tokenowner', '--option', 'emailconfig=relay'),
    ).toEqual(['created rule mail (id 1)']);
    expect(await cli('rules', 'create', '--json', '{"name":"log","events":["POST /api/domains"],"handlerModule":"Logger","action":"log","options":{"message":"{event}"}}', '--position', 'pre')).toEqual([
      'created rule log (id 2)',
    ]);
    expect(await cli('rules', 'disable', '1')).toEqual(['1\tmail\tinactive']);
    expect(await cli('rules', 'list')).toEqual(['1\tmail\tinactive\tpost\tAccountCreated\tUserNotification.sendmail', '2\tlog\tactive\tpre\tPOST /api/domains\tLogger.log']);
    expect(await cli('rules', 'update', '2', '--ordering', '5', '--event', 'DomainCreated')).toEqual(['updated rule log (id 2)']);
    expect(await cli('rules', 'delete', '1')).toEqual(['deleted rule 1']);
    expect((await cli('rules', 'list')).map((l) => l.split('\t').slice(0, 5).join(' '))).toEqual(['2 log active pre DomainCreated']);
  });

  it('manages webhook endpoints and shows queued deliveries; commands of one-shot processes leave delivery to the server', async () => {
    const added = await cli('webhooks', 'add', 'crm', 'https://crm.example.org/hooks', '--event', 'DomainCreated');
    expect(added[0]).toMatch(/^added webhook endpoint crm \(id .+\)$/);
    expect(added[1]).toMatch(/^signing secret \(shown once\): whsec_/);
    expect((await cli('webhooks', 'list'))[0]).toMatch(/\tcrm\thttps:\/\/crm\.example\.org\/hooks\tDomainCreated\tenabled$/);

    expect(await cli('domains', 'create', 'hooked.example')).toEqual(['created domain hooked.example (id 1)']);
    const log = await cli('webhooks', 'log', 'crm');
    expect(log).toHaveLength(1);
    expect(log[0]).toMatch(/\tDomainCreated\tpending\tattempts 0\t-/);
    const pending = await cli('outbox', 'list', '--state', 'pending');
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatch(/\twebhook\tpending\tattempts 0$/);
    const id = pending[0].split('\t')[0];
    await expect(cli('outbox', 'retry', 'no-such-id')).rejects.toThrow(/does not exist/);
    expect(await cli('outbox', 'retry', id)).toEqual([`${id}\tpending`]);
    expect(await cli('webhooks', 'remove', 'crm')).toEqual(['removed webhook endpoint crm']);
  });
});
