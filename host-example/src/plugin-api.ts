import { emailHookConfigSchema, smsGatewayConfigSchema, smtpConfigSchema, type EmailHookConfigInput, type EmailHookConfigPatch, type SmsGatewayConfigInput, type SmtpConfigInput } from '@plugboard/notify';
import type { OutboxState } from '@plugboard/outbox';
import type { EventLogQuery, EventLogStatus, RuleInput, RulePatch, RulePosition } from '@plugboard/rules';
import { endpointInputSchema, type EndpointInput, type EndpointPatch } from '@plugboard/webhooks';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { nextOffsetCursor, offsetOf, pagedQuery, pagedResponse, pageOf, type PageQuery } from './api/paging';
import type { RouteAccess } from './extension-routes';
import type { User } from './model';
import type { PluginAdmin } from './plugin-service';
import { closed, emailHookCreate, emailHookPatch, endpointFields, forceQuery, forced, idOf, idParams, intString, keyOf, keyParams, nameOf, nameParams, nonEmpty, ruleFields, secretsOf, smsFields, smtpFields } from './plugin-schemas';

/** What the plugin routes need from the API. */
export interface PluginRouteDeps {
  readonly admin: PluginAdmin;
  readonly auth: (req: FastifyRequest, access?: RouteAccess) => User;
  /** The API's route events (`POST /api/domains`…), known once every route is declared. */
  readonly apiEvents: () => readonly string[];
}

/**
 * The plugins' HTTP API: rules (CRUD, enable/disable, handler modules, bindable events, event
 * log), SMTP and SMS configurations, webhook endpoints and stored email hooks with their
 * delivery logs, and the outbox
 * (dead letters retried). Bodies are schema-validated; secrets are always masked `***`.
 */
export function registerPluginRoutes(app: FastifyInstance, deps: PluginRouteDeps): void {
  for (const routes of [ruleRoutes, channelRoutes, webhookRoutes, emailHookRoutes, outboxRoutes]) routes(app, deps);
}

/** The rules routes. */
function ruleRoutes(app: FastifyInstance, deps: PluginRouteDeps): void {
  const { admin, auth } = deps;
  app.get('/api/handler-modules', async (req) => ({ modules: admin.handlerModules(auth(req, 'admin')) }));
  app.get('/api/rules/events', async (req) => admin.ruleEvents(auth(req, 'admin'), deps.apiEvents()));
  app.get(
    '/api/rules/log',
    {
      schema: {
        querystring: closed({
          ruleId: { type: 'string', pattern: '^[1-9][0-9]{0,9}$' },
          event: nonEmpty,
          status: { type: 'string', enum: ['ok', 'queued', 'failed', 'skipped'] },
          position: { type: 'string', enum: ['pre', 'post'] },
          limit: intString,
          offset: intString,
          cursor: { type: 'string', minLength: 1 },
        }),
      },
    },
    async (req) => {
      const q = req.query as { ruleId?: string; event?: string; status?: EventLogStatus; position?: RulePosition; limit?: string; offset?: string; cursor?: string };
      // The log answers at most 1000 entries a page: a larger limit would end the paging early.
      const limit = Math.min(q.limit !== undefined ? Number(q.limit) : 100, 1000);
      const offset = offsetOf(q);
      const query: EventLogQuery = {
        ...(q.ruleId !== undefined ? { ruleId: Number(q.ruleId) } : {}),
        ...(q.event !== undefined ? { event: q.event } : {}),
        ...(q.status !== undefined ? { status: q.status } : {}),
        ...(q.position !== undefined ? { position: q.position } : {}),
        limit,
        offset,
      };
      const entries = await admin.eventLog(auth(req, 'superadmin'), query);
      return { entries, nextCursor: nextOffsetCursor(offset, limit, entries.length) };
    },
  );
  app.get(
    '/api/rules',
    { schema: { summary: 'List the rules, filtered (q, limit, cursor)', querystring: pagedQuery({ active: { type: 'string', enum: ['true', 'false'] }, event: nonEmpty, handlerModule: nonEmpty, position: { type: 'string', enum: ['pre', 'post'] } }), response: pagedResponse('rules') } },
    async (req) => {
      const q = req.query as PageQuery & { active?: string; event?: string; handlerModule?: string; position?: RulePosition };
      const rules = await admin.listRules(auth(req, 'superadmin'), {
        ...(q.active !== undefined ? { active: q.active === 'true' } : {}),
        ...(q.event !== undefined ? { event: q.event } : {}),
        ...(q.handlerModule !== undefined ? { handlerModule: q.handlerModule } : {}),
        ...(q.position !== undefined ? { position: q.position } : {}),
      });
      const page = pageOf(rules, q, { key: (r) => [r.ordering, r.id], text: (r) => [r.name, r.handlerModule, r.action, ...r.events] });
      return { rules: page.items, nextCursor: page.nextCursor };
    },
  );
  app.post('/api/rules', { schema: { body: closed(ruleFields, ['name', 'events', 'handlerModule', 'action']) } }, async (req, reply) =>
    reply.code(201).send(await admin.createRule(auth(req, 'superadmin'), req.body as RuleInput)),
  );
  app.get('/api/rules/:id', { schema: { params: idParams } }, async (req) => admin.rule(auth(req, 'superadmin'), idOf(req)));
  app.get('/api/rules/:id/deliveries', { schema: { params: idParams, querystring: closed({ limit: intString }) } }, async (req) => {
    const { limit } = req.query as { limit?: string };
    return { deliveries: await admin.ruleDeliveries(auth(req, 'superadmin'), idOf(req), limit !== undefined ? Number(limit) : undefined) };
  });
  app.patch('/api/rules/:id', { schema: { params: idParams, body: closed(ruleFields) } }, async (req) => admin.updateRule(auth(req, 'superadmin'), idOf(req), req.body as RulePatch));
  app.delete('/api/rules/:id', { schema: { params: idParams } }, async (req, reply) => {
    await admin.deleteRule(auth(req, 'superadmin'), idOf(req));
    return reply.code(204).send();
  });
  app.post(
    '/api/rules/:id/:action',
    { schema: { params: { type: 'object', properties: { id: idParams.properties.id, action: { type: 'string', enum: ['enable', 'disable'] } }, required: ['id', 'action'] } } },
    async (req) => admin.setRuleActive(auth(req, 'superadmin'), idOf(req), (req.params as { action: string }).action === 'enable'),
  );
}

