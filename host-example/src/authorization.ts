import { conflict, forbidden } from './errors';
import type { Domain, RelayDomain, User } from './model';
import type { Repository } from './repository';

/**
 * How far a role reaches: an administrator manages only accounts of a lower rank. Roles added
 * by extensions (`GetExtraRoles`) rank with simple users: they administer nothing here.
 */
const RANK: Readonly<Record<string, number>> = { SuperAdmins: 3, Resellers: 2, DomainAdmins: 1 };

/** The rank of a role (0 for simple users and extension roles). */
export function rankOf(user: Pick<User, 'role'>): number {
  return RANK[user.role] ?? 0;
}

/**
 * The host's one authorization rule, used by every path (API, CLI, admin page, imports and
 * cascades):
 *
 * - a SuperAdmin manages everything;
 * - any other administrator manages a domain (and its aliases, mailboxes and mailbox aliases)
 *   only while she owns it **now**, and an account only when its mailbox lies in such a domain
 *   and its role ranks below hers — never another administrator of her rank or above, never a
 *   SuperAdmin, whoever created it (`ownerId` records the creator and grants nothing);
 * - a cascade (deleting or renaming a domain) that would reach an account she may not manage
 *   is refused as a whole, naming those accounts;
 * - an administrator who still owns domains or relay domains cannot be deleted: they are never
 *   handed to whoever deletes her; give them to someone first.
 *
 * @example
 * ```ts
 * const policy = new AccessPolicy(repo);
 * if (!(await policy.canManageAccount(actor, account))) throw notFound('Account', account.id);
 * ```
 */
export class AccessPolicy {
  constructor(private readonly repo: Repository) {}

  /** Whether the actor manages this domain now. */
  managesDomain(actor: User, domain: Pick<Domain, 'ownerId'> | undefined): boolean {
    if (domain === undefined) return false;
    return rankOf(actor) === RANK.SuperAdmins || (rankOf(actor) > 0 && domain.ownerId === actor.id);
  }

  /** Whether the actor manages this relay domain now. */
  managesRelayDomain(actor: User, relay: Pick<RelayDomain, 'ownerId'> | undefined): boolean {
    return this.managesDomain(actor, relay);
  }

  /** Whether the actor manages the domain with this id now. */
  async managesDomainId(actor: User, domainId: number): Promise<boolean> {
    return this.managesDomain(actor, await this.repo.domainById(domainId));
  }

  /** Whether the actor may read and change this account (its own account aside). */
  async canManageAccount(actor: User, account: User): Promise<boolean> {
    if (rankOf(actor) === RANK.SuperAdmins) return true;
    if (rankOf(actor) === 0 || rankOf(account) >= rankOf(actor)) return false;
    const mailbox = await this.repo.mailboxOfUser(account.id);
    return mailbox !== undefined && (await this.managesDomainId(actor, mailbox.domainId));
  }

  /**
   * Refuses a cascade over a domain's mailbox owners when the actor may not manage one of them
   * (her own account excepted: she keeps her login).
   *
   * @throws HostError 403 naming every account the cascade would have touched without right.
   */
  async assertCascade(actor: User, domain: Domain, what: 'delete' | 'rename'): Promise<User[]> {
    const owners: User[] = [];
    const denied: User[] = [];
    for (const m of await this.repo.mailboxesOfDomain(domain.id)) {
      const u = await this.repo.userById(m.userId);
      if (u === undefined || u.id === actor.id) continue;
      owners.push(u);
      if (!(await this.canManageAccount(actor, u))) denied.push(u);
    }
    if (denied.length > 0) {
      const names = denied.map((u) => `${u.username} (${u.role})`).join(', ');
      throw forbidden(
        `You cannot ${what} domain "${domain.name}": it would ${what} accounts you may not manage: ${names}. Ask a SuperAdmin, or move those accounts first.`,
      );
    }
    return owners;
  }

  /**
   * Refuses to delete an administrator who still owns domains or relay domains (`goingDomainId`:
   * the domain being deleted with her, which does not count).
   *
   * @throws HostError 409 naming them.
   */
  async assertDeletable(account: User, goingDomainId?: number): Promise<void> {
    const domains = (await this.repo.domainsOwnedBy(account.id)).filter((d) => d.id !== goingDomainId).map((d) => d.name);
    const relays = (await this.repo.relayDomains()).filter((r) => r.ownerId === account.id).map((r) => r.name);
    const owned = [...domains, ...relays];
    if (owned.length > 0) {
      throw conflict(
        'id',
        `Account "${account.username}" still owns ${owned.map((n) => `"${n}"`).join(', ')}; give the domains to another administrator (PUT /api/domains/:id/owner) and delete or hand over the relay domains before deleting it.`,
      );
    }
  }
}
