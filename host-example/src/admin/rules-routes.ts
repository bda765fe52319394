import { PlugboardError } from '@plugboard/core';
import { RuleValidationError, type HandlerModuleInfo, type RuleIssue } from '@plugboard/rules';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HostError } from '../errors';
import type { AdminHost } from './admin-host';
import { back, formOf, queryForm, type AdminPage } from './admin-page';
import { runPageAction } from './page-operation';
import { html } from './html';
import { draftOfForm, draftOfRule, EMPTY_DRAFT, inputOfDraft, issuesByField, type RuleDraft } from './rule-draft';
import { ruleForm, rulesView } from './rules-view';

const idParams = { type: 'object', properties: { id: { type: 'string', pattern: '^[1-9][0-9]{0,9}$' } }, required: ['id'] } as const;

/** The helpers the rules routes share: the rules engine (or a 404 page without one) and the rule form page. */
interface RuleHelpers {
  readonly rulesOrMissing: (req: FastifyRequest, reply: FastifyReply) => NonNullable<AdminHost['rules']> | undefined;
  readonly formPage: (req: FastifyRequest, reply: FastifyReply, o: { title: string; modules: readonly HandlerModuleInfo[]; draft: RuleDraft; action: string; reload: string; issues?: readonly RuleIssue[] }) => FastifyReply;
}

function ruleHelpers({ section, host }: AdminPage): RuleHelpers {
  const hookNames = (): string[] => host.bus.names();
  const rulesOrMissing = (req: FastifyRequest, reply: FastifyReply): NonNullable<AdminHost['rules']> | undefined => {
    if (host.rules !== undefined) return host.rules;
    section(req, reply, 'rules', 'Rules', html`<p class="card">This host runs without the rules engine.</p>`, 404);
    return undefined;
  };
  const formPage = (
    req: FastifyRequest,
    reply: FastifyReply,
    o: { title: string; modules: readonly HandlerModuleInfo[]; draft: RuleDraft; action: string; reload: string; issues?: readonly RuleIssue[] },
  ): FastifyReply =>
    section(
      req,
      reply,
      'rules',
      o.title,
      ruleForm({ modules: o.modules, draft: o.draft, action: o.action, reload: o.reload, errors: issuesByField(o.issues ?? []), hooks: hookNames() }),
      o.issues !== undefined && o.issues.length > 0 ? 422 : 200,
    );
  return { rulesOrMissing, formPage };
}

/** `/admin/rules`: the list, the new rule form and its creation. */
function newRuleRoutes(page: AdminPage, { rulesOrMissing, formPage }: RuleHelpers): void {
  const { admin, section } = page;
  admin.get('/rules', async (req, reply) => {
    const rules = rulesOrMissing(req, reply);
    if (rules === undefined) return reply;
    return section(req, reply, 'rules', 'Rules', rulesView(await rules.store.list()));
  });
  admin.get('/rules/new', async (req, reply) => {
    const rules = rulesOrMissing(req, reply);
    if (rules === undefined) return reply;
    const modules = rules.registry.list();
    const query = queryForm(req);
    // A reload after choosing another action carries the whole form in the query.
    const draft = query.handler !== undefined ? draftOfForm(query, modules) : EMPTY_DRAFT;
    return formPage(req, reply, { title: 'New rule', modules, draft, action: '/admin/rules', reload: '/admin/rules/new' });
  });
  admin.post('/rules', async (req, reply) => {
    const rules = rulesOrMissing(req, reply);
    if (rules === undefined) return reply;
    const modules = rules.registry.list();
    const draft = draftOfForm(formOf(req), modules);
    try {
      const input = inputOfDraft(draft, modules);
      const rule = await runPageAction(page, req, { method: 'POST', route: '/api/rules', body: input }, () => rules.store.create(input), 201);
      return back(reply, '/admin/rules', { notice: `Rule "${rule.name}" was created.` });
    } catch (e) {
      if (e instanceof RuleValidationError) return formPage(req, reply, { title: 'New rule', modules, draft, action: '/admin/rules', reload: '/admin/rules/new', issues: e.issues });
      throw e;
    }
  });
}

