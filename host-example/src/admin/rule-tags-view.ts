import type { ActionInfo } from '@plugboard/rules';
import { eventReference } from '../rule-reference/event-reference';
import { hostTags, TOKEN_TAGS, TOKEN_TAGS_NOTE } from '../rule-reference/host-tags';
import { RULE_EVENTS_DOC } from '../rule-reference/reference-markdown';
import { html, type SafeHtml } from './html';

// An API event name is an upper-case HTTP method, a space and a path.
const API_EVENT = /^[A-Z]+ \//;

/** The event names a draft lists (commas or new lines), without empties and duplicates. */
export function draftEvents(events: string): string[] {
  return [...new Set(events.split(/[,\n]/).map((e) => e.trim()).filter((e) => e !== ''))];
}

function eventFields(name: string): SafeHtml {
  if (name.includes('*')) return html`<p class="muted">A pattern: the fields depend on the event that matches.</p>`;
  if (API_EVENT.test(name)) return html`<p class="muted">An API event: its payload is the request's JSON body, so its fields are the request's.</p>`;
  const ref = eventReference(name);
  if (ref === undefined) return html`<p class="muted">Not an event of the catalogue (an extension's hook, or a typo): its fields are not known here.</p>`;
  return html`<p class="muted">${ref.description} ${ref.hasUser ? 'About an account.' : 'About no account.'}</p>${
    ref.fields.length === 0
      ? html`<p class="muted">No payload fields.</p>`
      : html`<dl class="tag-list">${ref.fields.map((f) => html`<dt><code>{${f.path}}</code></dt><dd>${f.description}</dd>`)}</dl>`
  }`;
}

/**
 * What the rule's text options may use: the action's own tags and, for each chosen event, its
 * payload fields, from the same declarations that the save-time checks and the generated reference
 * read. Reloaded (htmx) when the events or the action change.
 */
export function ruleTagsPanel(events: string, action: ActionInfo | undefined): SafeHtml {
  const names = draftEvents(events);
  const tags = action?.tags === undefined ? undefined : hostTags(action.tags);
  const tokenNote = action?.tags?.some((t) => TOKEN_TAGS.includes(t.name)) === true ? html`<p class="muted">${TOKEN_TAGS_NOTE}</p>` : '';
  return html`<section id="rule-tags" class="card" aria-labelledby="rule-tags-title" aria-live="polite">
<h2 id="rule-tags-title">Tags and payload fields</h2>
${
  tags === undefined
    ? html`<p class="muted">${action === undefined ? 'Choose an action to see the tags it may use.' : 'This action renders no {tags}: it sends the whole payload.'}</p>`
    : html`<details><summary>Tags of ${action?.name ?? ''} (${tags.length})</summary><dl class="tag-list">${tags.map((t) => html`<dt><code>{${t.name}}</code></dt><dd>${t.description}</dd>`)}</dl>${tokenNote}</details>`
}
${
  names.length === 0
    ? html`<p class="muted">Enter events to see the fields each carries.</p>`
    : names.map((n) => html`<details class="event-fields"><summary>Fields of <code>${n}</code></summary>${eventFields(n)}</details>`)
}
<p class="muted">Every event and its fields: <code>${RULE_EVENTS_DOC}</code> (generated from the code).</p>
</section>`;
}
