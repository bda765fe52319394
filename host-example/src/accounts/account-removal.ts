import type { HostBus } from '../host-bus';
import type { User } from '../model';
import type { Repository } from '../repository';

/** The hooks raised before an account goes (alone, or with its domain): `AccountDeleted`, `MailboxDeleted`, `DomainOwnershipRemoved`. */
export async function announceRemoval(repo: Repository, bus: HostBus, actor: User, account: User, options: Readonly<Record<string, unknown>>): Promise<void> {
  await bus.call('AccountDeleted', account, actor, options);
  const mailbox = repo.mailboxOfUser(account.id);
  if (mailbox) await bus.call('MailboxDeleted', mailbox);
  for (const domain of repo.domainsOwnedBy(account.id)) await bus.call('DomainOwnershipRemoved', account, domain);
}

/** Deletes an account's rows; what it created stays, no longer attributed to it. */
export function deleteAccountRows(repo: Repository, account: User): void {
  repo.releaseCreatedBy(account.id);
  repo.deleteUser(account.id);
}
