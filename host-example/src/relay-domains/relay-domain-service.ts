import { ResourceService, type FormsView } from '../common/resource-service';
import { keep } from '../common/keep';
import { isSuperAdmin, requireAdmin } from '../common/roles';
import { forbidden, invalid, notFound } from '../errors';
import type { FormDescriptor } from '../hooks';
import type { RelayDomain, RelayDomainAlias, User } from '../model';

/**
 * Relay domains (mail relayed to another host) and their aliases.
 *
 * @example
 * ```ts
 * await relays.createRelayDomain(admin, { name: 'relay.example.com', targetHost: 'mx.example.net' });
 * ```
 */
export class RelayDomainService extends ResourceService {
  /** The relay domains the actor manages. */
  async listRelayDomains(actor: User): Promise<RelayDomain[]> {
    requireAdmin(actor);
    return (await this.repo.relayDomains()).filter((d) => this.policy.managesRelayDomain(actor, d));
  }

  /** A relay domain the actor manages (404 otherwise). */
  async requireRelayDomain(actor: User, id: number): Promise<RelayDomain> {
    const d = await this.repo.relayDomainById(id);
    if (d === undefined || !this.policy.managesRelayDomain(actor, d)) throw notFound('Relay domain', id);
    return d;
  }

  /** Creates a relay domain (SuperAdmins, Resellers); raises `RelayDomainCreated`. */
  async createRelayDomain(actor: User, input: { name: string; targetHost: string; service?: string }): Promise<RelayDomain> {
    if (!(isSuperAdmin(actor) || actor.role === 'Resellers')) throw forbidden(`Role ${actor.role} cannot create relay domains; only SuperAdmins and Resellers can.`);
    const name = input.name.toLowerCase();
    await this.checkDomainName(name, 'name', ['domain', 'domainalias', 'relaydomain', 'relaydomainalias']);
    const rdomain = await this.repo.insertRelayDomain({ name, targetHost: input.targetHost, service: input.service ?? 'relay', ownerId: actor.id });
    await this.bus.call('RelayDomainCreated', actor, rdomain);
    return rdomain;
  }

  /** Modifies a relay domain; raises `RelayDomainModified` with `oldname`. */
  async updateRelayDomain(actor: User, id: number, changes: { name?: string; targetHost?: string; service?: string; enabled?: boolean }): Promise<RelayDomain> {
    const before = await this.requireRelayDomain(actor, id);
    const name = changes.name?.toLowerCase();
    if (name !== undefined && name !== before.name) await this.checkDomainName(name, 'name', ['domain', 'domainalias', 'relaydomain', 'relaydomainalias'], { kind: 'relaydomain', id });
    const rdomain = await this.repo.updateRelayDomain(id, { ...changes, name });
    await this.bus.call('RelayDomainModified', { ...rdomain, oldname: before.name });
    return rdomain;
  }

  /** Deletes a relay domain; `RelayDomainDeleted` before. */
  async deleteRelayDomain(actor: User, id: number): Promise<void> {
    const rdomain = await this.requireRelayDomain(actor, id);
    await this.bus.call('RelayDomainDeleted', rdomain);
    await this.repo.deleteRelayDomain(id);
  }

  /** The relay domain edition form: tabs (`ExtraRelayDomainForm`) and data (`FillRelayDomainInstances`). */
  async relayDomainForms(actor: User, id: number): Promise<FormsView> {
    const rdomain = await this.requireRelayDomain(actor, id);
    const forms: FormDescriptor[] = [{ id: 'general', title: 'General', cls: 'RelayDomainFormGeneral' }, ...(await this.bus.call('ExtraRelayDomainForm', actor, rdomain))];
    const instances: Record<string, unknown> = { general: rdomain };
    await this.bus.call('FillRelayDomainInstances', actor, rdomain, instances);
    return { forms, instances, fields: await this.bus.call('ExtraFormFields', 'relaydomain', rdomain) };
  }

  /** The aliases of relay domains the actor manages. */
  async listRelayDomainAliases(actor: User): Promise<RelayDomainAlias[]> {
    requireAdmin(actor);
    return keep(await this.repo.relayDomainAliases(), async (a) => this.policy.managesRelayDomain(actor, await this.repo.relayDomainById(a.targetId)));
  }

  /** Creates a relay domain alias; raises `RelayDomainAliasCreated`. */
  async createRelayDomainAlias(actor: User, input: { name: string; target: string }): Promise<RelayDomainAlias> {
    requireAdmin(actor);
    const target = (await this.repo.relayDomains()).find((d) => d.name === input.target.toLowerCase());
    if (target === undefined) throw invalid('target', `relay domain "${input.target}" does not exist.`);
    if (!this.policy.managesRelayDomain(actor, target)) throw forbidden(`Relay domain "${target.name}" belongs to another administrator.`);
    const name = input.name.toLowerCase();
    await this.checkDomainName(name, 'name', ['domain', 'domainalias', 'relaydomain', 'relaydomainalias']);
    const alias = await this.repo.insertRelayDomainAlias({ name, targetId: target.id, ownerId: actor.id });
    await this.bus.call('RelayDomainAliasCreated', actor, alias);
    return alias;
  }

  /** Deletes a relay domain alias; `RelayDomainAliasDeleted` before. */
  async deleteRelayDomainAlias(actor: User, id: number): Promise<void> {
    const alias = await this.repo.relayDomainAliasById(id);
    if (alias === undefined || !this.policy.managesRelayDomain(actor, await this.repo.relayDomainById(alias.targetId))) throw notFound('Relay domain alias', id);
    await this.bus.call('RelayDomainAliasDeleted', alias);
    await this.repo.deleteRelayDomainAlias(id);
  }
}
