/**
 * Property-based check of the authorization rule: random sequences of creations, ownership
 * changes, renames and deletions by random actors, against the real service on SQLite. After
 * every step: a non-SuperAdmin reaches only accounts of a lower rank with a mailbox in a domain
 * she owns now; no administrator is deleted or renamed by someone who may not manage her; no
 * domain changes owner except by a SuperAdmin's transfer.
 */
import fc from 'fast-check';
import { createHost, type Host } from '../src/host';
import { rankOf } from '../src/authorization';
import { HostError } from '../src/errors';
import { hashPassword } from '../src/passwords';
import type { User } from '../src/model';

type Action =
  | { kind: 'createDomain'; actor: number; name: number }
  | { kind: 'createAccount'; actor: number; local: number; domain: number; role: 'SimpleUsers' | 'DomainAdmins' | 'Resellers' }
  | { kind: 'transfer'; actor: number; domain: number; to: number }
  | { kind: 'rename'; actor: number; domain: number; name: number }
  | { kind: 'deleteDomain'; actor: number; domain: number }
  | { kind: 'deleteAccount'; actor: number; account: number }
  | { kind: 'updateAccount'; actor: number; account: number };

const idx = fc.nat(7);
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('createDomain' as const), actor: idx, name: fc.nat(5) }),
  fc.record({ kind: fc.constant('createAccount' as const), actor: idx, local: fc.nat(5), domain: idx, role: fc.constantFrom('SimpleUsers' as const, 'DomainAdmins' as const, 'Resellers' as const) }),
  fc.record({ kind: fc.constant('transfer' as const), actor: idx, domain: idx, to: idx }),
  fc.record({ kind: fc.constant('rename' as const), actor: idx, domain: idx, name: fc.nat(5) }),
  fc.record({ kind: fc.constant('deleteDomain' as const), actor: idx, domain: idx }),
  fc.record({ kind: fc.constant('deleteAccount' as const), actor: idx, account: idx }),
  fc.record({ kind: fc.constant('updateAccount' as const), actor: idx, account: idx }),
);

const pick = <T>(list: readonly T[], i: number): T | undefined => (list.length === 0 ? undefined : list[i % list.length]);

describe('authorization invariant (property-based)', () => {
  let hash: string;
  beforeAll(async () => {
    hash = await hashPassword('property-password');
  });

  async function perform(host: Host, a: Action, actors: User[]): Promise<void> {
    const { service, repo } = host;
    const actor = pick(actors, a.actor) as User;
    const domains = await repo.domains();
    const accounts = await repo.users();
    switch (a.kind) {
      case 'createDomain':
        return void (await service.createDomain(actor, { name: `n${a.name}-${domains.length}.test` }));
      case 'createAccount': {
        const d = pick(domains, a.domain);
        if (d === undefined) return;
        // An already hashed password and the import path: no scrypt per step.
        return void (await service.createAccount(actor, { username: `u${a.local}-${accounts.length}@${d.name}`, password: hash, role: a.role }, 'import'));
      }
      case 'transfer': {
        const d = pick(domains, a.domain);
        const to = pick(accounts.filter((u) => rankOf(u) > 0), a.to);
        if (d === undefined || to === undefined) return;
        return void (await service.transferDomain(actor, d.id, to.username));
      }
      case 'rename': {
        const d = pick(domains, a.domain);
        if (d === undefined) return;
        return void (await service.updateDomain(actor, d.id, { name: `r${a.name}-${domains.length}.test` }));
      }
      case 'deleteDomain': {
        const d = pick(domains, a.domain);
        if (d !== undefined) await service.deleteDomain(actor, d.id);
        return;
      }
      case 'deleteAccount': {
        const u = pick(accounts, a.account);
        if (u !== undefined) await service.deleteAccount(actor, u.id);
        return;
      }
      case 'updateAccount': {
        const u = pick(accounts, a.account);
        if (u !== undefined) await service.updateAccount(actor, u.id, { firstName: 'Changed' });
      }
    }
  }

  async function checkReach(host: Host): Promise<void> {
    const { service, repo } = host;
    for (const actor of (await repo.users()).filter((u) => rankOf(u) > 0 && rankOf(u) < 3)) {
      for (const account of await repo.users()) {
        let reached = true;
        try {
          await service.requireAccount(actor, account.id);
        } catch {
          reached = false;
        }
        if (!reached) continue;
        const mailbox = await repo.mailboxOfUser(account.id);
        const domain = mailbox && (await repo.domainById(mailbox.domainId));
        expect({ actor: actor.username, account: account.username, ownsNow: domain?.ownerId === actor.id, lower: rankOf(account) < rankOf(actor) }).toEqual({
          actor: actor.username,
          account: account.username,
          ownsNow: true,
          lower: true,
        });
      }
    }
  }

  it('holds after every step of random sequences by random actors', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 5, maxLength: 25 }), async (actions) => {
        const host = await createHost({ dbFile: ':memory:', extensions: [], logger: 'silent', admin: { password: 'admin-password-1' }, deliver: false });
        try {
          const root = (await host.repo.userByName('admin')) as User;
          for (const [name, owner] of [['a.test', 'alice'], ['b.test', 'bob'], ['c.test', 'rita']] as const) {
            const d = await host.service.createDomain(root, { name });
            const role = owner === 'rita' ? 'Resellers' : 'DomainAdmins';
            await host.service.createAccount(root, { username: `${owner}@${name}`, password: hash, role }, 'import');
            await host.service.transferDomain(root, d.id, `${owner}@${name}`);
          }
          for (const a of actions) {
            const actors = (await host.repo.users()).filter((u) => rankOf(u) > 0);
            const actor = pick(actors, a.actor) as User;
            const owners = new Map((await host.repo.domains()).map((d) => [d.id, d.ownerId]));
            const admins = new Map((await host.repo.users()).filter((u) => rankOf(u) > 0).map((u) => [u.id, { username: u.username, rank: rankOf(u) }]));
            try {
              await perform(host, a, actors);
            } catch (e) {
              if (!(e instanceof HostError)) throw e;
            }
            for (const d of await host.repo.domains()) {
              if (owners.has(d.id) && owners.get(d.id) !== d.ownerId) expect({ action: a.kind, by: actor.role }).toEqual({ action: 'transfer', by: 'SuperAdmins' });
            }
            if (rankOf(actor) < 3) {
              for (const [id, { username, rank }] of admins) {
                if (id === actor.id) continue;
                const now = await host.repo.userById(id);
                const changed = now === undefined || now.username !== username;
                const allowed = !changed || rankOf(actor) > rank;
                expect({ admin: username, touchedBy: actor.username, allowed }).toEqual({ admin: username, touchedBy: actor.username, allowed: true });
              }
            }
            await checkReach(host);
          }
        } finally {
          await host.close();
        }
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});
