import { extension, observe } from '@plugboard/core';
import { inject } from 'inversify';
import { hostHooks, type DomainEntry, type EntryAction, type FormDescriptor, type MenuEntry, type NamedKindLabel } from '../hooks';
import type { RelayDomain, User } from '../model';
import { Repository } from '../repository';

/**
 * Shows relay domains in the domains listing (Modoboa's postfix_relay_domains): entries
 * (`ExtraDomainEntries`) with a `srvfilter` filter on the service type
 * (`ExtraDomainFilters`), their actions (`GetDomainActions`), a Transport tab on the relay
 * domain form (`ExtraRelayDomainForm` + `FillRelayDomainInstances`), a menu entry, and
 * relay domain names in the domain-name uniqueness rule (`CheckDomainName`).
 *
 * @example
 * ```ts
 * // GET /api/domains?type=relaydomain&srvfilter=relay
 * ```
 */
@extension({ name: 'relay-domains', version: '1.0.0', description: 'Relay domains in the domains listing, with a service filter and actions.' })
export class RelayDomainsExtension {
  constructor(@inject(Repository) private readonly repo: Repository) {}

  @observe(hostHooks.ExtraDomainFilters)
  filters(): string[] {
    return ['srvfilter'];
  }

  @observe(hostHooks.ExtraDomainEntries)
  async entries(user: User, domfilter: string, searchquery: string, extrafilters: Readonly<Record<string, string>>): Promise<DomainEntry[]> {
    if (domfilter !== '' && domfilter !== 'relaydomain') return [];
    const q = searchquery.toLowerCase();
    return (await this.repo.relayDomains())
      .filter((d) => user.role === 'SuperAdmins' || d.ownerId === user.id)
      .filter((d) => d.name.includes(q) && (extrafilters.srvfilter === undefined || d.service === extrafilters.srvfilter))
      .map((d) => ({ ...d }));
  }

  @observe(hostHooks.GetDomainActions)
  actions(_user: User, rdomain: DomainEntry): EntryAction[] {
    if (rdomain.type !== 'relaydomain') return [];
    return [
      { name: 'edit_relaydomain', url: `/api/relaydomains/${String(rdomain.id)}`, title: 'Edit relay domain', img: 'fa fa-edit' },
      { name: 'relaydomain_forms', url: `/api/relaydomains/${String(rdomain.id)}/forms`, title: 'Relay domain settings', img: 'fa fa-cog' },
    ];
  }

  @observe(hostHooks.ExtraRelayDomainForm)
  forms(_user: User, _rdomain: RelayDomain): FormDescriptor[] {
    return [{ id: 'transport', title: 'Transport', cls: 'RelayDomainTransportForm' }];
  }

  @observe(hostHooks.FillRelayDomainInstances)
  fill(_user: User, rdomain: RelayDomain, instances: Record<string, unknown>): void {
    instances.transport = { targetHost: rdomain.targetHost, service: rdomain.service };
  }

  @observe(hostHooks.ExtraDomainMenuEntries)
  menu(): MenuEntry[] {
    return [{ name: 'relaydomains', label: 'Relay domains', url: '/api/domains?type=relaydomain' }];
  }

  @observe(hostHooks.CheckDomainName)
  names(): NamedKindLabel[] {
    return [
      ['relaydomain', 'a relay domain'],
      ['relaydomainalias', 'a relay domain alias'],
    ];
  }
}
