import { announceRemoval, deleteAccountRows } from '../accounts/account-removal';
import { isAdmin, isSuperAdmin, requireAdmin } from '../common/roles';
import { ResourceService, type FormsView } from '../common/resource-service';
import { forbidden, invalid, notFound } from '../errors';
import { refuse } from '../host-bus';
import { decodeCursor, pageLimit, pageOf, type ListPage, type ListQuery } from '../common/list-page';
import { domainRows } from './domain-query';
import * as domainWorks from '../store/domain-works';
import * as userWorks from '../store/user-works';
import * as settingWorks from '../store/setting-works';
import type { DomainEntry, EntryAction, FormDescriptor, MenuEntry } from '../hooks';
import type { Domain, User } from '../model';

/** Input of domain creation and changes. */
/** A paged domains listing: the search and page, plus the seed's entry type and extensions' filters. */
export interface DomainListQuery extends ListQuery {
  /** `''` or `domain` for the host's domains; another type lists only extensions' entries. */
  readonly type?: string;
  /** Filters named by `ExtraDomainFilters`, passed to `ExtraDomainEntries`. */
  readonly filters?: Readonly<Record<string, string>>;
}

/** A listed entry with the actions extensions offer on it. */
export type ListedDomain = DomainEntry & { actions: EntryAction[] };

export interface DomainInput {
  readonly name: string;
  readonly quota?: number;
  readonly enabled?: boolean;
  readonly extra?: Readonly<Record<string, unknown>>;
}

/**
 * Domains: listing (with extensions' entries and actions), creation, changes, transfer, deletion
 * (cascading to their accounts) and the edition form, raising the hooks of seed 004.
 *
 * @example
 * ```ts
 * const domain = await domains.createDomain(admin, { name: 'example.com' });
 * ```
 */
export class DomainService extends ResourceService {
  /** The domains the actor sees: all for SuperAdmins, else those it owns. */
  visibleDomains(actor: User): Promise<Domain[]> {
    return isSuperAdmin(actor) ? this.repo.domains() : this.repo.domainsOwnedBy(actor.id);
  }

  /** A domain the actor manages, by id or name (404 otherwise, so others' domains stay invisible). */
  async requireDomain(actor: User, idOrName: number | string): Promise<Domain> {
    const d = typeof idOrName === 'number' ? await this.repo.domainById(idOrName) : await this.repo.domainByName(idOrName);
    if (d === undefined || !this.policy.managesDomain(actor, d)) throw notFound('Domain', idOrName);
    return d;
  }

  /**
   * The domains listing: the actor's domains (when `domfilter` is empty or `domain`) plus
   * `ExtraDomainEntries`, each with its `GetDomainActions`. Extra filters must be names
   * returned by `ExtraDomainFilters`.
   */
  async listDomains(actor: User, domfilter = '', searchquery = '', extrafilters: Readonly<Record<string, string>> = {}): Promise<{ entries: (DomainEntry & { actions: EntryAction[] })[]; filters: string[] }> {
    requireAdmin(actor);
    const filters = await this.checkFilters(extrafilters);
    const q = searchquery.toLowerCase();
    const own: DomainEntry[] = domfilter === '' || domfilter === 'domain' ? (await this.visibleDomains(actor)).filter((d) => d.name.includes(q)).map((d) => ({ ...d })) : [];
    const extra = await this.bus.call('ExtraDomainEntries', actor, domfilter, searchquery, extrafilters);
    const entries = [];
    for (const entry of [...own, ...extra]) entries.push({ ...entry, actions: await this.bus.call('GetDomainActions', actor, entry) });
    return { entries, filters };
  }