/** `/admin/rules/:id`: the edit form, saving it, and the activate/deactivate/delete actions. */
function editRuleRoutes(page: AdminPage, { rulesOrMissing, formPage }: RuleHelpers): void {
  const { admin } = page;
  admin.get('/rules/:id', { schema: { params: idParams } }, async (req, reply) => {
    const rules = rulesOrMissing(req, reply);
    if (rules === undefined) return reply;
    const id = Number((req.params as { id: string }).id);
    const rule = await rules.store.get(id);
    if (rule === undefined) throw new HostError('PB_HOST_NOT_FOUND', `Rule ${id} does not exist; see the rules list.`);
    const modules = rules.registry.list();
    const query = queryForm(req);
    const draft = query.handler !== undefined ? draftOfForm(query, modules) : draftOfRule(rule, modules);
    return formPage(req, reply, { title: `Rule "${rule.name}"`, modules, draft, action: `/admin/rules/${id}`, reload: `/admin/rules/${id}` });
  });
  admin.post('/rules/:id', { schema: { params: idParams } }, async (req, reply) => {
    const rules = rulesOrMissing(req, reply);
    if (rules === undefined) return reply;
    const id = Number((req.params as { id: string }).id);
    const modules = rules.registry.list();
    const draft = draftOfForm(formOf(req), modules);
    try {
      const input = inputOfDraft(draft, modules);
      const rule = await runPageAction(page, req, { method: 'PATCH', route: '/api/rules/:id', params: { id: String(id) }, body: input }, () => rules.store.update(id, input));
      return back(reply, '/admin/rules', { notice: `Rule "${rule.name}" was saved.` });
    } catch (e) {
      if (e instanceof RuleValidationError) return formPage(req, reply, { title: 'Edit rule', modules, draft, action: `/admin/rules/${id}`, reload: `/admin/rules/${id}`, issues: e.issues });
      if (e instanceof PlugboardError && e.code === 'PB_RULES_NOT_FOUND') throw new HostError('PB_HOST_NOT_FOUND', e.message);
      throw e;
    }
  });
  admin.post(
    '/rules/:id/:op',
    { schema: { params: { type: 'object', properties: { id: idParams.properties.id, op: { type: 'string', enum: ['activate', 'deactivate', 'delete'] } }, required: ['id', 'op'] } } },
    async (req, reply) => {
      const rules = rulesOrMissing(req, reply);
      if (rules === undefined) return reply;
      const { id, op } = req.params as { id: string; op: 'activate' | 'deactivate' | 'delete' };
      const rule = await rules.store.get(Number(id));
      if (rule === undefined) return back(reply, '/admin/rules', { error: `Rule ${id} does not exist any more.` });
      const params = { id: String(rule.id) };
      if (op === 'delete') {
        await runPageAction(page, req, { method: 'DELETE', route: '/api/rules/:id', params }, () => rules.store.delete(rule.id), 204);
        return back(reply, '/admin/rules', { notice: `Rule "${rule.name}" was deleted.` });
      }
      const action = op === 'activate' ? 'enable' : 'disable';
      await runPageAction(page, req, { method: 'POST', route: '/api/rules/:id/:action', params: { ...params, action } }, () => rules.store.setActive(rule.id, op === 'activate'));
      return back(reply, '/admin/rules', { notice: `Rule "${rule.name}" is ${op === 'activate' ? 'active' : 'inactive'}.` });
    },
  );
}

/**
 * The routes of the rules page: `/admin/rules` (list, new, create), `/admin/rules/:id` (edit, save) and its actions.
 *
 * @example
 * ```ts
 * rulesRoutes(page);
 * ```
 */
export function rulesRoutes(page: AdminPage): void {
  const helpers = ruleHelpers(page);
  newRuleRoutes(page, helpers);
  editRuleRoutes(page, helpers);
}
