import { checkPassword, checkSingleLine } from '../common/field-checks';
import { LOCAL_RE, ResourceService, type FormsView } from '../common/resource-service';
import { isAdmin, isSuperAdmin, requireAdmin } from '../common/roles';
import { conflict, forbidden, invalid, notFound } from '../errors';
import { decide, refuse } from '../host-bus';
import type { Choice, FormDescriptor } from '../hooks';
import { normalizeMobile } from '../mobile';
import { BUILTIN_ROLES, type Domain, type User } from '../model';
import { hashPassword, verifyPassword } from '../passwords';
import { decodeCursor, pageLimit, pageOf, type ListPage, type ListQuery } from '../common/list-page';
import { accountRows } from './account-query';
import { importedPasswordHash } from '../import-export/import-scope';
import { announceRemoval, deleteAccountRows } from './account-removal';
import * as mailboxWorks from '../store/mailbox-works';
import * as userWorks from '../store/user-works';
import type { AccountChanges, AccountView, NewAccount } from './account-types';

/**
 * Accounts and their mailboxes: listing, creation, changes (role, address, extra forms), deletion,
 * passwords and the edition form, raising the hooks of seed 004.
 *
 * @example
 * ```ts
 * await accounts.createAccount(admin, { username: 'ann@example.com', password: 'correct horse' });
 * ```
 */
export class AccountService extends ResourceService {
  /** An account the actor may manage (or itself when `self` is allowed); 404 otherwise. */
  async requireAccount(actor: User, id: number, self = false): Promise<User> {
    const account = await this.repo.userById(id);
    if (account === undefined || !((self && account.id === actor.id) || (await this.policy.canManageAccount(actor, account)))) throw notFound('Account', id);
    return account;
  }

  /** The accounts the actor manages, each with its mailbox and `ExtraAccountActions`. */
  async listAccounts(actor: User): Promise<AccountView[]> {
    requireAdmin(actor);
    const out: AccountView[] = [];
    for (const account of await this.repo.users()) {
      if (!(await this.policy.canManageAccount(actor, account))) continue;
      out.push({ account, mailbox: (await this.repo.mailboxOfUser(account.id)) ?? null, actions: await this.bus.call('ExtraAccountActions', account) });
    }
    return out;
  }

