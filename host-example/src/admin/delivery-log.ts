import type { AttemptRecord } from '@plugboard/outbox';
import { html, type SafeHtml } from './html';
import { when } from './layout';
import { badge, table, type Column } from './widgets';

/** What a webhook's or an email hook's delivery log line has in common. */
export interface DeliveryLine {
  readonly messageId: string;
  readonly state: string;
  readonly createdAt: Date;
  readonly attempts: readonly AttemptRecord[];
  readonly lastError?: string;
  readonly nextAttemptAt?: Date;
  readonly deliveredAt?: Date;
}

function attemptsCell(attempts: readonly AttemptRecord[]): SafeHtml {
  if (attempts.length === 0) return html`<span class="muted">not tried yet</span>`;
  return html`<ol class="attempts">${attempts.map(
    (a) => html`<li>${a.outcome}${a.statusCode !== undefined ? html` <code>HTTP ${a.statusCode}</code>` : ''}${a.error !== undefined ? html` — ${a.error}` : ''} <span class="muted">${when(a.finishedAt)}</span></li>`,
  )}</ol>`;
}

function outcomeCell(d: DeliveryLine): SafeHtml {
  if (d.deliveredAt !== undefined) return html`delivered ${when(d.deliveredAt)}`;
  if (d.state === 'dead') return html`gave up${d.lastError !== undefined ? html`: ${d.lastError}` : ''}`;
  if (d.nextAttemptAt !== undefined) return html`next try ${when(d.nextAttemptAt)}${d.lastError !== undefined ? html` <span class="muted">(last: ${d.lastError})</span>` : ''}`;
  return html`—`;
}

/**
 * A delivery log, newest first: what was sent (`what`), its state, every attempt with its
 * status code or error, and when it was delivered, given up or will be tried again.
 */
export function deliveryLog<T extends DeliveryLine>(caption: string, what: Column<T>, lines: readonly T[], empty: string): SafeHtml {
  return html`<section aria-labelledby="log-h"><h2 id="log-h">${caption}</h2>${table(
    caption,
    [
      { label: 'Queued', cell: (d: T) => when(d.createdAt) },
      what,
      { label: 'State', cell: (d: T) => badge(d.state) },
      { label: 'Attempts', cell: (d: T) => attemptsCell(d.attempts) },
      { label: 'Outcome', cell: (d: T) => outcomeCell(d) },
    ],
    lines,
    empty,
  )}</section>`;
}
