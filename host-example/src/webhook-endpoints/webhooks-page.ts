import type { EndpointPatch, WebhookEndpoint } from '@plugboard/webhooks';
import { listOf } from '../admin/config-form';
import type { ConfigResource, FormValues } from '../admin/config-resource';
import { registerConfigResource } from '../admin/config-resource';
import type { AdminPageContext } from '../admin/page-context';
import { secretOnce, WEBHOOK_FIELDS, webhookDetail, webhookForm, webhookList, webhookValues } from './webhooks-view';

function inputOf(v: FormValues): Required<EndpointPatch> {
  return { name: v.name ?? '', url: v.url ?? '', events: listOf(v.events ?? ''), realms: listOf(v.realms ?? ''), enabled: v.enabled !== 'false' };
}

/** Webhook endpoints, keyed by id in the page's addresses (names may hold any character). */
export const WEBHOOK_RESOURCE: ConfigResource<WebhookEndpoint> = {
  section: 'webhooks',
  path: '/webhooks',
  title: 'Webhook endpoints',
  noun: 'webhook endpoint',
  fields: WEBHOOK_FIELDS,
  missing: 'This host runs without the webhooks plugin.',
  list: async (s, actor) => webhookList(await s.admin.listWebhooks(actor)),
  find: (s, actor, key) => s.admin.webhook(actor, key),
  keyOf: (e) => e.id,
  apiKey: 'id',
  labelOf: (e) => e.name,
  valuesOf: webhookValues,
  form: webhookForm,
  create: async (s, actor, v) => {
    const { endpoint, generatedSecret } = await s.admin.createWebhook(actor, inputOf(v));
    return { label: endpoint.name, ...(generatedSecret !== undefined ? { shown: secretOnce(endpoint.name, generatedSecret) } : {}) };
  },
  update: async (s, actor, key, v) => void (await s.admin.updateWebhook(actor, key, inputOf(v))),
  remove: (s, actor, key, force) => s.admin.removeWebhook(actor, key, force),
  detail: async (s, actor, e, _form, answer) => webhookDetail(e, await s.admin.webhookLog(actor, e.id), answer),
  check: {
    name: 'ping',
    run: async (s, actor, e) => {
      const r = await s.tests.webhook(actor, e.id);
      if ('error' in r) return { ok: false, text: `The ping to ${e.name} failed after ${Math.round(r.durationMs)} ms: ${r.error}` };
      return { ok: r.ok, text: `${e.name} answered HTTP ${r.statusCode} in ${Math.round(r.durationMs)} ms${r.detail !== '' ? `: ${r.detail}` : ''}` };
    },
  },
};

/**
 * The webhook endpoints page, `/admin/webhooks`: list, add (the generated signing secret shown
 * once), edit (name, URL, events, realms, enabled), delete (refused while rules post to it,
 * then "Delete anyway"), a ping answered by the receiver, and each endpoint's delivery log.
 *
 * @example
 * ```ts
 * registerWebhooksPage(ctx); // inside registerAdmin
 * ```
 */
export function registerWebhooksPage(ctx: AdminPageContext): void {
  registerConfigResource(ctx, WEBHOOK_RESOURCE);
}
