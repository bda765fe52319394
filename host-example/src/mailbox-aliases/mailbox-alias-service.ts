import { checkSingleLine } from '../common/field-checks';
import { keep } from '../common/keep';
import { LOCAL_RE, ResourceService } from '../common/resource-service';
import { requireAdmin } from '../common/roles';
import { conflict, invalid, notFound } from '../errors';
import type { MailboxAlias, User } from '../model';

/**
 * Mailbox aliases: an address of a managed domain forwarding to recipients.
 *
 * @example
 * ```ts
 * await aliases.createMailboxAlias(admin, { address: 'info@example.com', recipients: ['ann@example.com'] });
 * ```
 */
export class MailboxAliasService extends ResourceService {
  /** The aliases in domains the actor manages. */
  async listMailboxAliases(actor: User): Promise<MailboxAlias[]> {
    requireAdmin(actor);
    return keep(await this.repo.mailboxAliases(), (a) => this.policy.managesDomainId(actor, a.domainId));
  }

  /** Creates a mailbox alias in a domain the actor manages; raises `MailboxAliasCreated`. */
  async createMailboxAlias(actor: User, input: { address: string; recipients: readonly string[]; enabled?: boolean }): Promise<MailboxAlias> {
    requireAdmin(actor);
    checkSingleLine({ address: input.address, ...Object.fromEntries(input.recipients.map((r, i) => [`recipients.${i}`, r])) });
    const address = input.address.trim().toLowerCase();
    const at = address.lastIndexOf('@');
    if (at < 0 || !LOCAL_RE.test(address.slice(0, at))) throw invalid('address', `"${input.address}" is not a valid address.`);
    const domain = await this.requireDomainField(actor, address.slice(at + 1), 'address');
    input.recipients.forEach((r, i) => {
      if (!/^[^@\s]+@[^@\s]+$/.test(r)) throw invalid(`recipients.${i}`, `"${r}" is not an address.`);
    });
    if ((await this.repo.mailboxAliasByAddress(address)) || (await this.repo.userByName(address))) throw conflict('address', `"${address}" is already used.`);
    const alias = await this.repo.insertMailboxAlias({ address, domainId: domain.id, recipients: input.recipients, ownerId: actor.id });
    await this.bus.call('MailboxAliasCreated', actor, alias);
    return alias;
  }

  /** Deletes a mailbox alias; `MailboxAliasDeleted` before. */
  async deleteMailboxAlias(actor: User, id: number): Promise<void> {
    const alias = await this.repo.mailboxAliasById(id);
    if (alias === undefined || !(await this.policy.managesDomainId(actor, alias.domainId))) throw notFound('Mailbox alias', id);
    await this.bus.call('MailboxAliasDeleted', alias);
    await this.repo.deleteMailboxAlias(id);
  }
}
