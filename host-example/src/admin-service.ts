import { createHash, randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { AccessPolicy } from './authorization';
import { forbidden, HostError, invalid, notFound, conflict } from './errors';
import type { ExternalDirectory } from './external-directory';
import { decide, refuse, type HostBus } from './host-bus';
import type {
  AdminMenuTarget,
  Choice,
  DomainEntry,
  EntryAction,
  ExtraField,
  FieldSpec,
  FormDescriptor,
  ImportFunction,
  ImportOptions,
  LimitTemplate,
  MenuEntry,
  NamedKind,
  UserMenuTarget,
} from './hooks';
import { BUILTIN_ROLES, type Domain, type DomainAlias, type FormInstance, type Mailbox, type MailboxAlias, type RelayDomain, type RelayDomainAlias, type RequestInfo, type User } from './model';
import { LoginThrottle } from './login-throttle';
import { hashPassword, randomPassword, verifyPassword } from './passwords';
import type { Repository } from './repository';
import { formatCsv, parseCsv } from './csv';
import { extrasOfRow, mobileCsvField, mobileOfRow } from './account-csv';
import { normalizeMobile, type MobileInput } from './mobile';
import { WEB_URL_FIELD, WEB_URL_PARAMETER, checkCoreParameter } from './web-url';

const ADMIN_ROLES = new Set(['SuperAdmins', 'Resellers', 'DomainAdmins']);
const DOMAIN_RE = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const LOCAL_RE = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$/;
const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

let dummy: Promise<string> | undefined;
/** A hash of a random password, verified against for unknown usernames. */
function dummyHash(): Promise<string> {
  return (dummy ??= hashPassword(randomPassword()));
}

/** Whether the user is a super administrator. */
export const isSuperAdmin = (u: User): boolean => u.role === 'SuperAdmins';
/** Whether the user has an administrative role. */
export const isAdmin = (u: User): boolean => ADMIN_ROLES.has(u.role);

/** An account with its mailbox, as listings show it. */
export interface AccountView {
  readonly account: User;
  readonly mailbox: Mailbox | null;
  readonly actions: readonly EntryAction[];
}

/** Forms of an edition page: tabs, the data filling them, and extra fields. */
export interface FormsView {
  readonly forms: readonly FormDescriptor[];
  readonly instances: Record<string, unknown>;
  readonly fields: readonly ExtraField[];
}

/** Input of account creation. */
export interface NewAccount extends MobileInput {
  readonly username: string;
  readonly password: string;
  readonly role?: string;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly email?: string;
  readonly enabled?: boolean;
  /** Mailbox quota in MB (default: the domain's). */
  readonly quota?: number;
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** Changes to an account. `forms` carries data of extra account forms by form id. */
export interface AccountChanges extends MobileInput {
  readonly username?: string;
  readonly role?: string;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly email?: string;
  readonly enabled?: boolean;
  readonly quota?: number;
  readonly extra?: Readonly<Record<string, unknown>>;
  readonly forms?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** Built-in parameters of the `core` application (level A). */
const CORE_PARAMETERS: Record<string, FieldSpec> = {
  announcement: { type: 'text', label: 'Login page announcement', default: '' },
  default_domain_quota: { type: 'number', label: 'Default domain quota (MB, 0 = unlimited)', default: 0 },
  [WEB_URL_PARAMETER]: WEB_URL_FIELD,
};

/**
 * The service layer of the mail-hosting admin: every operation of the API and the CLI, with permission checks and the hooks of seed 004
 * raised at the moments the seed says (`*Created` after creation, `*Deleted` before deletion, `RoleChanged` before the change, vetoes before acting).
 *
 * @example
 * ```ts
 * const domain = await service.createDomain(admin, { name: 'example.com' });
 * await service.createAccount(admin, { username: 'ann@example.com', password: 'correct horse' });
 * ```
 */
export class AdminService {
  constructor(
    readonly repo: Repository,
    readonly bus: HostBus,
    private readonly log: Logger,
    private readonly directory: ExternalDirectory,
    private readonly throttle: LoginThrottle = new LoginThrottle(),
  ) {
    this.policy = new AccessPolicy(repo);
  }

  /** The one authorization rule every operation goes through. */
  readonly policy: AccessPolicy;

  // ── sessions ───────────────────────────────────────────────────────────────

  /**
   * Logs in: checks the password, or auto-provisions a user of the external directory on
   * first login (`AccountAutoCreated`); raises `UserLogin`; returns a session token.
   */
  async login(request: RequestInfo, username: string, password: string): Promise<{ token: string; user: User }> {
    this.throttle.check(username, request.ip);
    const wrong = (): HostError => {
      this.throttle.failed(username, request.ip);
      return new HostError('PB_HOST_UNAUTHENTICATED', 'Wrong username or password.');
    };
    let user = this.repo.userByName(username);
    if (user === undefined) {
      const known = await this.directory.authenticate(username, password);
      if (known === undefined) {
        // The same scrypt work as for a known username, so response times do not tell which exist.
        await verifyPassword(password, await dummyHash());
        throw wrong();
      }
      user = await this.autoCreate(known.username, password, known.firstName, known.lastName, known.role);
    } else {
      const hash = this.repo.passwordHash(user.id) ?? '';
      if (!(await verifyPassword(password, hash))) throw wrong();
    }
    this.throttle.succeeded(username);
    if (!user.enabled) throw new HostError('PB_HOST_UNAUTHENTICATED', `Account "${user.username}" is disabled; ask an administrator to enable it.`);
    const token = randomBytes(32).toString('base64url');
    const created = new Date();
    this.repo.db.sql
      .prepare('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
      .run(hashToken(token), user.id, created.toISOString(), new Date(created.getTime() + SESSION_TTL_MS).toISOString());
    await this.bus.call('UserLogin', request, user.username, password);
    return { token, user };
  }

  private async autoCreate(username: string, password: string, firstName?: string, lastName?: string, role?: string): Promise<User> {
    const account = this.repo.insertUser({
      username,
      passwordHash: await hashPassword(password),
      role: role ?? 'SimpleUsers',
      firstName: firstName ?? '',
      lastName: lastName ?? '',
      email: username.includes('@') ? username : '',
      external: true,
      ownerId: null,
    });
    this.log.info({ username }, 'account auto-created from the external directory');
    const mailbox = this.attachMailboxIfDomainKnown(account);
    await this.bus.call('AccountAutoCreated', account);
    if (mailbox) await this.bus.call('MailboxCreated', account, mailbox);
    return account;
  }

  private attachMailboxIfDomainKnown(account: User, quota?: number): Mailbox | undefined {
    const at = account.username.lastIndexOf('@');
    if (at < 0) return undefined;
    const domain = this.repo.domainByName(account.username.slice(at + 1));
    if (domain === undefined) return undefined;
    return this.repo.insertMailbox({ userId: account.id, address: account.username.slice(0, at), domainId: domain.id, quota: quota ?? domain.quota });
  }

  /** The user of a valid session token, or a 401. */
  authenticate(token: string | undefined): User {
    if (!token) throw new HostError('PB_HOST_UNAUTHENTICATED', 'Log in first: POST /api/login, then send "Authorization: Bearer <token>".');
    const row = this.repo.db.sql.prepare('SELECT user_id, expires_at FROM sessions WHERE token_hash = ?').get(hashToken(token)) as { user_id: number; expires_at: string } | undefined;
    const user = row && new Date(row.expires_at) > new Date() ? this.repo.userById(row.user_id) : undefined;
    if (user === undefined || !user.enabled) throw new HostError('PB_HOST_UNAUTHENTICATED', 'The session token is unknown or expired; log in again.');
    return user;
  }

  /** Ends a session; raises `UserLogout`. */
  async logout(request: RequestInfo, token: string): Promise<void> {
    await this.bus.call('UserLogout', request);
    this.repo.db.sql.prepare('DELETE FROM sessions WHERE token_hash = ?').run(hashToken(token));
  }

  /** Creates the first super administrator when the database has no user; returns its credentials once. */
  async seedAdmin(username: string, password: string): Promise<{ username: string; password: string } | undefined> {
    if (this.repo.countUsers() > 0) return undefined;
    this.repo.insertUser({ username, passwordHash: await hashPassword(password), role: 'SuperAdmins', firstName: 'Admin', ownerId: null });
    return { username, password };
  }

  // ── passwords ──────────────────────────────────────────────────────────────

  /**
   * Changes a password. Users change their own (old password required); administrators
   * set those of accounts they manage. `PasswordChange` runs first: any `true` cancels (403).
   */
  async changePassword(actor: User, targetId: number, newPassword: string, oldPassword?: string): Promise<void> {
    const target = this.requireAccount(actor, targetId, true);
    if (target.id === actor.id && !isSuperAdmin(actor)) {
      if (oldPassword === undefined) throw invalid('oldPassword', 'required to change your own password.');
      if (!(await verifyPassword(oldPassword, this.repo.passwordHash(actor.id) ?? ''))) throw invalid('oldPassword', 'does not match your current password.');
    }
    checkPassword(newPassword, 'newPassword');
    await refuse(this.bus, 'PasswordChange', [target], `change the password of "${target.username}"`);
    this.repo.setPassword(target.id, await hashPassword(newPassword));
  }

  // ── domains ────────────────────────────────────────────────────────────────

  private visibleDomains(actor: User): Domain[] {
    return isSuperAdmin(actor) ? this.repo.domains() : this.repo.domainsOwnedBy(actor.id);
  }

  /** A domain the actor manages, by id or name (404 otherwise, so others' domains stay invisible). */
  requireDomain(actor: User, idOrName: number | string): Domain {
    const d = typeof idOrName === 'number' ? this.repo.domainById(idOrName) : this.repo.domainByName(idOrName);
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
    const filters = await this.bus.call('ExtraDomainFilters');
    for (const key of Object.keys(extrafilters)) {
      if (!filters.includes(key)) throw invalid(key, `unknown filter; the domains listing accepts type, q${filters.map((f) => `, ${f}`).join('')}.`);
    }
    const q = searchquery.toLowerCase();
    const own: DomainEntry[] = domfilter === '' || domfilter === 'domain' ? this.visibleDomains(actor).filter((d) => d.name.includes(q)).map((d) => ({ ...d })) : [];
    const extra = await this.bus.call('ExtraDomainEntries', actor, domfilter, searchquery, extrafilters);
    const entries = [];
    for (const entry of [...own, ...extra]) entries.push({ ...entry, actions: await this.bus.call('GetDomainActions', actor, entry) });
    return { entries, filters };
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

  /**
   * The domain-name uniqueness rule: a name may not be used by a domain or domain alias,
   * nor by the kinds extensions add through `CheckDomainName` (409 naming the clash).
   */
  async checkDomainName(name: string, field: string, base: readonly NamedKind[], except?: { kind: NamedKind; id: number }): Promise<void> {
    if (!DOMAIN_RE.test(name)) throw invalid(field, `"${name}" is not a valid domain name.`);
    const labels: Record<string, string> = { domain: 'a domain', domainalias: 'a domain alias', relaydomain: 'a relay domain', relaydomainalias: 'a relay domain alias' };
    const kinds = new Map<NamedKind, string>(base.map((k) => [k, labels[k]]));
    for (const [kind, label] of await this.bus.call('CheckDomainName')) if (!kinds.has(kind)) kinds.set(kind, label);
    for (const [kind, label] of kinds) {
      if (this.repo.nameTaken(kind, name, except?.kind === kind ? except.id : undefined)) throw conflict(field, `"${name}" is already used by ${label}; choose another name.`);
    }
  }

  /** Creates a domain: SuperAdmins and Resellers only; `CanCreate` may refuse (403); raises `DomainCreated`. */
  async createDomain(actor: User, input: { name: string; quota?: number; enabled?: boolean; extra?: Readonly<Record<string, unknown>> }): Promise<Domain> {
    if (!(isSuperAdmin(actor) || actor.role === 'Resellers')) throw forbidden(`Role ${actor.role} cannot create domains; only SuperAdmins and Resellers can.`);
    const name = input.name.toLowerCase();
    await this.checkDomainName(name, 'name', ['domain', 'domainalias']);
    await refuse(this.bus, 'CanCreate', [actor], `let "${actor.username}" create a domain`);
    const extra = input.extra && (await this.checkExtraFields('domain', null, input.extra));
    const defaultQuota = Number(this.repo.parameters('core', 'A', 0).default_domain_quota ?? 0);
    const domain = this.repo.insertDomain({ name, quota: input.quota ?? defaultQuota, enabled: input.enabled ?? true, ownerId: actor.id });
    await this.bus.call('DomainCreated', actor, domain);
    if (extra) await this.bus.call('SaveExtraFormFields', 'domain', domain, extra);
    this.log.info({ domain: name, by: actor.username }, 'domain created');
    return domain;
  }

  /**
   * Modifies a domain. A rename renames its mailboxes (each raises `MailboxModified`
   * with `old_full_address`); then `DomainModified` with `oldname`.
   */
  async updateDomain(actor: User, id: number, changes: { name?: string; quota?: number; enabled?: boolean; extra?: Readonly<Record<string, unknown>> }): Promise<Domain> {
    const before = this.requireDomain(actor, id);
    const name = changes.name?.toLowerCase();
    if (name !== undefined && name !== before.name) {
      this.policy.assertCascade(actor, before, 'rename');
      await this.checkDomainName(name, 'name', ['domain', 'domainalias'], { kind: 'domain', id });
    }
    const extra = changes.extra && (await this.checkExtraFields('domain', before, changes.extra));
    const mailboxes = this.repo.mailboxesOfDomain(id);
    const domain = this.repo.transaction(() => {
      const d = this.repo.updateDomain(id, { name, quota: changes.quota, enabled: changes.enabled });
      if (d.name !== before.name) {
        for (const m of mailboxes) {
          const u = this.repo.userById(m.userId);
          if (u && u.username.toLowerCase() === m.fullAddress.toLowerCase()) this.repo.updateUser(u.id, { username: `${m.address}@${d.name}`, email: `${m.address}@${d.name}` });
        }
      }
      return d;
    });
    if (domain.name !== before.name) {
      for (const m of mailboxes) {
        const after = this.repo.mailboxById(m.id);
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
    const domain = this.requireDomain(actor, id);
    const owner = this.repo.userByName(newOwner);
    if (owner === undefined || !isAdmin(owner)) throw invalid('owner', `"${newOwner}" is not an administrator.`);
    if (owner.id === domain.ownerId) return domain;
    const previous = this.repo.userById(domain.ownerId);
    if (previous) await this.bus.call('DomainOwnershipRemoved', previous, domain);
    return this.repo.updateDomain(id, { ownerId: owner.id });
  }

  /** Deletes a domain: `DomainDeleted` before, then its accounts (each `AccountDeleted`, `MailboxDeleted`). */
  async deleteDomain(actor: User, id: number): Promise<void> {
    const domain = this.requireDomain(actor, id);
    // Checked as a whole before anything happens: a refused cascade leaves everything as it was.
    const accounts = this.policy.assertCascade(actor, domain, 'delete');
    for (const account of accounts) this.policy.assertDeletable(account, domain.id);
    await this.bus.call('DomainDeleted', domain);
    for (const account of accounts) await this.announceRemoval(actor, account, { reason: 'domain deleted' });
    this.repo.transaction(() => {
      this.repo.deleteDomain(id);
      for (const account of accounts) this.deleteAccountRows(account);
    });
    this.log.info({ domain: domain.name, by: actor.username, accounts: accounts.length }, 'domain deleted');
  }

  /** The domain edition form: tabs (`ExtraDomainForm`), data (`FillDomainInstances`), extra fields. */
  async domainForms(actor: User, id: number): Promise<FormsView> {
    const domain = this.requireDomain(actor, id);
    const forms: FormDescriptor[] = [{ id: 'general', title: 'General', cls: 'DomainFormGeneral' }, ...(await this.bus.call('ExtraDomainForm', actor, domain))];
    const instances: Record<string, unknown> = { general: domain };
    await this.bus.call('FillDomainInstances', actor, domain, instances);
    return { forms, instances, fields: await this.bus.call('ExtraFormFields', 'domain', domain) };
  }

  // ── domain aliases ─────────────────────────────────────────────────────────

  listDomainAliases(actor: User): DomainAlias[] {
    requireAdmin(actor);
    return this.repo.domainAliases().filter((a) => this.policy.managesDomainId(actor, a.targetId));
  }

  /** Creates a domain alias of a domain the actor manages; raises `DomainAliasCreated`. */
  async createDomainAlias(actor: User, input: { name: string; target: string }): Promise<DomainAlias> {
    requireAdmin(actor);
    const target = this.requireDomainField(actor, input.target, 'target');
    const name = input.name.toLowerCase();
    await this.checkDomainName(name, 'name', ['domain', 'domainalias']);
    const alias = this.repo.insertDomainAlias({ name, targetId: target.id, ownerId: actor.id });
    await this.bus.call('DomainAliasCreated', actor, alias);
    return alias;
  }

  /** Deletes a domain alias; `DomainAliasDeleted` before. */
  async deleteDomainAlias(actor: User, id: number): Promise<void> {
    const alias = this.repo.domainAliasById(id);
    if (alias === undefined || !this.policy.managesDomainId(actor, alias.targetId)) throw notFound('Domain alias', id);
    await this.bus.call('DomainAliasDeleted', alias);
    this.repo.deleteDomainAlias(id);
  }

  private requireDomainField(actor: User, name: string, field: string): Domain {
    const d = this.repo.domainByName(name.toLowerCase());
    if (d === undefined) throw invalid(field, `domain "${name}" does not exist.`);
    if (!this.policy.managesDomain(actor, d)) throw forbidden(`Domain "${d.name}" belongs to another administrator; you cannot use it.`);
    return d;
  }

  // ── accounts ───────────────────────────────────────────────────────────────

  private canManageAccount(actor: User, account: User): boolean {
    return this.policy.canManageAccount(actor, account);
  }

  /** An account the actor may manage (or itself when `self` is allowed); 404 otherwise. */
  requireAccount(actor: User, id: number, self = false): User {
    const account = this.repo.userById(id);
    if (account === undefined || !((self && account.id === actor.id) || this.canManageAccount(actor, account))) throw notFound('Account', id);
    return account;
  }

  /** The accounts the actor manages, each with its mailbox and `ExtraAccountActions`. */
  async listAccounts(actor: User): Promise<AccountView[]> {
    requireAdmin(actor);
    const out: AccountView[] = [];
    for (const account of this.repo.users()) {
      if (!this.canManageAccount(actor, account)) continue;
      out.push({ account, mailbox: this.repo.mailboxOfUser(account.id) ?? null, actions: await this.bus.call('ExtraAccountActions', account) });
    }
    return out;
  }

  /** Roles the actor may give: built-in ones by rank, plus `GetExtraRoles`. */
  async roles(actor: User): Promise<Choice[]> {
    const builtin: Record<string, readonly string[]> = {
      SuperAdmins: BUILTIN_ROLES,
      Resellers: ['DomainAdmins', 'SimpleUsers'],
      DomainAdmins: ['SimpleUsers'],
    };
    const labels: Record<string, string> = { SuperAdmins: 'Super administrator', Resellers: 'Reseller', DomainAdmins: 'Domain administrator', SimpleUsers: 'Simple user' };
    const own: Choice[] = (builtin[actor.role] ?? []).map((r) => [r, labels[r]] as const);
    return [...own, ...(await this.bus.call('GetExtraRoles', actor))];
  }

  /** Checks that the actor may give `role`: known to it, then `UserCanSetRole` (false → 403). */
  private async checkRole(actor: User, role: string): Promise<void> {
    const allowed = await this.roles(actor);
    if (!allowed.some(([value]) => value === role)) {
      if ((BUILTIN_ROLES as readonly string[]).includes(role)) throw forbidden(`Role ${actor.role} cannot give the role ${role}.`);
      throw invalid('role', `unknown role "${role}"; GET /api/roles lists the roles you can give.`);
    }
    await refuse(this.bus, 'UserCanSetRole', [actor, role], `let "${actor.username}" set the role ${role}`);
  }

  /**
   * Creates an account (and its mailbox when the username is an address of a domain the actor manages); raises `AccountCreated`, then `MailboxCreated`.
   */
  async createAccount(actor: User, input: NewAccount, via: 'api' | 'import' = 'api', importedRow?: readonly string[]): Promise<User> {
    requireAdmin(actor);
    checkSingleLine({ username: input.username, firstName: input.firstName, lastName: input.lastName, email: input.email });
    const mobile = normalizeMobile(input.mobile);
    const username = input.username.trim();
    const role = input.role ?? 'SimpleUsers';
    let domain: Domain | undefined;
    if (username.includes('@')) {
      const at = username.lastIndexOf('@');
      if (!LOCAL_RE.test(username.slice(0, at))) throw invalid('username', `"${username}" is not a valid address.`);
      domain = this.requireDomainField(actor, username.slice(at + 1), 'username');
      if (this.repo.mailboxAliasByAddress(username)) throw conflict('username', `"${username}" is already a mailbox alias.`);
    } else if (!isAdmin({ role } as User)) {
      throw invalid('username', 'a simple user needs an e-mail address (local@domain) as username.');
    } else if (!/^[\w.-]{2,64}$/.test(username)) {
      throw invalid('username', 'use 2–64 letters, digits, ".", "-" or "_".');
    }
    if (this.repo.userByName(username)) throw conflict('username', `Account "${username}" already exists.`);
    checkPassword(input.password, 'password');
    await this.checkRole(actor, role);
    const extra = input.extra && (await this.checkExtraFields('account', null, input.extra));
    const passwordHash = input.password.startsWith('scrypt$') && via === 'import' ? input.password : await hashPassword(input.password);
    const { account, mailbox } = this.repo.transaction(() => {
      const a = this.repo.insertUser({
        username,
        passwordHash,
        role,
        firstName: input.firstName, lastName: input.lastName,
        email: input.email ?? (domain ? username : ''), mobile,
        enabled: input.enabled,
        ownerId: actor.id,
      });
      const m = domain ? this.repo.insertMailbox({ userId: a.id, address: username.slice(0, username.lastIndexOf('@')), domainId: domain.id, quota: input.quota ?? domain.quota }) : undefined;
      return { account: a, mailbox: m };
    });
    if (via === 'import') await this.bus.call('AccountImported', actor, account, importedRow ?? []);
    else await this.bus.call('AccountCreated', account);
    if (mailbox) await this.bus.call('MailboxCreated', account, mailbox);
    if (extra) await this.bus.call('SaveExtraFormFields', 'account', account, extra);
    this.log.info({ account: username, role, by: actor.username }, 'account created');
    return account;
  }

  /**
   * Modifies an account. A role change runs `UserCanSetRole` (false → 403) then
   * `RoleChanged` before it is applied; a new address raises `MailboxModified` with
   * `old_full_address`; extra forms must pass `CheckExtraAccountForm`; then `AccountModified`.
   */
  async updateAccount(actor: User, id: number, changes: AccountChanges): Promise<User> {
    const before = this.requireAccount(actor, id);
    checkSingleLine({ username: changes.username, firstName: changes.firstName, lastName: changes.lastName, email: changes.email });
    const mobile = normalizeMobile(changes.mobile);
    const mailbox = this.repo.mailboxOfUser(id);
    let newMailbox: { address: string; domainId: number; quota: number } | undefined;
    const username = changes.username?.trim();
    if (username !== undefined && username !== before.username) {
      if (this.repo.userByName(username)) throw conflict('username', `Account "${username}" already exists.`);
      if (mailbox) {
        const at = username.lastIndexOf('@');
        if (at < 0 || !LOCAL_RE.test(username.slice(0, at))) throw invalid('username', 'a mailbox owner needs an e-mail address as username.');
        const domain = this.requireDomainField(actor, username.slice(at + 1), 'username');
        newMailbox = { address: username.slice(0, at), domainId: domain.id, quota: changes.quota ?? mailbox.quota };
      }
    }
    if (changes.quota !== undefined && mailbox && newMailbox === undefined) newMailbox = { address: mailbox.address, domainId: mailbox.domainId, quota: changes.quota };
    if (changes.role !== undefined && changes.role !== before.role) {
      if (before.id === actor.id) throw forbidden('You cannot change your own role.');
      await this.checkRole(actor, changes.role);
    }
    const extra = changes.extra && (await this.checkExtraFields('account', before, changes.extra));
    const forms: [FormDescriptor, Readonly<Record<string, unknown>>][] = [];
    if (changes.forms) {
      const available = await this.bus.call('ExtraAccountForm', actor, before);
      for (const [formId, values] of Object.entries(changes.forms)) {
        const form = available.find((f) => f.id === formId);
        if (form === undefined) throw invalid(`forms.${formId}`, `no extra account form "${formId}" (available: ${available.map((f) => f.id).join(', ') || 'none'}).`);
        await refuse(this.bus, 'CheckExtraAccountForm', [before, form], `apply form "${formId}" to account "${before.username}"`);
        forms.push([form, values]);
      }
    }
    if (changes.role !== undefined && changes.role !== before.role) await this.bus.call('RoleChanged', before, changes.role);
    const after = this.repo.transaction(() => {
      if (newMailbox && mailbox) this.repo.updateMailbox(mailbox.id, newMailbox);
      const emailFollows = username !== undefined && mailbox !== undefined && before.email.toLowerCase() === mailbox.fullAddress.toLowerCase();
      return this.repo.updateUser(id, {
        username,
        role: changes.role,
        firstName: changes.firstName, lastName: changes.lastName,
        email: changes.email ?? (emailFollows ? username : undefined), mobile,
        enabled: changes.enabled,
      });
    });
    if (mailbox && newMailbox) {
      const updated = this.repo.mailboxById(mailbox.id);
      if (updated) await this.bus.call('MailboxModified', { ...updated, old_full_address: mailbox.fullAddress });
    }
    if (extra) await this.bus.call('SaveExtraFormFields', 'account', after, extra);
    for (const [form, values] of forms) await this.bus.call('SaveExtraFormFields', form.id, after, values);
    await this.bus.call('AccountModified', before, after);
    return after;
  }

  /**
   * Deletes an account: `AccountDeleted` and `MailboxDeleted` before. An administrator who still
   * owns domains or relay domains is refused (409 naming them): they never move to the actor.
   */
  async deleteAccount(actor: User, id: number, options: Readonly<Record<string, unknown>> = {}): Promise<void> {
    const account = this.requireAccount(actor, id);
    if (account.id === actor.id) throw forbidden('You cannot delete your own account.');
    this.policy.assertDeletable(account);
    await this.announceRemoval(actor, account, options);
    this.repo.transaction(() => this.deleteAccountRows(account));
    this.log.info({ account: account.username, by: actor.username }, 'account deleted');
  }

  /** The hooks raised before an account goes. */
  private async announceRemoval(actor: User, account: User, options: Readonly<Record<string, unknown>>): Promise<void> {
    await this.bus.call('AccountDeleted', account, actor, options);
    const mailbox = this.repo.mailboxOfUser(account.id);
    if (mailbox) await this.bus.call('MailboxDeleted', mailbox);
    for (const domain of this.repo.domainsOwnedBy(account.id)) await this.bus.call('DomainOwnershipRemoved', account, domain);
  }

  private deleteAccountRows(account: User): void {
    this.repo.releaseCreatedBy(account.id);
    this.repo.deleteUser(account.id);
  }

  /**
   * The account edition form: built-in tabs plus `ExtraAccountForm` tabs for which
   * `CheckExtraAccountForm` agrees, filled by `FillAccountInstances`, with `ExtraFormFields`.
   */
  async accountForms(actor: User, id: number): Promise<FormsView> {
    const account = this.requireAccount(actor, id, true);
    const mailbox = this.repo.mailboxOfUser(id);
    const forms: FormDescriptor[] = [{ id: 'general', title: 'General', cls: 'AccountFormGeneral' }];
    if (mailbox) forms.push({ id: 'mail', title: 'Mail', cls: 'AccountFormMail' });
    for (const form of await this.bus.call('ExtraAccountForm', actor, account)) {
      if ((await decide(this.bus, 'CheckExtraAccountForm', [account, form])) === undefined) forms.push(form);
    }
    const instances: Record<string, unknown> = { general: account, ...(mailbox ? { mail: mailbox } : {}) };
    await this.bus.call('FillAccountInstances', actor, account, instances);
    return { forms, instances, fields: await this.bus.call('ExtraFormFields', 'account', account) };
  }

  /** Validates values against `ExtraFormFields(form_name, instance)`; unknown or ill-typed → 400 naming the field. */
  private async checkExtraFields(formName: string, instance: FormInstance | null, values: Readonly<Record<string, unknown>>): Promise<Record<string, unknown>> {
    const fields = new Map<string, FieldSpec>(await this.bus.call('ExtraFormFields', formName, instance));
    const out: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(values)) {
      const spec = fields.get(name);
      if (spec === undefined) throw invalid(`extra.${name}`, `no extra field "${name}" on form "${formName}" (fields: ${[...fields.keys()].join(', ') || 'none'}).`);
      out[name] = coerceField(spec, value, `extra.${name}`);
    }
    for (const [name, spec] of fields) if (spec.required && !(name in out) && instance === null) throw invalid(`extra.${name}`, 'required.');
    return out;
  }

  // ── mailbox aliases ────────────────────────────────────────────────────────

  listMailboxAliases(actor: User): MailboxAlias[] {
    requireAdmin(actor);
    return this.repo.mailboxAliases().filter((a) => this.policy.managesDomainId(actor, a.domainId));
  }

  /** Creates a mailbox alias in a domain the actor manages; raises `MailboxAliasCreated`. */
  async createMailboxAlias(actor: User, input: { address: string; recipients: readonly string[]; enabled?: boolean }): Promise<MailboxAlias> {
    requireAdmin(actor);
    checkSingleLine({ address: input.address, ...Object.fromEntries(input.recipients.map((r, i) => [`recipients.${i}`, r])) });
    const address = input.address.trim().toLowerCase();
    const at = address.lastIndexOf('@');
    if (at < 0 || !LOCAL_RE.test(address.slice(0, at))) throw invalid('address', `"${input.address}" is not a valid address.`);
    const domain = this.requireDomainField(actor, address.slice(at + 1), 'address');
    input.recipients.forEach((r, i) => {
      if (!/^[^@\s]+@[^@\s]+$/.test(r)) throw invalid(`recipients.${i}`, `"${r}" is not an address.`);
    });
    if (this.repo.mailboxAliasByAddress(address) || this.repo.userByName(address)) throw conflict('address', `"${address}" is already used.`);
    const alias = this.repo.insertMailboxAlias({ address, domainId: domain.id, recipients: input.recipients, ownerId: actor.id });
    await this.bus.call('MailboxAliasCreated', actor, alias);
    return alias;
  }

  /** Deletes a mailbox alias; `MailboxAliasDeleted` before. */
  async deleteMailboxAlias(actor: User, id: number): Promise<void> {
    const alias = this.repo.mailboxAliasById(id);
    if (alias === undefined || !this.policy.managesDomainId(actor, alias.domainId)) throw notFound('Mailbox alias', id);
    await this.bus.call('MailboxAliasDeleted', alias);
    this.repo.deleteMailboxAlias(id);
  }

  // ── relay domains ──────────────────────────────────────────────────────────

  listRelayDomains(actor: User): RelayDomain[] {
    requireAdmin(actor);
    return this.repo.relayDomains().filter((d) => this.policy.managesRelayDomain(actor, d));
  }

  requireRelayDomain(actor: User, id: number): RelayDomain {
    const d = this.repo.relayDomainById(id);
    if (d === undefined || !this.policy.managesRelayDomain(actor, d)) throw notFound('Relay domain', id);
    return d;
  }

  /** Creates a relay domain (SuperAdmins, Resellers); raises `RelayDomainCreated`. */
  async createRelayDomain(actor: User, input: { name: string; targetHost: string; service?: string }): Promise<RelayDomain> {
    if (!(isSuperAdmin(actor) || actor.role === 'Resellers')) throw forbidden(`Role ${actor.role} cannot create relay domains; only SuperAdmins and Resellers can.`);
    const name = input.name.toLowerCase();
    await this.checkDomainName(name, 'name', ['domain', 'domainalias', 'relaydomain', 'relaydomainalias']);
    const rdomain = this.repo.insertRelayDomain({ name, targetHost: input.targetHost, service: input.service ?? 'relay', ownerId: actor.id });
    await this.bus.call('RelayDomainCreated', actor, rdomain);
    return rdomain;
  }

  /** Modifies a relay domain; raises `RelayDomainModified` with `oldname`. */
  async updateRelayDomain(actor: User, id: number, changes: { name?: string; targetHost?: string; service?: string; enabled?: boolean }): Promise<RelayDomain> {
    const before = this.requireRelayDomain(actor, id);
    const name = changes.name?.toLowerCase();
    if (name !== undefined && name !== before.name) await this.checkDomainName(name, 'name', ['domain', 'domainalias', 'relaydomain', 'relaydomainalias'], { kind: 'relaydomain', id });
    const rdomain = this.repo.updateRelayDomain(id, { ...changes, name });
    await this.bus.call('RelayDomainModified', { ...rdomain, oldname: before.name });
    return rdomain;
  }

  /** Deletes a relay domain; `RelayDomainDeleted` before. */
  async deleteRelayDomain(actor: User, id: number): Promise<void> {
    const rdomain = this.requireRelayDomain(actor, id);
    await this.bus.call('RelayDomainDeleted', rdomain);
    this.repo.deleteRelayDomain(id);
  }

  /** The relay domain edition form: tabs (`ExtraRelayDomainForm`) and data (`FillRelayDomainInstances`). */
  async relayDomainForms(actor: User, id: number): Promise<FormsView> {
    const rdomain = this.requireRelayDomain(actor, id);
    const forms: FormDescriptor[] = [{ id: 'general', title: 'General', cls: 'RelayDomainFormGeneral' }, ...(await this.bus.call('ExtraRelayDomainForm', actor, rdomain))];
    const instances: Record<string, unknown> = { general: rdomain };
    await this.bus.call('FillRelayDomainInstances', actor, rdomain, instances);
    return { forms, instances, fields: await this.bus.call('ExtraFormFields', 'relaydomain', rdomain) };
  }

  listRelayDomainAliases(actor: User): RelayDomainAlias[] {
    requireAdmin(actor);
    return this.repo.relayDomainAliases().filter((a) => this.policy.managesRelayDomain(actor, this.repo.relayDomainById(a.targetId)));
  }

  /** Creates a relay domain alias; raises `RelayDomainAliasCreated`. */
  async createRelayDomainAlias(actor: User, input: { name: string; target: string }): Promise<RelayDomainAlias> {
    requireAdmin(actor);
    const target = this.repo.relayDomains().find((d) => d.name === input.target.toLowerCase());
    if (target === undefined) throw invalid('target', `relay domain "${input.target}" does not exist.`);
    if (!this.policy.managesRelayDomain(actor, target)) throw forbidden(`Relay domain "${target.name}" belongs to another administrator.`);
    const name = input.name.toLowerCase();
    await this.checkDomainName(name, 'name', ['domain', 'domainalias', 'relaydomain', 'relaydomainalias']);
    const alias = this.repo.insertRelayDomainAlias({ name, targetId: target.id, ownerId: actor.id });
    await this.bus.call('RelayDomainAliasCreated', actor, alias);
    return alias;
  }

  /** Deletes a relay domain alias; `RelayDomainAliasDeleted` before. */
  async deleteRelayDomainAlias(actor: User, id: number): Promise<void> {
    const alias = this.repo.relayDomainAliasById(id);
    if (alias === undefined || !this.policy.managesRelayDomain(actor, this.repo.relayDomainById(alias.targetId))) throw notFound('Relay domain alias', id);
    await this.bus.call('RelayDomainAliasDeleted', alias);
    this.repo.deleteRelayDomainAlias(id);
  }

  // ── display hooks ──────────────────────────────────────────────────────────

  /**
   * A menu: `UserMenuDisplay` for options_menu / uprefs_menu / top_menu, `AdminMenuDisplay`
   * for admin_menu_box / top_menu (administrators), each after the built-in entries.
   */
  async menu(actor: User, target: UserMenuTarget | AdminMenuTarget): Promise<MenuEntry[]> {
    const entries: MenuEntry[] = [];
    if (target === 'top_menu') {
      if (isAdmin(actor)) {
        entries.push({ name: 'domains', label: 'Domains', url: '/api/domains' }, { name: 'identities', label: 'Identities', url: '/api/accounts' });
        entries.push(...(await this.bus.call('AdminMenuDisplay', 'top_menu', actor)));
      }
      entries.push(...(await this.bus.call('UserMenuDisplay', 'top_menu', actor)));
    } else if (target === 'admin_menu_box') {
      requireAdmin(actor);
      entries.push({ name: 'parameters', label: 'Parameters', url: '/api/parameters/core' }, { name: 'extensions', label: 'Extensions', url: '/api/extensions' });
      entries.push(...(await this.bus.call('AdminMenuDisplay', 'admin_menu_box', actor)));
    } else {
      if (target === 'options_menu') entries.push({ name: 'logout', label: 'Logout', url: '/api/logout' });
      else entries.push({ name: 'password', label: 'Change password', url: '/api/me/password' });
      entries.push(...(await this.bus.call('UserMenuDisplay', target, actor)));
    }
    return entries;
  }

  /** Announcements of a target: the `core.announcement` parameter, then `GetAnnouncement`. */
  async announcements(target: 'loginpage'): Promise<string[]> {
    const own = String(this.repo.parameters('core', 'A', 0).announcement ?? '');
    return [...(own ? [own] : []), ...(await this.bus.call('GetAnnouncement', target))];
  }

  notifications(actor: User): Promise<string[]> {
    return this.bus.call('TopNotifications', actor);
  }

  adminContent(actor: User, target: 'leftcol', page: 'domains' | 'identities'): Promise<string[]> {
    requireAdmin(actor);
    return this.bus.call('ExtraAdminContent', actor, target, page);
  }

  staticContent(actor: User, caller: string): Promise<string[]> {
    return this.bus.call('GetStaticContent', caller, actor);
  }

  // ── parameters and limits ──────────────────────────────────────────────────

  /** The parameter form of an application: fields (built-in + `GetExtraParameters`) and values. */
  async parameters(actor: User, application: string, level: 'A' | 'U'): Promise<{ fields: Record<string, FieldSpec>; values: Record<string, unknown> }> {
    if (level === 'A' && !isSuperAdmin(actor)) throw forbidden('Only SuperAdmins can read administration parameters.');
    const fields: Record<string, FieldSpec> = { ...(application === 'core' && level === 'A' ? CORE_PARAMETERS : {}), ...(await this.bus.call('GetExtraParameters', application, level)) };
    if (Object.keys(fields).length === 0) throw notFound('Parameter application', application);
    const stored = this.repo.parameters(application, level, level === 'A' ? 0 : actor.id);
    const values: Record<string, unknown> = {};
    for (const [name, spec] of Object.entries(fields)) values[name] = name in stored ? stored[name] : (spec.default ?? null);
    return { fields, values };
  }

  /** Saves parameter values; each must be a declared field of the right type (400 naming it). */
  async setParameters(actor: User, application: string, level: 'A' | 'U', values: Readonly<Record<string, unknown>>): Promise<Record<string, unknown>> {
    const { fields } = await this.parameters(actor, application, level);
    const checked: [string, unknown][] = Object.entries(values).map(([name, value]) => {
      const spec = fields[name];
      if (spec === undefined) throw invalid(name, `no parameter "${name}" in "${application}" (parameters: ${Object.keys(fields).join(', ')}).`);
      return [name, checkCoreParameter(application, name, coerceField(spec, value, name))];
    });
    this.repo.transaction(() => {
      for (const [name, value] of checked) this.repo.setParameter(application, level, level === 'A' ? 0 : actor.id, name, value);
    });
    return (await this.parameters(actor, application, level)).values;
  }

  limitTemplates(): Promise<LimitTemplate[]> {
    return this.bus.call('GetExtraLimitTemplates');
  }

  /** Limits of an administrator, by `GetExtraLimitTemplates` name. */
  async limits(actor: User, id: number): Promise<{ templates: LimitTemplate[]; values: Record<string, number> }> {
    const account = this.requireAccount(actor, id, true);
    return { templates: await this.limitTemplates(), values: this.repo.limits(account.id) };
  }

  /** Sets limits of an administrator (SuperAdmins; names must be templates). */
  async setLimits(actor: User, id: number, values: Readonly<Record<string, number>>): Promise<Record<string, number>> {
    if (!isSuperAdmin(actor)) throw forbidden('Only SuperAdmins can set limits.');
    const account = this.requireAccount(actor, id);
    const names = new Set((await this.limitTemplates()).map(([n]) => n));
    for (const [name, v] of Object.entries(values)) {
      if (!names.has(name)) throw invalid(name, `no limit template "${name}" (templates: ${[...names].join(', ') || 'none'}).`);
      if (!Number.isInteger(v) || v < 0) throw invalid(name, 'must be a non-negative integer (0 = unlimited).');
    }
    this.repo.transaction(() => {
      for (const [name, v] of Object.entries(values)) this.repo.setLimit(account.id, name, v);
    });
    return this.repo.limits(account.id);
  }

  // ── CSV import / export ────────────────────────────────────────────────────

  /** Built-in import functions, registered on `ImportObject` by the host (as extension `host`). */
  builtinImporters(): Record<string, ImportFunction> {
    return {
      domain: async (user, row) => {
        const [, name, quota, enabled] = row;
        await this.createDomain(user, { name: name ?? '', quota: quota ? toInt(quota, 'quota') : undefined, enabled: enabled === undefined ? true : toBool(enabled) });
      },
      domainalias: async (user, row) => {
        const [, name, target] = row;
        await this.createDomainAlias(user, { name: name ?? '', target: target ?? '' });
      },
      account: async (user, row) => {
        const [, username, password, firstName, lastName, enabled, role, email, quota] = row;
        await this.createAccount(
          user,
          {
            username: username ?? '',
            password: password ?? '',
            firstName,
            lastName,
            enabled: enabled === undefined ? true : toBool(enabled),
            role: role || 'SimpleUsers',
            email: email || undefined, mobile: mobileOfRow(row),
            quota: quota ? toInt(quota, 'quota') : undefined,
          },
          'import',
          extrasOfRow(row),
        );
      },
      alias: async (user, row) => {
        const [, address, enabled, ...recipients] = row;
        await this.createMailboxAlias(user, { address: address ?? '', enabled: enabled === undefined ? true : toBool(enabled), recipients });
      },
      relaydomain: async (user, row) => {
        const [, name, targetHost, service] = row;
        await this.createRelayDomain(user, { name: name ?? '', targetHost: targetHost ?? '', service: service || undefined });
      },
    };
  }

  /** Help of the import form: the built-in formats, then `ExtraDomainImportHelp`. */
  async importHelp(): Promise<string[]> {
    return [
      'domain; <name>; <quota MB>; <enabled: true|false>',
      'domainalias; <name>; <target domain>; <enabled>',
      'account; <username>; <password>; <first name>; <last name>; <enabled>; <role>; <email>; <quota MB>[; extra…][; mobile=<+491701234567>]',
      'alias; <address>; <enabled>; <recipient>[; <recipient>…]',
      'relaydomain; <name>; <target host>; <service>',
      ...(await this.bus.call('ExtraDomainImportHelp')),
    ];
  }

  /**
   * Imports CSV records: for each, `ImportObject(objtype)` gives the import function (the host's built-ins
   * are registered the same way). Stops at the first failing line (400 naming `csv line N`) unless `continueIfExists` and the object exists.
   */
  async importCsv(actor: User, csv: string, formopts: ImportOptions & { sepchar?: string } = {}): Promise<{ imported: number; skipped: number }> {
    requireAdmin(actor);
    let records;
    try {
      records = parseCsv(csv, formopts.sepchar ?? ';');
    } catch (e) {
      throw invalid('csv', e instanceof Error ? e.message : String(e));
    }
    let imported = 0;
    let skipped = 0;
    for (const { line, fields } of records) {
      const objtype = (fields[0] ?? '').toLowerCase();
      const [fn] = await this.bus.call('ImportObject', objtype);
      if (fn === undefined) throw invalid(`csv line ${line}`, `unknown object type "${objtype}"; GET /api/import/help lists the formats.`);
      try {
        await fn(actor, fields, formopts);
        imported++;
      } catch (e) {
        if (e instanceof HostError && e.code === 'PB_HOST_CONFLICT' && formopts.continueIfExists) {
          skipped++;
          continue;
        }
        if (e instanceof HostError && e.code !== 'PB_HOST_VETOED') throw new HostError(e.code as 'PB_HOST_INVALID', `csv line ${line}: ${e.message}`, { field: `csv line ${line}`, cause: e });
        throw e;
      }
    }
    return { imported, skipped };
  }

  /** Exports the visible accounts as CSV; each record ends with the values of `AccountExported`. */
  async exportAccounts(actor: User): Promise<string> {
    const rows: (string | number | boolean)[][] = [];
    for (const { account, mailbox } of await this.listAccounts(actor)) {
      const extra = await this.bus.call('AccountExported', account);
      rows.push([
        'account',
        account.username,
        this.repo.passwordHash(account.id) ?? '',
        account.firstName,
        account.lastName,
        account.enabled,
        account.role,
        account.email,
        mailbox?.quota ?? 0,
        ...extra, ...mobileCsvField(account),
      ]);
    }
    return formatCsv(rows);
  }

  /** Exports the visible domains and domain aliases as CSV. */
  exportDomains(actor: User): string {
    requireAdmin(actor);
    const rows: (string | number | boolean)[][] = this.visibleDomains(actor).map((d) => ['domain', d.name, d.quota, d.enabled]);
    for (const a of this.listDomainAliases(actor)) rows.push(['domainalias', a.name, a.targetName, a.enabled]);
    return formatCsv(rows);
  }
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function requireAdmin(actor: User): void {
  if (!isAdmin(actor)) throw forbidden(`Role ${actor.role} cannot do this; it needs an administrator.`);
}

/**
 * Names, addresses and e-mails end up in mail headers, logs and CSV exports: a CR/LF there
 * forges a header or a line, so control characters are refused wherever such a field is saved.
 */
function checkSingleLine(fields: Readonly<Record<string, string | undefined>>): void {
  for (const [field, value] of Object.entries(fields)) {
    // eslint-disable-next-line no-control-regex -- refusing control characters is the point
    if (value !== undefined && /[\u0000-\u001f\u007f]/.test(value)) throw invalid(field, 'must be one line without control characters (CR, LF, tab …).');
  }
}

function checkPassword(password: string, field: string): void {
  if (password.length < 8) throw invalid(field, 'use at least 8 characters.');
}

function toInt(v: string, field: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw invalid(field, `"${v}" is not a non-negative integer.`);
  return n;
}

function toBool(v: string): boolean {
  return /^(true|1|yes|y|on)$/i.test(v.trim());
}

/** Checks a value against a field spec (JSON input: no string→number guessing except from CSV). */
function coerceField(spec: FieldSpec, value: unknown, field: string): unknown {
  switch (spec.type) {
    case 'string':
    case 'text':
      if (typeof value !== 'string') throw invalid(field, 'must be a string.');
      if (spec.required && value === '') throw invalid(field, 'required.');
      return value;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(field, 'must be a number.');
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw invalid(field, 'must be true or false.');
      return value;
    case 'choice':
      if (!(spec.choices ?? []).some(([v]) => v === value)) throw invalid(field, `must be one of ${(spec.choices ?? []).map(([v]) => v).join(', ')}.`);
      return value;
  }
}
