/**
 * The host's per-request reads on SQLite, before and after they moved to `@plugboard/sql` works
 * (issue "Many hosts, one PostgreSQL"), in one run on one database: authenticating a request reads
 * its session and its user. "before" is the old code path (better-sqlite3 prepared statements,
 * the SQL the repository had); "after" is `SessionService.authenticate` today (Kysely works run
 * through cached prepared statements). Run: `node -r ts-node/register/transpile-only bench/host-store.ts`.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHost } from '../host-example/src/host';
import { toUser, type UserRow } from '../host-example/src/repository-rows';

const N = 50_000;

function perOp(label: string, fn: () => unknown): Promise<number> {
  return (async () => {
    for (let i = 0; i < 2_000; i++) await fn(); // warm the statement cache and the JIT
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < N; i++) await fn();
    const us = Number(process.hrtime.bigint() - t0) / 1e3 / N;
    console.log(`${label.padEnd(40)} ${us.toFixed(2)} µs/op`);
    return us;
  })();
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pb-bench-host-store-'));
  const host = await createHost({ dbFile: join(dir, 'host.sqlite'), databaseUrl: '', extensions: [], logger: 'silent', deliver: false, admin: { password: 'bench-password-1' } });
  try {
    const { token } = await host.service.resources.sessions.login({ ip: '127.0.0.1' } as never, 'admin', 'bench-password-1');
    const session = host.db.sql.prepare('SELECT user_id, expires_at FROM sessions WHERE token_hash = ?');
    const user = host.db.sql.prepare('SELECT * FROM users WHERE id = ?');
    const rounds: [number, number][] = [];
    for (let r = 0; r < 3; r++) {
      // The old authenticate: hash the token, read the session, then the user, and map the row.
      const before = await perOp('before: prepared statements', () => {
        const row = session.get(createHash('sha256').update(token).digest('hex')) as { user_id: number };
        return toUser(user.get(row.user_id) as UserRow);
      });
      const after = await perOp('after: authenticate (works)', () => host.service.authenticate(token));
      rounds.push([before, after]);
    }
    const best = (i: 0 | 1): number => Math.min(...rounds.map((x) => x[i]));
    console.log(`best of 3: before ${best(0).toFixed(2)} µs, after ${best(1).toFixed(2)} µs per authenticated request`);
  } finally {
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
