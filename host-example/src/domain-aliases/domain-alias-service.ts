import { ResourceService } from '../common/resource-service';
import { keep } from '../common/keep';
import { requireAdmin } from '../common/roles';
import { notFound } from '../errors';
import type { DomainAlias, User } from '../model';

/**
 * Domain aliases: another name for a domain the actor manages.
 *
 * @example
 * ```ts
 * await aliases.createDomainAlias(admin, { name: 'example.org', target: 'example.com' });
 * ```
 */
export class DomainAliasService extends ResourceService {
  /** The aliases of domains the actor manages. */
  async listDomainAliases(actor: User): Promise<DomainAlias[]> {
    requireAdmin(actor);
    return keep(await this.repo.domainAliases(), (a) => this.policy.managesDomainId(actor, a.targetId));
  }

  /** Creates a domain alias of a domain the actor manages; raises `DomainAliasCreated`. */
  async createDomainAlias(actor: User, input: { name: string; target: string }): Promise<DomainAlias> {
    requireAdmin(actor);
    const target = await this.requireDomainField(actor, input.target, 'target');
    const name = input.name.toLowerCase();
    await this.checkDomainName(name, 'name', ['domain', 'domainalias']);
    const alias = await this.repo.insertDomainAlias({ name, targetId: target.id, ownerId: actor.id });
    await this.bus.call('DomainAliasCreated', actor, alias);
    return alias;
  }

  /** Deletes a domain alias; `DomainAliasDeleted` before. */
  async deleteDomainAlias(actor: User, id: number): Promise<void> {
    const alias = await this.repo.domainAliasById(id);
    if (alias === undefined || !(await this.policy.managesDomainId(actor, alias.targetId))) throw notFound('Domain alias', id);
    await this.bus.call('DomainAliasDeleted', alias);
    await this.repo.deleteDomainAlias(id);
  }
}