/** The SMTP configurations and SMS gateways routes. */
function channelRoutes(app: FastifyInstance, deps: PluginRouteDeps): void {
  const { admin, auth } = deps;
  app.get('/api/smtp', { schema: { summary: 'List the SMTP configurations (q, limit, cursor)', querystring: pagedQuery(), response: pagedResponse('configs') } }, async (req) => {
    const page = pageOf(admin.listSmtp(auth(req, 'superadmin')), req.query as PageQuery, { key: (c) => c.name, text: (c) => [c.name, c.host, c.sender] });
    return { configs: page.items, nextCursor: page.nextCursor };
  });
  app.post('/api/smtp', { config: secretsOf(smtpConfigSchema), schema: { body: closed(smtpFields, ['name', 'host', 'sender']) } }, async (req, reply) =>
    reply.code(201).send(await admin.createSmtp(auth(req, 'superadmin'), req.body as SmtpConfigInput)),
  );
  app.get('/api/smtp/:name', { schema: { params: nameParams } }, async (req) => admin.smtp(auth(req, 'superadmin'), nameOf(req)));
  const { name: _smtpName, ...smtpPatch } = smtpFields;
  app.patch('/api/smtp/:name', { config: secretsOf(smtpConfigSchema), schema: { params: nameParams, body: closed(smtpPatch) } }, async (req) =>
    admin.updateSmtp(auth(req, 'superadmin'), nameOf(req), req.body as Partial<SmtpConfigInput>),
  );
  app.delete('/api/smtp/:name', { schema: { params: nameParams, querystring: forceQuery } }, async (req, reply) => {
    await admin.deleteSmtp(auth(req, 'superadmin'), nameOf(req), forced(req));
    return reply.code(204).send();
  });
  app.get('/api/sms-gateways', { schema: { summary: 'List the SMS gateways (q, limit, cursor)', querystring: pagedQuery(), response: pagedResponse('gateways') } }, async (req) => {
    const page = pageOf(admin.listSms(auth(req, 'superadmin')), req.query as PageQuery, { key: (g) => g.name, text: (g) => [g.name, g.url] });
    return { gateways: page.items, nextCursor: page.nextCursor };
  });
  app.post('/api/sms-gateways', { config: secretsOf(smsGatewayConfigSchema), schema: { body: closed(smsFields, ['name', 'url']) } }, async (req, reply) =>
    reply.code(201).send(await admin.createSms(auth(req, 'superadmin'), req.body as SmsGatewayConfigInput)),
  );
  const { name: _smsName, ...smsPatch } = smsFields;
  app.patch('/api/sms-gateways/:name', { config: secretsOf(smsGatewayConfigSchema), schema: { params: nameParams, body: closed(smsPatch) } }, async (req) =>
    admin.updateSms(auth(req, 'superadmin'), nameOf(req), req.body as Partial<SmsGatewayConfigInput>),
  );
  app.delete('/api/sms-gateways/:name', { schema: { params: nameParams, querystring: forceQuery } }, async (req, reply) => {
    await admin.deleteSms(auth(req, 'superadmin'), nameOf(req), forced(req));
    return reply.code(204).send();
  });
}

