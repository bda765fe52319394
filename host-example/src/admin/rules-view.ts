import type { HandlerModuleInfo, OptionInfo, Rule } from '@plugboard/rules';
import { flag, html, type SafeHtml } from './html';
import { chosen, type DraftValue, type RuleDraft } from './rule-draft';
import { CONFIG_PAGES } from './config-pages';
import { hostWording } from './module-wording';
import { ruleTagsPanel } from './rule-tags-view';
import { actionButton, badge, options, table } from './widgets';

/** A DOM id for a form field name (option names may contain spaces). */
export function fieldId(name: string): string {
  return `f-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

function defaultText(spec: OptionInfo): string {
  if (spec.default === undefined) return '';
  const d = Array.isArray(spec.default) ? spec.default.join(', ') : String(spec.default);
  return d.length > 80 ? `${d.slice(0, 79)}…` : d;
}

interface FieldParts {
  readonly name: string;
  readonly label: string;
  readonly help?: string;
  readonly required?: boolean;
  readonly errors?: readonly string[];
  /** Shown under the control (e.g. where an empty select's choices are created). */
  readonly hint?: SafeHtml;
}

/** Label, control, help and the server's errors for one field, wired with `aria-describedby`. */
function fieldBox(p: FieldParts, control: (attrs: SafeHtml) => SafeHtml, check = false): SafeHtml {
  const id = fieldId(p.name);
  const errors = p.errors ?? [];
  const described = [errors.length > 0 ? `${id}-error` : '', p.hint !== undefined ? `${id}-hint` : '', p.help !== undefined && p.help !== '' ? `${id}-help` : ''].filter((s) => s !== '').join(' ');
  const attrs = html` id="${id}" name="${p.name}"${flag('required', p.required === true)}${errors.length > 0 ? html` aria-invalid="true"` : ''}${
    described !== '' ? html` aria-describedby="${described}"` : ''
  }`;
  const label = html`<label for="${id}">${p.label}${p.required === true ? html` <span class="req">(required)</span>` : ''}</label>`;
  return html`<div class="field${check ? ' check' : ''}${errors.length > 0 ? ' invalid' : ''}" data-field="${p.name}">
${check ? html`${control(attrs)}${label}` : html`${label}${control(attrs)}`}
${errors.length > 0 ? html`<p class="error" id="${id}-error">${errors.join('; ')}</p>` : ''}
${p.hint !== undefined ? html`<p class="problem" id="${id}-hint">${p.hint}</p>` : ''}
${p.help !== undefined && p.help !== '' ? html`<p class="help" id="${id}-help">${p.help}</p>` : ''}
</div>`;
}

/** For a select with no choices yet: where its choices are created (a stored configuration's page). */
function emptyHint(spec: OptionInfo): { hint?: SafeHtml } {
  const page = CONFIG_PAGES[spec.name];
  if (spec.values === undefined || spec.values.length > 0 || page === undefined) return {};
  return { hint: html`No ${page.what} exists yet: <a href="${page.page}">create one</a> (or <code>POST ${page.api}</code>), then reload this form.` };
}

/** One option or condition field, its control chosen by the declared type. */
function specField(prefix: 'options' | 'conditions', spec: OptionInfo, value: DraftValue | undefined, errors: readonly string[] | undefined): SafeHtml {
  const name = `${prefix}.${spec.name}`;
  const def = defaultText(spec);
  const help = `${spec.description}${def !== '' ? ` Default: ${def}.` : ''}`;
  const parts: FieldParts = { name, label: spec.name, help, required: spec.required, ...(errors !== undefined ? { errors } : {}) };
  const text = typeof value === 'string' ? value : Array.isArray(value) ? value.join(', ') : '';
  switch (spec.type) {
    case 'bool': {
      const on = value === undefined || value === '' ? spec.default === true : text === 'true';
      // The hidden "false" makes an unticked box mean false (not "unset") in a plain form post.
      return html`<input type="hidden" name="${name}" value="false">${fieldBox(parts, (a) => html`<input type="checkbox" value="true"${a}${flag('checked', on)}>`, true)}`;
    }
    case 'int':
      return fieldBox(parts, (a) => html`<input type="number" step="1" inputmode="numeric" value="${text}"${a}>`);
    case 'text':
      return fieldBox(parts, (a) => html`<textarea rows="5"${a}>${text}</textarea>`);
    case 'multi':
      if (spec.values !== undefined) {
        const selected = Array.isArray(value) ? value : text === '' ? [] : text.split(',').map((s) => s.trim());
        return fieldBox({ ...parts, help: `${help} Select one or more.` }, (a) => html`<select multiple size="${Math.min(spec.values?.length ?? 1, 6)}"${a}>${options(spec.values?.map((v) => [v, v] as const) ?? [], selected)}</select>`);
      }
      return fieldBox({ ...parts, help: `${help} Comma-separated.` }, (a) => html`<input type="text" value="${text}"${a}>`);
    default: {
      if (spec.values !== undefined) {
        const selected = text !== '' ? text : typeof spec.default === 'string' ? spec.default : '';
        return fieldBox({ ...parts, ...emptyHint(spec) }, (a) => html`<select${a}><option value="">— choose —</option>${options(spec.values?.map((v) => [v, v] as const) ?? [], [selected])}</select>`);
      }
      if (spec.type === 'regexp') {
        return fieldBox({ ...parts, help: `${help} A regular expression (/pattern/flags allowed).` }, (a) => html`<input type="text" data-regexp spellcheck="false" value="${text}"${a}>`);
      }
      return fieldBox(parts, (a) => html`<input type="text" value="${text}"${a}>`);
    }
  }
}

/** The list of what kept the rule from being saved, each linked to its field when the form has it. */
function errorsSummary(errors: ReadonlyMap<string, readonly string[]>, known: ReadonlySet<string>): SafeHtml | '' {
  if (errors.size === 0) return '';
  return html`<div class="errors-summary" role="alert" tabindex="-1" id="rule-errors"><h2>The rule was not saved</h2><ul>${[...errors.entries()].map(
    ([f, msgs]) => html`<li>${known.has(f) ? html`<a href="#${fieldId(f)}">${f}</a>` : f}: ${msgs.join('; ')}</li>`,
  )}</ul></div>`;
}

/** What the rule form shows. */
export interface RuleFormInput {
  readonly modules: readonly HandlerModuleInfo[];
  readonly draft: RuleDraft;
  /** Where the form posts (`/admin/rules` or `/admin/rules/:id`), and where the field reload reads. */
  readonly action: string;
  readonly reload: string;
  readonly errors: ReadonlyMap<string, readonly string[]>;
  readonly hooks: readonly string[];
}

/**
 * The rule form, built from the handler modules' declarations: choosing the module and action
 * reloads the option fields (htmx; without scripts a "Show options" button does it), each
 * field typed after its option, required ones marked, and the server's errors next to them.
 */
export function ruleForm(raw: RuleFormInput): SafeHtml {
  const input = { ...raw, modules: raw.modules.map(hostWording) };
  const { draft, errors } = input;
  const { module, action } = chosen(input.modules, draft.handler);
  const err = (name: string): readonly string[] | undefined => errors.get(name);
  const known = new Set(['name', 'events', 'position', 'ordering', 'active', 'abortOnError', 'handler']);
  for (const o of action?.options ?? []) known.add(`options.${o.name}`);
  for (const c of module?.conditions ?? []) known.add(`conditions.${c.name}`);
  const conditionsOpen = (module?.conditions ?? []).some((c) => {
    const v = draft.conditions[c.name];
    return (v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0)) || errors.has(`conditions.${c.name}`);
  });
  return html`<form method="post" action="${input.action}" class="stack" id="rule-form">
${errorsSummary(errors, known)}
${fieldBox({ name: 'name', label: 'Name', required: true, ...(err('name') ? { errors: err('name') } : {}) }, (a) => html`<input type="text" value="${draft.name}" autocomplete="off"${a}>`)}
${fieldBox(
  {
    name: 'events',
    label: 'Events',
    required: true,
    help: 'Hook names (AccountCreated) or API events (POST /api/domains), separated by commas; * matches any text.',
    ...(err('events') ? { errors: err('events') } : {}),
  },
  (a) =>
    html`<input type="text" list="hook-names" value="${draft.events}" autocomplete="off" hx-get="${input.reload}" hx-trigger="change" hx-include="closest form" hx-target="#rule-tags" hx-select="#rule-tags" hx-swap="outerHTML"${a}>`,
)}
<datalist id="hook-names">${input.hooks.map((h) => html`<option value="${h}"></option>`)}</datalist>
${fieldBox(
  { name: 'handler', label: 'Handler module and action', required: true, help: module?.description ?? 'What runs when the event happens.', ...(err('handler') ? { errors: err('handler') } : {}) },
  (a) =>
    html`<select${a} hx-get="${input.reload}" hx-trigger="change" hx-include="closest form" hx-target="#rule-form" hx-select="#rule-form" hx-swap="outerHTML"><option value="">— choose —</option>${input.modules.map(
      (m) =>
        html`<optgroup label="${m.identifier}">${m.actions.map(
          (act) => html`<option value="${m.identifier}:${act.name}"${flag('selected', draft.handler === `${m.identifier}:${act.name}`)}>${m.identifier}: ${act.name} — ${act.description}</option>`,
        )}</optgroup>`,
    )}</select>`,
)}
<noscript><button type="submit" class="secondary" formmethod="get" formaction="${input.reload}">Show the options of this action</button></noscript>
${ruleTagsPanel(draft.events, action)}
<fieldset id="rule-options"><legend>Options${action !== undefined ? ` of ${action.name}` : ''}</legend>
${
  action === undefined
    ? html`<p class="muted">Choose a handler module and action to see its options.</p>`
    : action.options.length === 0
      ? html`<p class="muted">This action has no options.</p>`
      : action.options.map((o) => specField('options', o, draft.options[o.name], err(`options.${o.name}`)))
}
</fieldset>
${
  module !== undefined && module.conditions.length > 0
    ? html`<details${flag('open', conditionsOpen)}><summary>Conditions (${module.conditions.length}; every one that is set must hold)</summary>
<fieldset id="rule-conditions"><legend class="visually-hidden">Conditions</legend>${module.conditions.map((c) =>
        specField('conditions', c, draft.conditions[c.name], err(`conditions.${c.name}`)),
      )}</fieldset></details>`
    : ''
}
<fieldset><legend>When it runs</legend>
${fieldBox({ name: 'position', label: 'Position', help: 'pre: before the host does its work (may abort it); post: after it.', ...(err('position') ? { errors: err('position') } : {}) }, (a) =>
  html`<select${a}>${options([['post', 'post'], ['pre', 'pre']], [draft.position])}</select>`,
)}
${fieldBox({ name: 'ordering', label: 'Ordering', help: 'Matching rules run in ascending ordering.', ...(err('ordering') ? { errors: err('ordering') } : {}) }, (a) =>
  html`<input type="number" step="1" inputmode="numeric" value="${draft.ordering}"${a}>`,
)}
<input type="hidden" name="active" value="false">${fieldBox({ name: 'active', label: 'Active' }, (a) => html`<input type="checkbox" value="true"${a}${flag('checked', draft.active)}>`, true)}
<input type="hidden" name="abortOnError" value="false">${fieldBox(
  { name: 'abortOnError', label: 'Abort on error', help: 'When the action fails, stop the event (and the request) instead of continuing.' },
  (a) => html`<input type="checkbox" value="true"${a}${flag('checked', draft.abortOnError)}>`,
  true,
)}
</fieldset>
<div class="actions"><button type="submit" id="rule-save">Save rule</button> <a href="/admin/rules">Cancel</a></div>
</form>`;
}

/** The rules list: each rule with its events, handler, state and actions. */
export function rulesView(rules: readonly Rule[]): SafeHtml {
  return html`<p class="lead">Rules run a handler module's action when an event happens. <a class="button" href="/admin/rules/new">New rule</a></p>
${table(
  'Rules',
  [
    { label: 'Name', cell: (r: Rule) => html`<a href="/admin/rules/${r.id}">${r.name}</a>` },
    { label: 'State', cell: (r: Rule) => badge(r.active ? 'enabled' : 'disabled', r.active ? 'active' : 'inactive') },
    { label: 'Events', cell: (r: Rule) => html`<code>${r.events.join(', ')}</code> <span class="muted">(${r.position})</span>` },
    { label: 'Handler', cell: (r: Rule) => html`${r.handlerModule}: ${r.action}` },
    { label: 'Order', cell: (r: Rule) => r.ordering },
    { label: 'Deliveries', cell: (r: Rule) => html`<a href="/admin/deliveries?rule=${r.id}" aria-label="Deliveries of rule ${r.name}">mail, SMS, webhooks it queued</a>` },
    {
      label: 'Actions',
      cell: (r: Rule) =>
        html`<div class="actions">${actionButton(`/admin/rules/${r.id}/${r.active ? 'deactivate' : 'activate'}`, {
          id: `rule-${r.id}-toggle`,
          label: r.active ? 'Disable' : 'Enable',
          ariaLabel: `${r.active ? 'Disable' : 'Enable'} rule ${r.name}`,
          className: 'secondary',
        })}${actionButton(`/admin/rules/${r.id}/delete`, { id: `rule-${r.id}-delete`, label: 'Delete', ariaLabel: `Delete rule ${r.name}`, className: 'danger', confirm: `Delete rule "${r.name}"?` })}</div>`,
    },
  ],
  rules,
  'No rules yet.',
)}`;
}
