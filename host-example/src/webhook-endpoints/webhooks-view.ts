import type { DeliveryLogEntry, WebhookEndpoint } from '@plugboard/webhooks';
import { answerBox, checkField, inputField, postForm, refusedBox } from '../admin/config-form';
import type { FormInput, FormValues } from '../admin/config-resource';
import { deliveryLog } from '../admin/delivery-log';
import { html, type SafeHtml } from '../admin/html';
import { actionButton, badge, table } from '../admin/widgets';

/** The fields of the webhook endpoint form, in order. */
export const WEBHOOK_FIELDS = ['name', 'url', 'events', 'realms', 'enabled'] as const;

const link = (e: WebhookEndpoint): string => `/admin/webhooks/${encodeURIComponent(e.id)}`;
const everything = (list: readonly string[], all: string): string => (list.length === 0 ? all : list.join(', '));

/** Text values of a stored endpoint (its secrets are never in the page). */
export function webhookValues(e: WebhookEndpoint): FormValues {
  return { name: e.name, url: e.url, events: e.events.join(', '), realms: e.realms.join(', '), enabled: String(e.enabled) };
}

/** The list of webhook endpoints. */
export function webhookList(endpoints: readonly WebhookEndpoint[]): SafeHtml {
  return html`<p class="lead">Receivers that get a signed POST (Standard Webhooks) when mailboxes, domains or aliases change. <a class="button" href="/admin/webhooks/new">Add a webhook endpoint</a></p>
${table(
  'Webhook endpoints',
  [
    { label: 'Name', cell: (e: WebhookEndpoint) => html`<a href="${link(e)}">${e.name}</a>` },
    { label: 'State', cell: (e: WebhookEndpoint) => html`${badge(e.enabled ? 'enabled' : 'disabled')}${e.disabledReason !== undefined ? html` <span class="muted">${e.disabledReason}</span>` : ''}` },
    { label: 'URL', cell: (e: WebhookEndpoint) => html`<code>${e.url}</code>` },
    { label: 'Events', cell: (e: WebhookEndpoint) => everything(e.events, 'every event') },
    { label: 'Signing secrets', cell: (e: WebhookEndpoint) => e.secrets.join(' ') },
    {
      label: 'Actions',
      cell: (e: WebhookEndpoint) =>
        html`<div class="actions"><a href="${link(e)}" aria-label="Edit, ping or see deliveries of ${e.name}">Edit / ping / log</a>${actionButton(`${link(e)}/delete`, { id: `webhook-${e.id}-delete`, label: 'Delete', ariaLabel: `Delete webhook endpoint ${e.name}`, className: 'danger', confirm: `Delete webhook endpoint "${e.name}"?` })}</div>`,
    },
  ],
  endpoints,
  'No webhook endpoint yet: add one to tell another system about new mailboxes and domains.',
)}`;
}

/** Create or edit form of an endpoint. */
export function webhookForm(o: FormInput): SafeHtml {
  const v = (k: string): string => o.values[k] ?? '';
  const bad = o.refused;
  return postForm(
    o.action,
    html`${refusedBox('The webhook endpoint', bad)}
${inputField({ name: 'name', label: 'Name', value: v('name'), required: true, invalid: bad, help: 'Rules of the WebHook module name the endpoint by it.' })}
${inputField({ name: 'url', label: 'Receiver URL', type: 'url', value: v('url'), required: true, invalid: bad, help: 'http:// or https://, e.g. https://crm.example.com/hooks' })}
${inputField({ name: 'events', label: 'Events', value: v('events'), invalid: bad, help: 'Comma-separated (AccountCreated, DomainDeleted); empty = every event.' })}
${inputField({ name: 'realms', label: 'Realms', value: v('realms'), invalid: bad, help: 'Comma-separated; empty = every realm.' })}
${checkField({ name: 'enabled', label: 'Enabled', checked: v('enabled') !== 'false', help: 'A disabled endpoint gets nothing until enabled again.' })}
${o.editing ? '' : html`<p class="help">A signing secret is generated and shown once after saving.</p>`}
<div class="actions"><button type="submit" id="webhook-save">Save webhook endpoint</button> <a href="/admin/webhooks">Cancel</a></div>`,
  );
}

/** The signing secret of a new endpoint, shown this once. */
export function secretOnce(name: string, secret: string): SafeHtml {
  return html`<div class="card" id="signing-secret"><h2>Signing secret of "${name}"</h2><p>Give it to the receiver's owner now: it is stored encrypted and never shown again.</p><p><code id="secret-value">${secret}</code></p></div>`;
}

/** Ping button with the endpoint's answer, then the delivery log. */
export function webhookDetail(e: WebhookEndpoint, log: readonly DeliveryLogEntry[], answer?: { readonly ok: boolean; readonly text: string }): SafeHtml {
  return html`<section aria-labelledby="ping-h"><h2 id="ping-h">Ping</h2><p class="help">Sends a signed plugboard.ping now, not queued, even when the endpoint is disabled.</p>
${postForm(`${link(e)}/ping`, html`<div class="actions"><button type="submit" id="webhook-ping">Ping ${e.name}</button></div>`)}${answerBox(answer)}</section>
${deliveryLog('Delivery log', { label: 'Event', cell: (d: DeliveryLogEntry) => d.event }, log, 'Nothing was sent to this endpoint yet.')}`;
}