/** The webhook endpoints routes. */
function webhookRoutes(app: FastifyInstance, deps: PluginRouteDeps): void {
  const { admin, auth } = deps;
  app.get('/api/webhooks', { schema: { summary: 'List the webhook endpoints (q, limit, cursor)', querystring: pagedQuery(), response: pagedResponse('endpoints') } }, async (req) => {
    const page = pageOf(await admin.listWebhooks(auth(req, 'superadmin')), req.query as PageQuery, { key: (e) => e.name, text: (e) => [e.name, e.url, ...e.events] });
    return { endpoints: page.items, nextCursor: page.nextCursor };
  });
  app.post('/api/webhooks', { config: secretsOf(endpointInputSchema), schema: { body: closed(endpointFields, ['name', 'url']) } }, async (req, reply) =>
    reply.code(201).send(await admin.createWebhook(auth(req, 'superadmin'), req.body as EndpointInput)),
  );
  app.get('/api/webhooks/:id', { schema: { params: keyParams } }, async (req) => admin.webhook(auth(req, 'superadmin'), keyOf(req)));
  const { secrets: _secrets, ...endpointPatch } = endpointFields;
  app.patch('/api/webhooks/:id', { config: secretsOf(endpointInputSchema), schema: { params: keyParams, body: closed(endpointPatch) } }, async (req) =>
    admin.updateWebhook(auth(req, 'superadmin'), keyOf(req), req.body as EndpointPatch),
  );
  app.delete('/api/webhooks/:id', { schema: { params: keyParams, querystring: forceQuery } }, async (req, reply) => {
    await admin.removeWebhook(auth(req, 'superadmin'), keyOf(req), forced(req));
    return reply.code(204).send();
  });
  app.get('/api/webhooks/:id/deliveries', { schema: { params: keyParams, querystring: closed({ limit: intString }) } }, async (req) => {
    const limit = (req.query as { limit?: string }).limit;
    return { deliveries: await admin.webhookLog(auth(req, 'superadmin'), keyOf(req), limit !== undefined ? Number(limit) : undefined) };
  });
}

/** The stored email hooks routes. */
function emailHookRoutes(app: FastifyInstance, deps: PluginRouteDeps): void {
  const { admin, auth } = deps;
  app.get('/api/email-hooks', { schema: { summary: 'List the stored email hooks (q, limit, cursor)', querystring: pagedQuery(), response: pagedResponse('hooks') } }, async (req) => {
    const page = pageOf(admin.listEmailHooks(auth(req, 'superadmin')), req.query as PageQuery, { key: (h) => h.name, text: (h) => [h.name, h.kind, ...h.events] });
    return { hooks: page.items, nextCursor: page.nextCursor };
  });
  app.post('/api/email-hooks', { config: secretsOf(emailHookConfigSchema), schema: { body: emailHookCreate } }, async (req, reply) =>
    reply.code(201).send(await admin.createEmailHook(auth(req, 'superadmin'), req.body as EmailHookConfigInput)),
  );
  app.get('/api/email-hooks/:name', { schema: { params: nameParams } }, async (req) => admin.emailHook(auth(req, 'superadmin'), nameOf(req)));
  app.patch('/api/email-hooks/:name', { config: secretsOf(emailHookConfigSchema), schema: { params: nameParams, body: emailHookPatch } }, async (req) =>
    admin.updateEmailHook(auth(req, 'superadmin'), nameOf(req), req.body as EmailHookConfigPatch),
  );
  app.delete('/api/email-hooks/:name', { schema: { params: nameParams } }, async (req, reply) => {
    await admin.removeEmailHook(auth(req, 'superadmin'), nameOf(req));
    return reply.code(204).send();
  });
  app.get('/api/email-hooks/:name/deliveries', { schema: { params: nameParams, querystring: closed({ limit: intString }) } }, async (req) => {
    const limit = (req.query as { limit?: string }).limit;
    return { deliveries: await admin.emailHookLog(auth(req, 'superadmin'), nameOf(req), limit !== undefined ? Number(limit) : undefined) };
  });
}

/** The outbox routes. */
function outboxRoutes(app: FastifyInstance, deps: PluginRouteDeps): void {
  const { admin, auth } = deps;
  app.get(
    '/api/outbox',
    {
      schema: {
        querystring: closed({ state: { type: 'string', enum: ['pending', 'delivering', 'delivered', 'dead'] }, channel: nonEmpty, limit: intString, offset: intString, cursor: { type: 'string', minLength: 1 } }),
      },
    },
    async (req) => {
      const q = req.query as { state?: OutboxState; channel?: string; limit?: string; offset?: string; cursor?: string };
      const limit = q.limit !== undefined ? Number(q.limit) : 100;
      const offset = offsetOf(q);
      const listed = await admin.listOutbox(auth(req, 'superadmin'), {
        ...(q.state !== undefined ? { state: q.state } : {}),
        ...(q.channel !== undefined ? { channel: q.channel } : {}),
        limit,
        offset,
      });
      return { ...listed, nextCursor: nextOffsetCursor(offset, limit, listed.messages.length) };
    },
  );
  app.get('/api/outbox/:id', { schema: { params: keyParams } }, async (req) => admin.outboxMessage(auth(req, 'superadmin'), keyOf(req)));
  app.post('/api/outbox/:id/retry', { schema: { params: keyParams } }, async (req) => admin.retryOutbox(auth(req, 'superadmin'), keyOf(req)));
}
