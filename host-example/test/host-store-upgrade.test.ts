/**
 * SQLite files made by the host's old hand-written migration runner (`schema_migrations`, scope
 * `host`, versions 1–5) open with their data intact once the host migrates through
 * `migrate(store, 'host', …)`: nothing is lost on upgrade.
 */
import { join } from 'node:path';
import { Database } from '../src/db';
import { HOST_MIGRATIONS } from '../src/migrations';
import { hashPassword } from '../src/passwords';
import { HOST_SCHEMA } from '../src/store/host-schema';
import { finishLegacy, legacyVersion } from '../src/store/legacy-migrations';
import { start, tempDir } from './helpers';

/** A database file as the old code path left it: its runner's migrations up to `version`, then rows written with plain SQL. */
async function oldFile(file: string, version: number): Promise<void> {
  const db = await Database.open(file, { checkpoints: 'sqlite', url: '' });
  finishLegacy(db.sql, 'host', HOST_MIGRATIONS.slice(0, version));
  const at = '2025-01-01T00:00:00.000Z';
  db.sql.prepare("INSERT INTO users (id, username, password_hash, role, first_name, created_at) VALUES (1, 'admin', ?, 'SuperAdmins', 'Old', ?)").run(await hashPassword('old-admin-password'), at);
  db.sql.prepare("INSERT INTO users (id, username, password_hash, role, owner_id, created_at) VALUES (2, 'Ann@Old.test', 'scrypt$x', 'SimpleUsers', 1, ?)").run(at);
  db.sql.prepare("INSERT INTO domains (id, name, quota, owner_id, created_at) VALUES (1, 'old.test', 100, 1, ?)").run(at);
  db.sql.prepare("INSERT INTO mailboxes (user_id, address, domain_id, quota) VALUES (2, 'Ann', 1, 50)").run();
  db.sql.prepare("INSERT INTO parameters (application, level, user_id, name, value) VALUES ('core', 'A', 0, 'announcement', '\"kept\"')").run();
  await db.close();
}

describe('a SQLite file of the old migration runner', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it.each([5, 3])('opens with its data intact when the old runner had reached version %i', async (version) => {
    const file = join(tmp.dir, `old-v${version}.sqlite`);
    await oldFile(file, version);
    const run = await start(file, [], { admin: { password: 'unused-password-1' }, databaseUrl: '' });
    try {
      const token = await run.login('admin', 'old-admin-password');
      const accounts = (await run.req('GET', '/api/accounts', { token })).body.accounts as { account: { username: string }; mailbox: { fullAddress: string; quota: number } | null }[];
      expect(accounts.map((a) => [a.account.username, a.mailbox?.fullAddress ?? null, a.mailbox?.quota ?? null])).toEqual([
        ['admin', null, null],
        ['Ann@Old.test', 'Ann@old.test', 50],
      ]);
      // Names still compare ignoring case, as the old columns did.
      expect((await run.host.repo.userByName('ann@old.test'))?.id).toBe(2);
      expect((await run.req('GET', '/api/domains', { token })).body.entries.map((d: { name: string; quota: number }) => [d.name, d.quota])).toEqual([['old.test', 100]]);
      expect((await run.req('GET', '/api/announcements')).body.announcements).toEqual(['kept']);
      // What the old runner's later versions added works too: mobile numbers (version 5).
      const created = await run.req('POST', '/api/accounts', { token, body: { username: 'bob@old.test', password: 'password-bob-1', mobile: '+41 79 123 45 67' } });
      expect(created.status).toBe(201);
      const applied = run.host.db.sql.prepare("SELECT name FROM plugboard_migrations WHERE scope = 'host'").all() as { name: string }[];
      expect(applied.map((m) => m.name)).toEqual(HOST_SCHEMA.map((m) => m.name));
      expect(legacyVersion(run.host.db.sql, 'host')).toBe(HOST_MIGRATIONS.length);
    } finally {
      await run.stop();
    }
  });
});
