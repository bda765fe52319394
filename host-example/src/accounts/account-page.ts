import type { FastifyReply, FastifyRequest } from 'fastify';
import { back, type AdminPage } from '../admin/admin-page';
import { actorOf, backTo, formOf, refusal } from '../admin/config-form';
import { valuesFrom } from '../admin/config-resource';
import { html, type SafeHtml } from '../admin/html';
import { pageOperation } from '../admin/page-operation';
import { listQueryAt, listUrl, positionOf } from '../admin/paged-list';
import { field } from '../admin/session';
import { idOf, idParams } from '../api/schemas';
import type { User } from '../model';
import type { AccountChanges, NewAccount } from './account-types';
import { ACCOUNT_FIELDS, accountForm, accountList, passwordForm, type AccountValues } from './account-view';

/** Accounts shown per list page. */
export const ACCOUNTS_PER_PAGE = 20;
const BASE = '/admin/accounts';
// Routes are declared inside the `/admin` scope.
const PATH = '/accounts';

/** The form's text → the API's body (names, contact, role, state); the password only on creation. */
function changesOf(v: AccountValues): AccountChanges {
  return {
    username: (v.username ?? '').trim(),
    firstName: (v.firstName ?? '').trim(),
    lastName: (v.lastName ?? '').trim(),
    email: (v.email ?? '').trim(),
    mobile: (v.mobile ?? '').trim(),
    role: v.role ?? 'SimpleUsers',
    enabled: v.enabled !== 'false',
  };
}

function valuesOf(a: User): AccountValues {
  return { username: a.username, firstName: a.firstName, lastName: a.lastName, email: a.email, mobile: a.mobile, role: a.role, enabled: String(a.enabled) };
}

/** The helpers the account routes share: the list, add and edit pages, and the account a request names. */
function accountPageKit(ctx: AdminPage) {
  const accounts = ctx.host.service.resources.accounts;
  const operate = pageOperation(ctx);
  const listPage = async (req: FastifyRequest, reply: FastifyReply, top: SafeHtml = html``, status = 200): Promise<FastifyReply> => {
    const at = positionOf(req);
    const actor = actorOf(ctx, req);
    const page = await accounts.list(actor, listQueryAt(at, ACCOUNTS_PER_PAGE));
    return ctx.section(req, reply, 'accounts', 'Accounts', html`${top}${accountList(page.items, at, page.nextCursor, await accounts.roles(actor))}`, status);
  };
  const refusedOnList = (req: FastifyRequest, reply: FastifyReply, e: unknown): Promise<FastifyReply> => {
    const r = refusal(e, []);
    return listPage(req, reply, html`<p class="notice error" role="alert" id="action-error">${r.message}</p>`, r.status);
  };
  const editPage = async (req: FastifyRequest, reply: FastifyReply, a: User, o: { values?: AccountValues; error?: unknown; passwordError?: unknown } = {}): Promise<FastifyReply> => {
    const refused = o.error === undefined ? undefined : refusal(o.error, ACCOUNT_FIELDS);
    const pwRefused = o.passwordError === undefined ? undefined : refusal(o.passwordError, ['newPassword']);
    const roles = await accounts.roles(actorOf(ctx, req));
    const body = html`${accountForm({ action: `${BASE}/${a.id}`, values: o.values ?? valuesOf(a), editing: true, roles, ...(refused ? { refused } : {}) })}${passwordForm(a.id, pwRefused)}`;
    return ctx.section(req, reply, 'accounts', `Account "${a.username}"`, body, refused?.status ?? pwRefused?.status ?? 200);
  };
  const addPage = async (req: FastifyRequest, reply: FastifyReply, values: AccountValues = {}, error?: unknown): Promise<FastifyReply> => {
    const refused = error === undefined ? undefined : refusal(error, ACCOUNT_FIELDS);
    const form = accountForm({ action: BASE, values, editing: false, roles: await accounts.roles(actorOf(ctx, req)), ...(refused ? { refused } : {}) });
    return ctx.section(req, reply, 'accounts', 'Add an account', form, refused?.status ?? 200);
  };
  const target = async (req: FastifyRequest): Promise<{ actor: User; account: User; params: { id: string } }> => {
    const actor = actorOf(ctx, req);
    const account = await accounts.requireAccount(actor, idOf(req));
    return { actor, account, params: { id: String(account.id) } };
  };
  return { accounts, operate, listPage, refusedOnList, editPage, addPage, target };
}

