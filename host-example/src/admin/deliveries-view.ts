import type { AttemptRecord, OutboxMessage, OutboxState } from '@plugboard/outbox';
import { html, type SafeHtml } from './html';
import { when } from './layout';
import { errorText, payloadBlock, shortId } from './delivery-cells';
import { actionButton, badge, table } from './widgets';

/** A message with its attempt history, as the deliveries page shows it. */
export interface DeliveryRow {
  readonly message: OutboxMessage;
  readonly attempts: readonly AttemptRecord[];
  /** Where it goes (recipients, number, endpoint), without secrets; '' when unknown. */
  readonly destination: string;
}

/** What the deliveries page reads. */
export interface DeliveriesViewInput {
  readonly counts: Readonly<Record<OutboxState, number>>;
  readonly state?: OutboxState;
  readonly rows: readonly DeliveryRow[];
  /** Set when the page lists only the messages one rule queued. */
  readonly rule?: { readonly id: string; readonly name: string };
}

const STATES: readonly OutboxState[] = ['pending', 'delivering', 'delivered', 'dead'];

/**
 * One figure: every attempt ever made (the history), not the counter that a retry resets; the
 * attempts since the last retry are said in words when they differ.
 */
function attemptsList(message: OutboxMessage, attempts: readonly AttemptRecord[]): SafeHtml {
  const total = Math.max(attempts.length, message.attempts);
  if (total === 0) return html`<span class="muted">none yet</span>`;
  const sinceRetry = message.attempts < total ? html` <span class="muted">(${message.attempts} since the last retry)</span>` : '';
  return html`<details><summary>${total} attempt${total === 1 ? '' : 's'}</summary>${sinceRetry}<ol class="plan">${attempts.map(
    (a) =>
      html`<li>#${a.attempt} ${badge(a.outcome === 'retry' ? 'pending' : a.outcome, a.outcome)} <span class="muted">${when(a.startedAt)}${
        a.statusCode !== undefined ? ` · ${a.statusCode}` : ''
      }</span>${a.error !== undefined ? html` <span class="problem">${errorText(a.error, a.outcome)}</span>` : ''}${a.detail !== undefined ? html` <span class="muted">${a.detail}</span>` : ''}</li>`,
  )}</ol></details>`;
}

/** The rule (linked to its page) and event that queued a message, from its outbox meta: a dead letter says whose it is. */
function queuedBy(meta: Readonly<Record<string, string>>): SafeHtml {
  const event = meta.event !== undefined ? html`<br><span class="muted">${meta.event}${meta.eventId !== undefined ? ` · event ${meta.eventId}` : ''}</span>` : '';
  if (meta.ruleId === undefined) return html`<span class="muted">—</span>${event}`;
  return html`rule <a href="/admin/rules/${encodeURIComponent(meta.ruleId)}">${meta.rule ?? `#${meta.ruleId}`}</a>${event}`;
}

/** The outbox: counts per state, the messages of the chosen state, attempts, next retry and a retry button for dead letters. */
export function deliveriesView(input: DeliveriesViewInput): SafeHtml {
  const total = STATES.reduce((n, s) => n + (input.counts[s] ?? 0), 0);
  const params = (state: OutboxState | undefined): string => {
    const q = new URLSearchParams({ ...(state !== undefined ? { state } : {}), ...(input.rule !== undefined ? { rule: input.rule.id } : {}) }).toString();
    return q === '' ? '' : `?${q}`;
  };
  const tab = (state: OutboxState | undefined, label: string, n: number): SafeHtml =>
    html`<li><a href="/admin/deliveries${params(state)}"${input.state === state ? html` aria-current="page"` : ''}>${label} (${n})</a></li>`;
  const scope = input.rule !== undefined
    ? html` Showing the messages queued by rule <a href="/admin/rules/${encodeURIComponent(input.rule.id)}">${input.rule.name}</a> (counts are of the whole outbox). <a href="/admin/deliveries">Show all</a>`
    : '';
  return html`<p class="lead">Messages leaving the host (mail, SMS, webhooks) through the durable outbox. Secrets in payloads are masked.${scope}</p>
<nav aria-label="Delivery states"><ul class="tabs">${tab(undefined, 'All', total)}${STATES.map((s) => tab(s, s, input.counts[s] ?? 0))}</ul></nav>
${table(
  'Outbox messages',
  [
    { label: 'Message', cell: (r: DeliveryRow) => html`<code title="${r.message.id}">${shortId(r.message.id)}</code> <span class="muted">${r.message.channel}</span>` },
    { label: 'Destination', cell: (r: DeliveryRow) => html`<span class="mono">${r.destination || '—'}</span>` },
    {
      label: 'State',
      cell: (r: DeliveryRow) =>
        html`${badge(r.message.state)}${r.message.lastError !== undefined && r.message.state !== 'delivered' ? html`<br><span class="problem">${errorText(r.message.lastError, r.message.state)}</span>` : ''}`,
    },
    { label: 'Attempts', cell: (r: DeliveryRow) => attemptsList(r.message, r.attempts) },
    {
      label: 'Next retry',
      cell: (r: DeliveryRow) =>
        r.message.state === 'pending' ? when(r.message.nextAttemptAt) : r.message.state === 'delivered' ? html`<span class="muted">delivered ${when(r.message.deliveredAt)}</span>` : '—',
    },
    { label: 'Queued by', cell: (r: DeliveryRow) => queuedBy(r.message.meta) },
    { label: 'Created', cell: (r: DeliveryRow) => when(r.message.createdAt) },
    { label: 'Payload', cell: (r: DeliveryRow) => payloadBlock(r.message.payload) },
    {
      label: 'Actions',
      cell: (r: DeliveryRow) =>
        r.message.state === 'dead'
          ? actionButton(`/admin/deliveries/${encodeURIComponent(r.message.id)}/retry`, { id: `msg-${r.message.id}-retry`, label: 'Retry', ariaLabel: `Retry ${r.message.channel} message ${shortId(r.message.id)} to ${r.destination || 'its destination'}` })
          : html`<span class="muted">—</span>`,
    },
  ],
  input.rows,
  input.state === undefined ? 'The outbox is empty.' : `No ${input.state} messages.`,
)}`;
}