  /**
   * One page of the accounts the actor manages in creation order, `q` searched in the username,
   * e-mail and names (in SQL), each with its mailbox and `ExtraAccountActions`.
   */
  async list(actor: User, query: ListQuery = {}): Promise<ListPage<AccountView>> {
    requireAdmin(actor);
    const limit = pageLimit(query.limit);
    const after = decodeCursor(query.cursor);
    if (after !== undefined && !/^\d{1,15}$/.test(after)) throw invalid('cursor', 'not a cursor of the accounts listing; pass its nextCursor unchanged.');
    const rows = await this.repo.run(accountRows(this.repo.k, { actor, q: query.q, ...(after !== undefined ? { after: Number(after) } : {}), take: limit + 1 }));
    const page = pageOf(rows, limit, (a) => String(a.id));
    const items: AccountView[] = [];
    // The SQL says the same as the policy; checking again keeps one rule the last word.
    for (const account of page.items) {
      if (!(await this.policy.canManageAccount(actor, account))) continue;
      items.push({ account, mailbox: (await this.repo.mailboxOfUser(account.id)) ?? null, actions: await this.bus.call('ExtraAccountActions', account) });
    }
    return { ...page, items };
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
      domain = await this.requireDomainField(actor, username.slice(at + 1), 'username');
      if (await this.repo.mailboxAliasByAddress(username)) throw conflict('username', `"${username}" is already a mailbox alias.`);
    } else if (!isAdmin({ role } as User)) {
      throw invalid('username', 'a simple user needs an e-mail address (local@domain) as username.');
    } else if (!/^[\w.-]{2,64}$/.test(username)) {
      throw invalid('username', 'use 2–64 letters, digits, ".", "-" or "_".');
    }
    if (await this.repo.userByName(username)) throw conflict('username', `Account "${username}" already exists.`);
    // An import may leave the password out (an export without hashes): the account gets none that works.
    if (via !== 'import' || input.password !== '') checkPassword(input.password, 'password');
    await this.checkRole(actor, role);
    const extra = input.extra && (await this.checkExtraFields('account', null, input.extra));
    const passwordHash = via === 'import' ? await importedPasswordHash(input.password) : await hashPassword(input.password);
    const k = this.repo.k;
    const { account, mailbox } = await this.repo.transact(
      (function* () {
        const a = yield* userWorks.insert(k, {
          username,
          passwordHash,
          role,
          firstName: input.firstName, lastName: input.lastName,
          email: input.email ?? (domain ? username : ''), mobile,
          enabled: input.enabled,
          ownerId: actor.id,
        });
        const m = domain ? yield* mailboxWorks.insert(k, { userId: a.id, address: username.slice(0, username.lastIndexOf('@')), domainId: domain.id, quota: input.quota ?? domain.quota }) : undefined;
        return { account: a, mailbox: m };
      })(),
    );
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
    const before = await this.requireAccount(actor, id);
    checkSingleLine({ username: changes.username, firstName: changes.firstName, lastName: changes.lastName, email: changes.email });
    const mobile = normalizeMobile(changes.mobile);
    const mailbox = await this.repo.mailboxOfUser(id);
    let newMailbox: { address: string; domainId: number; quota: number } | undefined;
    const username = changes.username?.trim();
    if (username !== undefined && username !== before.username) {
      if (await this.repo.userByName(username)) throw conflict('username', `Account "${username}" already exists.`);
      if (mailbox) {
        const at = username.lastIndexOf('@');
        if (at < 0 || !LOCAL_RE.test(username.slice(0, at))) throw invalid('username', 'a mailbox owner needs an e-mail address as username.');
        const domain = await this.requireDomainField(actor, username.slice(at + 1), 'username');
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
    const k = this.repo.k;
    const emailFollows = username !== undefined && mailbox !== undefined && before.email.toLowerCase() === mailbox.fullAddress.toLowerCase();
    const patch = { username, role: changes.role, firstName: changes.firstName, lastName: changes.lastName, email: changes.email ?? (emailFollows ? username : undefined), mobile, enabled: changes.enabled };
    const after = await this.repo.transact(
      (function* () {
        if (newMailbox && mailbox) yield* mailboxWorks.update(k, mailbox.id, newMailbox);
        return yield* userWorks.update(k, id, patch);
      })(),
    );
    if (mailbox && newMailbox) {
      const updated = await this.repo.mailboxById(mailbox.id);
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
    const account = await this.requireAccount(actor, id);
    if (account.id === actor.id) throw forbidden('You cannot delete your own account.');
    await this.policy.assertDeletable(account);
    await announceRemoval(this.repo, this.bus, actor, account, options);
    await this.repo.transact(deleteAccountRows(this.repo.k, account));
    this.log.info({ account: account.username, by: actor.username }, 'account deleted');
  }

  /**
   * The account edition form: built-in tabs plus `ExtraAccountForm` tabs for which
   * `CheckExtraAccountForm` agrees, filled by `FillAccountInstances`, with `ExtraFormFields`.
   */
  async accountForms(actor: User, id: number): Promise<FormsView> {
    const account = await this.requireAccount(actor, id, true);
    const mailbox = await this.repo.mailboxOfUser(id);
    const forms: FormDescriptor[] = [{ id: 'general', title: 'General', cls: 'AccountFormGeneral' }];
    if (mailbox) forms.push({ id: 'mail', title: 'Mail', cls: 'AccountFormMail' });
    for (const form of await this.bus.call('ExtraAccountForm', actor, account)) {
      if ((await decide(this.bus, 'CheckExtraAccountForm', [account, form])) === undefined) forms.push(form);
    }
    const instances: Record<string, unknown> = { general: account, ...(mailbox ? { mail: mailbox } : {}) };
    await this.bus.call('FillAccountInstances', actor, account, instances);
    return { forms, instances, fields: await this.bus.call('ExtraFormFields', 'account', account) };
  }

  /**
   * Changes a password. Users change their own (old password required); administrators
   * set those of accounts they manage. `PasswordChange` runs first: any `true` cancels (403).
   */
  async changePassword(actor: User, targetId: number, newPassword: string, oldPassword?: string): Promise<void> {
    const target = await this.requireAccount(actor, targetId, true);
    if (target.id === actor.id && !isSuperAdmin(actor)) {
      if (oldPassword === undefined) throw invalid('oldPassword', 'required to change your own password.');
      if (!(await verifyPassword(oldPassword, (await this.repo.passwordHash(actor.id)) ?? ''))) throw invalid('oldPassword', 'does not match your current password.');
    }
    checkPassword(newPassword, 'newPassword');
    await refuse(this.bus, 'PasswordChange', [target], `change the password of "${target.username}"`);
    await this.repo.setPassword(target.id, await hashPassword(newPassword));
  }
}
