import type { HookPlan } from '@plugboard/core';
import { z } from 'zod';
import { html, type SafeHtml } from './html';
import { badge, table } from './widgets';

type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  items?: JsonSchema | false;
  prefixItems?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
};

/** A short TypeScript-like text of a JSON schema (`{ name: string; label: string }`, `[string, string]`). */
export function typeText(s: JsonSchema | boolean | undefined, depth = 0): string {
  if (s === undefined || s === true) return 'unknown';
  if (s === false) return 'never';
  if (depth > 4) return '…';
  if (s.enum !== undefined) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (s.const !== undefined) return JSON.stringify(s.const);
  const union = s.anyOf ?? s.oneOf;
  if (union !== undefined) return union.map((u) => typeText(u, depth + 1)).join(' | ');
  const type = Array.isArray(s.type) ? s.type.join(' | ') : s.type;
  switch (type) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'null':
      return type;
    case 'integer':
      return 'number';
    case 'array':
      if (s.prefixItems !== undefined) return `[${s.prefixItems.map((p) => typeText(p, depth + 1)).join(', ')}]`;
      return `${typeText(s.items === undefined ? true : s.items, depth + 1)}[]`;
    case 'object': {
      const props = Object.entries(s.properties ?? {}).map(([k, v]) => `${k}${(s.required ?? []).includes(k) ? '' : '?'}: ${typeText(v, depth + 1)}`);
      const extra = s.additionalProperties;
      if (props.length === 0) return extra === undefined || extra === false ? '{}' : `Record<string, ${typeText(extra === true ? true : extra, depth + 1)}>`;
      return `{ ${props.join('; ')}${extra !== undefined && extra !== false ? '; …' : ''} }`;
    }
    default:
      return 'unknown';
  }
}

/** The result type of a hook: nothing for notify, a list of elements for collect, an object for merge. */
export function resultText(kind: string, schema: unknown): string {
  if (kind === 'notify') return 'void';
  let element = 'unknown';
  if (schema instanceof z.ZodType) {
    try {
      element = typeText(z.toJSONSchema(schema, { unrepresentable: 'any' }) as JsonSchema);
    } catch {
      // A schema zod cannot express as JSON Schema (custom checks): its shape is only known at run time.
      element = 'unknown';
    }
  }
  if (kind === 'collect') return element.includes(' | ') ? `(${element})[]` : `${element}[]`;
  return element;
}

/** What the hook catalogue page reads. */
export interface HooksViewInput {
  readonly plans: readonly HookPlan[];
  /** The zod result schema of a hook, when it declares one. */
  readonly resultSchema: (hook: string) => unknown;
  readonly filter: { readonly q: string; readonly withListeners: boolean };
}

/** The hook catalogue: every hook with kind, arguments, result type and listeners in dispatch order. */
export function hooksView(input: HooksViewInput): SafeHtml {
  const q = input.filter.q.trim().toLowerCase();
  const plans = input.plans.filter((p) => (q === '' || p.hook.toLowerCase().includes(q)) && (!input.filter.withListeners || p.listeners.length > 0));
  return html`<p class="lead">${input.plans.length} hooks. Listeners are shown in dispatch order.</p>
<form method="get" action="/admin/hooks" class="filters" role="search">
<div class="field"><label for="hooks-q">Hook name contains</label><input id="hooks-q" name="q" type="text" value="${input.filter.q}"></div>
<div class="field check"><input id="hooks-with" name="with" type="checkbox" value="1"${input.filter.withListeners ? html` checked` : ''}><label for="hooks-with">Only hooks with listeners</label></div>
<button type="submit">Filter</button>
</form>
${table(
    'Hook catalogue',
    [
      { label: 'Hook', cell: (p: HookPlan) => html`<code id="hook-${p.hook}">${p.hook}</code>${p.description !== undefined ? html`<br><span class="muted">${p.description}</span>` : ''}` },
      { label: 'Kind', cell: (p: HookPlan) => html`${p.kind}${p.async ? ' (async)' : ''}<br><span class="muted">errors: ${p.policy}</span>` },
      { label: 'Arguments', cell: (p: HookPlan) => (p.params.length === 0 ? html`<span class="muted">none</span>` : html`<code>${p.params.join(', ')}</code>`) },
      { label: 'Result', cell: (p: HookPlan) => html`<code>${resultText(p.kind, input.resultSchema(p.hook))}</code>` },
      {
        label: 'Listeners',
        cell: (p: HookPlan) =>
          p.listeners.length === 0
            ? html`<span class="muted">none</span>`
            : html`<ol class="plan">${p.listeners.map(
                (l) => html`<li>${l.extension} ${l.enabled ? '' : badge('disabled')} <span class="muted">${l.listener}, priority ${l.priority}</span></li>`,
              )}</ol>`,
      },
    ],
    plans,
    'No hook matches this filter.',
  )}`;
}
