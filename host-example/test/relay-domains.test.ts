import { join } from 'node:path';
import { RelayDomainsExtension } from '../src/extensions/relay-domains';
import { ADMIN_PASSWORD, start, tempDir } from './helpers';

describe('relay-domains extension', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('lists relay domains with a service filter, actions, a transport form, and guards their names', async () => {
    const run = await start(join(tmp.dir, 'r.sqlite'), [RelayDomainsExtension]);
    try {
      const t = { token: await run.login('admin', ADMIN_PASSWORD) };
      await run.req('POST', '/api/domains', { ...t, body: { name: 'hosted.test' } });
      const a = (await run.req('POST', '/api/relaydomains', { ...t, body: { name: 'relay-a.test', targetHost: 'mx.a.test' } })).body;
      await run.req('POST', '/api/relaydomains', { ...t, body: { name: 'relay-b.test', targetHost: 'mx.b.test', service: 'relay-with-verify' } });

      const all = (await run.req('GET', '/api/domains', t)).body;
      expect(all.filters).toEqual(['srvfilter']);
      expect(all.entries.map((e: { name: string; type: string }) => `${e.type}:${e.name}`)).toEqual(['domain:hosted.test', 'relaydomain:relay-a.test', 'relaydomain:relay-b.test']);
      expect(all.entries[0].actions).toEqual([]);
      expect(all.entries[1].actions[0]).toEqual({ name: 'edit_relaydomain', url: `/api/relaydomains/${a.id}`, title: 'Edit relay domain', img: 'fa fa-edit' });

      const filtered = (await run.req('GET', '/api/domains?type=relaydomain&srvfilter=relay-with-verify', t)).body.entries;
      expect(filtered.map((e: { name: string }) => e.name)).toEqual(['relay-b.test']);

      const forms = (await run.req('GET', `/api/relaydomains/${a.id}/forms`, t)).body;
      expect(forms.forms.map((f: { id: string }) => f.id)).toEqual(['general', 'transport']);
      expect(forms.instances.transport).toEqual({ targetHost: 'mx.a.test', service: 'relay' });
      expect((await run.req('GET', '/api/domains/menu', t)).body.entries).toContainEqual({ name: 'relaydomains', label: 'Relay domains', url: '/api/domains?type=relaydomain' });

      // CheckDomainName: a domain may not take a relay domain's name while the extension is enabled.
      const clash = await run.req('POST', '/api/domains', { ...t, body: { name: 'relay-a.test' } });
      expect(clash.status).toBe(409);
      expect(clash.body.message).toContain('a relay domain');

      await run.req('POST', '/api/extensions/relay-domains/disable', t);
      expect((await run.req('GET', '/api/domains?srvfilter=relay', t)).body.field).toBe('srvfilter');
      expect((await run.req('GET', '/api/domains', t)).body.entries.map((e: { name: string }) => e.name)).toEqual(['hosted.test']);
      expect((await run.req('GET', `/api/relaydomains/${a.id}/forms`, t)).body.forms.map((f: { id: string }) => f.id)).toEqual(['general']);
    } finally {
      await run.stop();
    }
  });
});
