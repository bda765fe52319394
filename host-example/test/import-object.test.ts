import { join } from 'node:path';
import { extension, observe } from '@plugboard/core';
import { hostHooks, type ImportFunction } from '../src/hooks';
import type { User } from '../src/model';
import { ADMIN_PASSWORD, start, tempDir, type Running } from './helpers';

/** What the test extensions' importers saw, in order. */
const imported: string[] = [];

@extension({ name: 'dkim-keys', version: '1.0.0', description: 'Imports dkim rows; also notes account rows.' })
class DkimKeysExtension {
  @observe(hostHooks.ImportObject)
  importers(objtype: string): ImportFunction[] {
    if (objtype === 'dkim') return [async (_user: User, row) => void imported.push(`dkim-keys:${row[1]}`)];
    if (objtype === 'account') return [async (_user: User, row) => void imported.push(`dkim-keys:account:${row[1]}`)];
    return [];
  }
}

@extension({ name: 'dkim-audit', version: '1.0.0', description: 'Also imports dkim rows (a second importer of the same type).' })
class DkimAuditExtension {
  @observe(hostHooks.ImportObject)
  importers(objtype: string): ImportFunction[] {
    if (objtype !== 'dkim') return [];
    return [
      async (_user: User, row) => void imported.push(`dkim-audit:${row[1]}`),
      async (_user: User, row) => {
        if (row[1] === 'bad.test') throw new Error('no key for bad.test');
      },
    ];
  }
}

describe('CSV import through ImportObject', () => {
  const tmp = tempDir();
  let api: Running;
  let token: string;

  beforeAll(async () => {
    api = await start(join(tmp.dir, 'import.sqlite'), [DkimKeysExtension, DkimAuditExtension]);
    token = await api.login('admin', ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await api.stop();
    tmp.cleanup();
  });

  it('runs every import function returned for a row type, from every extension, the host built-in included', async () => {
    imported.length = 0;
    const csv = 'domain; keys.test; 10; true\ndkim; keys.test\naccount; ann@keys.test; password-ann; Ann; Lee; true; SimpleUsers; ann@keys.test; 10\n';
    const r = await api.req('POST', '/api/import', { token, body: { csv } });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ imported: 3, skipped: 0 });
    expect(imported).toEqual(['dkim-keys:keys.test', 'dkim-audit:keys.test', 'dkim-keys:account:ann@keys.test']);
    expect(await api.host.repo.userByName('ann@keys.test')).toBeDefined();
  });

  it('names the extension whose import function failed, with the CSV line', async () => {
    const r = await api.req('POST', '/api/import', { token, body: { csv: 'dkim; bad.test\n' } });
    expect(r.status).toBe(400);
    expect(r.body.field).toBe('csv line 1');
    expect(r.body.extension).toBe('dkim-audit');
    expect(r.body.message).toMatch(/csv line 1: import function of extension "dkim-audit" failed: no key for bad\.test/);
  });
});
