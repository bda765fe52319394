import type { Work } from '@plugboard/sql';
import type { Kysely } from 'kysely';
import type { HostBus } from '../host-bus';
import type { User } from '../model';
import type { Repository } from '../repository';
import type { HostTables } from '../store/host-tables';
import * as users from '../store/user-works';

/** The hooks raised before an account goes (alone, or with its domain): `AccountDeleted`, `MailboxDeleted`, `DomainOwnershipRemoved`. */
export async function announceRemoval(repo: Repository, bus: HostBus, actor: User, account: User, options: Readonly<Record<string, unknown>>): Promise<void> {
  await bus.call('AccountDeleted', account, actor, options);
  const mailbox = await repo.mailboxOfUser(account.id);
  if (mailbox) await bus.call('MailboxDeleted', mailbox);
  for (const domain of await repo.domainsOwnedBy(account.id)) await bus.call('DomainOwnershipRemoved', account, domain);
}

/** Deletes an account's rows; what it created stays, no longer attributed to it. Run it in a transaction. */
export function* deleteAccountRows(k: Kysely<HostTables>, account: User): Work<void> {
  yield* users.releaseCreatedBy(k, account.id);
  yield* users.remove(k, account.id);
}
