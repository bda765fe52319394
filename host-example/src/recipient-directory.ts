import type { Recipient, RecipientDirectory } from '@plugboard/notify';
import { isAdmin } from './admin-service';
import { eventUser, realmOf } from './hook-events';
import type { User } from './model';
import type { Repository } from './repository';

function recipient(user: User): Recipient {
  const u = eventUser(user);
  return {
    username: u.username,
    ...(u.email !== undefined ? { email: u.email } : {}),
    ...(u.givenname !== undefined ? { givenname: u.givenname } : {}),
    ...(u.surname !== undefined ? { surname: u.surname } : {}),
    ...(u.mobile !== undefined ? { mobile: u.mobile } : {}),
  };
}

/**
 * The host's administrators for UserNotification's `admin realm` and `internal admin`
 * recipient types. A realm is a domain: its administrators are the domain's owner and the
 * DomainAdmins whose login is in that domain. Internal admins are the SuperAdmins.
 *
 * @example
 * ```ts
 * container.bind(RECIPIENT_DIRECTORY).toConstantValue(new HostRecipientDirectory(repo));
 * ```
 */
export class HostRecipientDirectory implements RecipientDirectory {
  constructor(private readonly repo: Repository) {}

  async adminRealmMembers(realm: string): Promise<Recipient[]> {
    const name = realm.trim().toLowerCase();
    const domain = await this.repo.domainByName(name);
    const members = (await this.repo.users()).filter((u) => u.enabled && isAdmin(u) && (u.id === domain?.ownerId || (u.role === 'DomainAdmins' && realmOf(u.username) === name)));
    return members.map(recipient);
  }

  async internalAdmins(username?: string): Promise<Recipient[]> {
    return (await this.repo.users())
      .filter((u) => u.enabled && u.role === 'SuperAdmins' && (username === undefined || u.username === username))
      .map(recipient);
  }
}