  /**
   * One page of the domains listing in name order: the actor's domains searched and cut in SQL,
   * merged with `ExtraDomainEntries` (given the same search) after the cursor, each with its
   * `GetDomainActions`. `nextCursor` is there only when more entries follow.
   */
  async list(actor: User, query: DomainListQuery = {}): Promise<ListPage<ListedDomain> & { filters: string[] }> {
    requireAdmin(actor);
    const limit = pageLimit(query.limit);
    const after = decodeCursor(query.cursor)?.toLowerCase();
    const type = query.type ?? '';
    const filters = await this.checkFilters(query.filters ?? {});
    const own: DomainEntry[] =
      type === '' || type === 'domain' ? (await this.repo.run(domainRows(this.repo.k, { ...(isSuperAdmin(actor) ? {} : { ownerId: actor.id }), q: query.q, after, take: limit + 1 }))).map((d) => ({ ...d })) : [];
    const extra = (await this.bus.call('ExtraDomainEntries', actor, type, query.q ?? '', query.filters ?? {})).filter((e) => after === undefined || e.name.toLowerCase() > after);
    const key = (e: DomainEntry): string => e.name.toLowerCase();
    const merged = [...own, ...extra].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    const page = pageOf(merged.slice(0, limit + 1), limit, key);
    const items: ListedDomain[] = [];
    for (const entry of page.items) items.push({ ...entry, actions: await this.bus.call('GetDomainActions', actor, entry) });
    return { ...page, items, filters };
  }

  /** The extension filters of the listing; a name `ExtraDomainFilters` does not return is a 400 naming it. */
  private async checkFilters(extrafilters: Readonly<Record<string, string>>): Promise<string[]> {
    const filters = await this.bus.call('ExtraDomainFilters');
    for (const key of Object.keys(extrafilters)) {
      if (!filters.includes(key)) throw invalid(key, `unknown filter; the domains listing accepts type, q, limit, cursor${filters.map((f) => `, ${f}`).join('')}.`);
    }
    return filters;
  }

  /** The left menu of the domains listing: built-in entries plus `ExtraDomainMenuEntries`. */
  async domainMenu(actor: User): Promise<MenuEntry[]> {
    requireAdmin(actor);
    const builtin: MenuEntry[] = [
      { name: 'domains', label: 'Domains', url: '/api/domains' },
      { name: 'domain_aliases', label: 'Domain aliases', url: '/api/domain-aliases' },
    ];
    if (isSuperAdmin(actor) || actor.role === 'Resellers') builtin.push({ name: 'import', label: 'Import', url: '/api/import' });
    return [...builtin, ...(await this.bus.call('ExtraDomainMenuEntries', actor))];
  }

  /** Creates a domain: SuperAdmins and Resellers only; `CanCreate` may refuse (403); raises `DomainCreated`. */
  async createDomain(actor: User, input: DomainInput): Promise<Domain> {
    if (!(isSuperAdmin(actor) || actor.role === 'Resellers')) throw forbidden(`Role ${actor.role} cannot create domains; only SuperAdmins and Resellers can.`);
    const name = input.name.toLowerCase();
    await this.checkDomainName(name, 'name', ['domain', 'domainalias']);
    await refuse(this.bus, 'CanCreate', [actor], `let "${actor.username}" create a domain`);
    const extra = input.extra && (await this.checkExtraFields('domain', null, input.extra));
    const k = this.repo.k;
    const domain = await this.repo.transact(
      (function* () {
        const defaultQuota = Number((yield* settingWorks.parameters(k, 'core', 'A', 0)).default_domain_quota ?? 0);
        return yield* domainWorks.insert(k, { name, quota: input.quota ?? defaultQuota, enabled: input.enabled ?? true, ownerId: actor.id });
      })(),
    );
    await this.bus.call('DomainCreated', actor, domain);
    if (extra) await this.bus.call('SaveExtraFormFields', 'domain', domain, extra);
    this.log.info({ domain: name, by: actor.username }, 'domain created');
    return domain;
  }

