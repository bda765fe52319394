import { html, type SafeHtml } from './html';
import { when } from './layout';
import type { LoggedCall } from './live-log';
import { badge, options } from './widgets';

/** One call of the live log: hook, outcome, duration, masked arguments and the per-listener report. */
export function callItem(c: LoggedCall): SafeHtml {
  return html`<li data-hook="${c.hook}" data-seq="${c.seq}">
<div class="head"><strong>${c.hook}</strong> ${badge(c.outcome)} <span class="muted">${c.kind} · ${when(c.at)} · ${c.durationMs.toFixed(1)} ms${c.source !== undefined ? ` · from ${c.source}` : ''}</span></div>
${c.error !== undefined ? html`<p class="problem">${c.error}</p>` : ''}
${c.args !== '' ? html`<div class="mono muted">${c.args}</div>` : ''}
${
  c.listeners.length === 0
    ? html`<p class="muted">No listeners.</p>`
    : html`<ul aria-label="Listeners of this call">${c.listeners.map(
        (l) =>
          html`<li><span class="ext">${l.extension}</span> ${badge(l.status)} <span class="muted">${l.durationMs.toFixed(1)} ms</span>${
            l.error !== undefined ? html` <span class="problem">${l.error}</span>` : ''
          }</li>`,
      )}</ul>`
}
</li>`;
}

/** The live event log page: a hook filter, the recent calls, and the SSE stream that prepends new ones. */
export function eventsView(input: { readonly hooks: readonly string[]; readonly hook?: string; readonly recent: readonly LoggedCall[] }): SafeHtml {
  const stream = `/admin/events/stream${input.hook !== undefined ? `?hook=${encodeURIComponent(input.hook)}` : ''}`;
  return html`<p class="lead">Hook calls as they happen, with each listener's outcome and duration. Arguments are shortened; secrets are masked.</p>
<form method="get" action="/admin/events" class="filters" role="search" hx-get="/admin/events" hx-target="#live" hx-select="#live" hx-swap="outerHTML" hx-push-url="true" hx-trigger="change, submit">
<div class="field"><label for="events-hook">Hook</label><select id="events-hook" name="hook"><option value="">All hooks</option>${options(
    input.hooks.map((h) => [h, h] as const),
    input.hook !== undefined ? [input.hook] : [],
  )}</select></div>
<button type="submit">Filter</button>
</form>
<section id="live" data-live aria-labelledby="live-title" hx-ext="sse" sse-connect="${stream}">
<h2 id="live-title">${input.hook !== undefined ? `Calls of ${input.hook}` : 'All calls'}</h2>
<p class="sse-state" aria-live="polite">Connecting…</p>
<ol class="log" id="live-log" sse-swap="call" hx-swap="afterbegin">${input.recent.map((c) => callItem(c))}</ol>
</section>`;
}
