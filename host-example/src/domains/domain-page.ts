import type { FastifyReply, FastifyRequest } from 'fastify';
import { back, type AdminPage } from '../admin/admin-page';
import { actorOf, backTo, formOf, refusal } from '../admin/config-form';
import { valuesFrom } from '../admin/config-resource';
import { html, type SafeHtml } from '../admin/html';
import { pageOperation } from '../admin/page-operation';
import { listQueryAt, listUrl, positionOf } from '../admin/paged-list';
import { idOf, idParams } from '../api/schemas';
import { invalid } from '../errors';
import type { Domain } from '../model';
import type { DomainInput } from './domain-service';
import { DOMAIN_FIELDS, domainForm, domainList, isHostedDomain, type DomainValues } from './domain-view';

/** Domains shown per list page. */
export const DOMAINS_PER_PAGE = 20;
const BASE = '/admin/domains';
// Routes are declared inside the `/admin` scope.
const PATH = '/domains';

/** The form's text → the service's input (the API's body): a quota that is not a whole number is refused naming it. */
function inputOf(v: DomainValues): DomainInput {
  const quota = (v.quota ?? '').trim();
  if (quota !== '' && !/^\d{1,9}$/.test(quota)) throw invalid('quota', 'use a whole number of megabytes (0 for no limit).');
  return { name: (v.name ?? '').trim(), ...(quota !== '' ? { quota: Number(quota) } : {}), enabled: v.enabled !== 'false' };
}

function valuesOf(d: Domain): DomainValues {
  return { name: d.name, quota: String(d.quota), enabled: String(d.enabled) };
}

/**
 * The domains page, `/admin/domains`: a searched, paged list, add, edit (quota, enabled), enable or
 * disable in one click, and delete (asked first). Every change is the API operation it stands for,
 * run through the operation layer, so hooks (`DomainCreated`, `CanCreate`…) and pre/post rules
 * apply as via the API; a refusal is shown with the extension or rule that refused.
 *
 * @example
 * ```ts
 * registerDomainPage(ctx); // inside registerAdmin
 * ```
 */
export function registerDomainPage(ctx: AdminPage): void {
  const domains = ctx.host.service.resources.domains;
  const operate = pageOperation(ctx);
  const listPage = async (req: FastifyRequest, reply: FastifyReply, top: SafeHtml = html``, status = 200): Promise<FastifyReply> => {
    const at = positionOf(req);
    const page = await domains.list(actorOf(ctx, req), { ...listQueryAt(at, DOMAINS_PER_PAGE), type: 'domain' });
    return ctx.section(req, reply, 'domains', 'Domains', html`${top}${domainList(page.items.filter(isHostedDomain), at, page.nextCursor)}`, status);
  };
  const refusedOnList = (req: FastifyRequest, reply: FastifyReply, e: unknown): Promise<FastifyReply> => {
    const r = refusal(e, []);
    return listPage(req, reply, html`<p class="notice error" role="alert" id="action-error">${r.message}</p>`, r.status);
  };
  const editPage = (req: FastifyRequest, reply: FastifyReply, d: Domain, values: DomainValues, e?: unknown): FastifyReply => {
    const refused = e === undefined ? undefined : refusal(e, DOMAIN_FIELDS);
    const form = domainForm({ action: `${BASE}/${d.id}`, values, editing: true, ...(refused ? { refused } : {}) });
    return ctx.section(req, reply, 'domains', `Domain "${d.name}"`, form, refused?.status ?? 200);
  };
  const schema = { params: idParams };

  ctx.admin.get(PATH, (req, reply) => listPage(req, reply));
  ctx.admin.get(`${PATH}/new`, async (req, reply) => ctx.section(req, reply, 'domains', 'Add a domain', domainForm({ action: BASE, values: {}, editing: false })));
  ctx.admin.post(PATH, async (req, reply) => {
    const actor = actorOf(ctx, req);
    const values = valuesFrom(formOf(req), DOMAIN_FIELDS);
    try {
      const input = inputOf(values);
      const d = await operate(req, { method: 'POST', route: '/api/domains', actor, body: input }, () => domains.createDomain(actor, input), 201);
      return backTo(reply, BASE, { notice: `Domain "${d.name}" was added.` });
    } catch (e) {
      const refused = refusal(e, DOMAIN_FIELDS);
      return ctx.section(req, reply, 'domains', 'Add a domain', domainForm({ action: BASE, values, editing: false, refused }), refused.status);
    }
  });
  ctx.admin.get(`${PATH}/:id`, { schema }, async (req, reply) => {
    const d = await domains.requireDomain(actorOf(ctx, req), idOf(req));
    return editPage(req, reply, d, valuesOf(d));
  });
  ctx.admin.post(`${PATH}/:id`, { schema }, async (req, reply) => {
    const actor = actorOf(ctx, req);
    const d = await domains.requireDomain(actor, idOf(req));
    const values = { ...valuesFrom(formOf(req), DOMAIN_FIELDS), name: d.name };
    try {
      const { name: _name, ...changes } = inputOf(values);
      await operate(req, { method: 'PATCH', route: '/api/domains/:id', params: { id: String(d.id) }, actor, body: changes }, () => domains.updateDomain(actor, d.id, changes));
      return backTo(reply, BASE, { notice: `Domain "${d.name}" was saved.` });
    } catch (e) {
      return editPage(req, reply, d, values, e);
    }
  });
  ctx.admin.post(`${PATH}/:id/toggle`, { schema }, async (req, reply) => {
    const actor = actorOf(ctx, req);
    const d = await domains.requireDomain(actor, idOf(req));
    const changes = { enabled: !d.enabled };
    try {
      await operate(req, { method: 'PATCH', route: '/api/domains/:id', params: { id: String(d.id) }, actor, body: changes }, () => domains.updateDomain(actor, d.id, changes));
      return back(reply, listUrl(BASE, positionOf(req)), { notice: `Domain "${d.name}" is now ${changes.enabled ? 'enabled' : 'disabled'}.` });
    } catch (e) {
      return refusedOnList(req, reply, e);
    }
  });
  ctx.admin.post(`${PATH}/:id/delete`, { schema }, async (req, reply) => {
    const actor = actorOf(ctx, req);
    const d = await domains.requireDomain(actor, idOf(req));
    try {
      await operate(req, { method: 'DELETE', route: '/api/domains/:id', params: { id: String(d.id) }, actor }, () => domains.deleteDomain(actor, d.id), 204);
      return back(reply, listUrl(BASE, positionOf(req)), { notice: `Domain "${d.name}" was deleted, with its mailboxes.` });
    } catch (e) {
      return refusedOnList(req, reply, e);
    }
  });
}