  /**
   * Modifies a domain. A rename renames its mailboxes (each raises `MailboxModified`
   * with `old_full_address`); then `DomainModified` with `oldname`.
   */
  async updateDomain(actor: User, id: number, changes: Partial<DomainInput>): Promise<Domain> {
    const before = await this.requireDomain(actor, id);
    const name = changes.name?.toLowerCase();
    if (name !== undefined && name !== before.name) {
      await this.policy.assertCascade(actor, before, 'rename');
      await this.checkDomainName(name, 'name', ['domain', 'domainalias'], { kind: 'domain', id });
    }
    const extra = changes.extra && (await this.checkExtraFields('domain', before, changes.extra));
    const mailboxes = await this.repo.mailboxesOfDomain(id);
    const k = this.repo.k;
    const domain = await this.repo.transact(
      (function* () {
        const d = yield* domainWorks.update(k, id, { name, quota: changes.quota, enabled: changes.enabled });
        if (d.name !== before.name) {
          for (const m of mailboxes) {
            const u = yield* userWorks.byId(k, m.userId);
            if (u && u.username.toLowerCase() === m.fullAddress.toLowerCase()) yield* userWorks.update(k, u.id, { username: `${m.address}@${d.name}`, email: `${m.address}@${d.name}` });
          }
        }
        return d;
      })(),
    );
    if (domain.name !== before.name) {
      for (const m of mailboxes) {
        const after = await this.repo.mailboxById(m.id);
        if (after) await this.bus.call('MailboxModified', { ...after, old_full_address: m.fullAddress });
      }
    }
    if (extra) await this.bus.call('SaveExtraFormFields', 'domain', domain, extra);
    await this.bus.call('DomainModified', { ...domain, oldname: before.name });
    return domain;
  }

  /** Gives a domain to another administrator (SuperAdmins); raises `DomainOwnershipRemoved` before. */
  async transferDomain(actor: User, id: number, newOwner: string): Promise<Domain> {
    if (!isSuperAdmin(actor)) throw forbidden('Only SuperAdmins can give a domain to another administrator.');
    const domain = await this.requireDomain(actor, id);
    const owner = await this.repo.userByName(newOwner);
    if (owner === undefined || !isAdmin(owner)) throw invalid('owner', `"${newOwner}" is not an administrator.`);
    if (owner.id === domain.ownerId) return domain;
    const previous = await this.repo.userById(domain.ownerId);
    if (previous) await this.bus.call('DomainOwnershipRemoved', previous, domain);
    return this.repo.updateDomain(id, { ownerId: owner.id });
  }

  /** Deletes a domain: `DomainDeleted` before, then its accounts (each `AccountDeleted`, `MailboxDeleted`). */
  async deleteDomain(actor: User, id: number): Promise<void> {
    const domain = await this.requireDomain(actor, id);
    // Checked as a whole before anything happens: a refused cascade leaves everything as it was.
    const accounts = await this.policy.assertCascade(actor, domain, 'delete');
    for (const account of accounts) await this.policy.assertDeletable(account, domain.id);
    await this.bus.call('DomainDeleted', domain);
    for (const account of accounts) await announceRemoval(this.repo, this.bus, actor, account, { reason: 'domain deleted' });
    const k = this.repo.k;
    await this.repo.transact(
      (function* () {
        yield* domainWorks.remove(k, id);
        for (const account of accounts) yield* deleteAccountRows(k, account);
      })(),
    );
    this.log.info({ domain: domain.name, by: actor.username, accounts: accounts.length }, 'domain deleted');
  }

  /** The domain edition form: tabs (`ExtraDomainForm`), data (`FillDomainInstances`), extra fields. */
  async domainForms(actor: User, id: number): Promise<FormsView> {
    const domain = await this.requireDomain(actor, id);
    const forms: FormDescriptor[] = [{ id: 'general', title: 'General', cls: 'DomainFormGeneral' }, ...(await this.bus.call('ExtraDomainForm', actor, domain))];
    const instances: Record<string, unknown> = { general: domain };
    await this.bus.call('FillDomainInstances', actor, domain, instances);
    return { forms, instances, fields: await this.bus.call('ExtraFormFields', 'domain', domain) };
  }
}