type AccountPageKit = ReturnType<typeof accountPageKit>;

/** Password reset, enable/disable and delete: each the API operation it stands for. */
function accountActionRoutes(ctx: AdminPage, { accounts, operate, refusedOnList, editPage, target }: AccountPageKit): void {
  const schema = { params: idParams };
  ctx.admin.post(`${PATH}/:id/password`, { schema }, async (req, reply) => {
    const { actor, account, params } = await target(req);
    const password = field(formOf(req), 'newPassword');
    try {
      const call = { method: 'POST', route: '/api/accounts/:id/password', params, actor, body: { password }, secretPaths: ['password'] };
      await operate(req, call, () => accounts.changePassword(actor, account.id, password), 204);
      return backTo(reply, BASE, { notice: `The password of "${account.username}" was reset.` });
    } catch (e) {
      return editPage(req, reply, account, { passwordError: e });
    }
  });
  ctx.admin.post(`${PATH}/:id/toggle`, { schema }, async (req, reply) => {
    const { actor, account, params } = await target(req);
    const changes = { enabled: !account.enabled };
    try {
      await operate(req, { method: 'PATCH', route: '/api/accounts/:id', params, actor, body: changes }, () => accounts.updateAccount(actor, account.id, changes));
      return back(reply, listUrl(BASE, positionOf(req)), { notice: `Account "${account.username}" is now ${changes.enabled ? 'enabled' : 'disabled'}.` });
    } catch (e) {
      return refusedOnList(req, reply, e);
    }
  });
  ctx.admin.post(`${PATH}/:id/delete`, { schema }, async (req, reply) => {
    const { actor, account, params } = await target(req);
    try {
      await operate(req, { method: 'DELETE', route: '/api/accounts/:id', params, actor }, () => accounts.deleteAccount(actor, account.id), 204);
      return back(reply, listUrl(BASE, positionOf(req)), { notice: `Account "${account.username}" was deleted, with its mailbox.` });
    } catch (e) {
      return refusedOnList(req, reply, e);
    }
  });
}

/**
 * The accounts page, `/admin/accounts`: a searched, paged list, add, edit (names, e-mail, mobile,
 * role, enabled), password reset, enable or disable in one click, and delete (asked first). Every
 * change is the API operation it stands for, through the operation layer, so hooks (`AccountCreated`,
 * `PasswordChange`, `UserCanSetRole`…) and pre/post rules apply as via the API.
 *
 * @example
 * ```ts
 * registerAccountPage(ctx); // inside registerAdmin
 * ```
 */
export function registerAccountPage(ctx: AdminPage): void {
  const kit = accountPageKit(ctx);
  const { accounts, operate, listPage, editPage, addPage, target } = kit;
  const schema = { params: idParams };

  ctx.admin.get(PATH, (req, reply) => listPage(req, reply));
  ctx.admin.get(`${PATH}/new`, (req, reply) => addPage(req, reply));
  ctx.admin.post(PATH, async (req, reply) => {
    const actor = actorOf(ctx, req);
    const values = valuesFrom(formOf(req), ACCOUNT_FIELDS);
    const input: NewAccount = { ...changesOf(values), username: (values.username ?? '').trim(), password: values.password ?? '' };
    try {
      const a = await operate(req, { method: 'POST', route: '/api/accounts', actor, body: input, secretPaths: ['password'] }, () => accounts.createAccount(actor, input), 201);
      return backTo(reply, BASE, { notice: `Account "${a.username}" was added.` });
    } catch (e) {
      return addPage(req, reply, { ...values, password: '' }, e);
    }
  });
  ctx.admin.get(`${PATH}/:id`, { schema }, async (req, reply) => editPage(req, reply, (await target(req)).account));
  ctx.admin.post(`${PATH}/:id`, { schema }, async (req, reply) => {
    const { actor, account, params } = await target(req);
    const values = valuesFrom(formOf(req), ACCOUNT_FIELDS.filter((f) => f !== 'password'));
    const changes = changesOf(values);
    try {
      await operate(req, { method: 'PATCH', route: '/api/accounts/:id', params, actor, body: changes }, () => accounts.updateAccount(actor, account.id, changes));
      return backTo(reply, BASE, { notice: `Account "${changes.username ?? account.username}" was saved.` });
    } catch (e) {
      return editPage(req, reply, account, { values, error: e });
    }
  });
  accountActionRoutes(ctx, kit);
}
