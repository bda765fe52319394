import type { ActionInfo, HandlerModuleInfo, OptionInfo, Rule, RuleInput, RuleIssue } from '@plugboard/rules';
import { field, type FormBody } from './session';

/** A field value as a form holds it: text, or the selected entries of a multiple select. */
export type DraftValue = string | readonly string[];

/** A rule as the form shows it: every value as text, exactly as typed. */
export interface RuleDraft {
  readonly name: string;
  /** Event names separated by commas or new lines. */
  readonly events: string;
  readonly position: string;
  readonly ordering: string;
  readonly active: boolean;
  readonly abortOnError: boolean;
  /** `Module:action`, or '' when none is chosen. */
  readonly handler: string;
  readonly options: Readonly<Record<string, DraftValue>>;
  readonly conditions: Readonly<Record<string, DraftValue>>;
}

/** A new rule's draft. */
export const EMPTY_DRAFT: RuleDraft = { name: '', events: '', position: 'post', ordering: '0', active: true, abortOnError: false, handler: '', options: {}, conditions: {} };

/** The module and action a draft names (`Module:action`), if both exist. */
export function chosen(modules: readonly HandlerModuleInfo[], handler: string): { module?: HandlerModuleInfo; action?: ActionInfo } {
  const sep = handler.indexOf(':');
  const module = modules.find((m) => m.identifier === (sep < 0 ? handler : handler.slice(0, sep)));
  const action = sep < 0 ? undefined : module?.actions.find((a) => a.name === handler.slice(sep + 1));
  return { ...(module !== undefined ? { module } : {}), ...(action !== undefined ? { action } : {}) };
}

function textOf(value: unknown, spec: OptionInfo): DraftValue {
  if (value === undefined || value === null) return '';
  if (spec.type === 'multi' && Array.isArray(value)) return value.map(String);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const separator = spec.type === 'text' ? '\n' : ',';
  if (Array.isArray(value)) {
    // payload_compare lists of { field, op, value } read back as the line syntax they can be typed in.
    return value
      .map((v: unknown) => (typeof v === 'object' && v !== null && 'field' in v && 'op' in v ? `${String(v.field)} ${String(v.op)} ${String((v as { value?: unknown }).value)}` : String(v)))
      .join(separator);
  }
  if (typeof value === 'object') return Object.entries(value).map(([k, v]) => `${k}=${String(v)}`).join(separator);
  return String(value);
}

/** The draft of a stored rule. */
export function draftOfRule(rule: Rule, modules: readonly HandlerModuleInfo[]): RuleDraft {
  const { module, action } = chosen(modules, `${rule.handlerModule}:${rule.action}`);
  const values = (stored: Readonly<Record<string, unknown>>, specs: readonly OptionInfo[]): Record<string, DraftValue> => {
    const out: Record<string, DraftValue> = {};
    for (const [k, v] of Object.entries(stored)) {
      const spec = specs.find((s) => s.name === k) ?? { name: k, type: 'str', description: '', required: false };
      out[k] = textOf(v, spec);
    }
    return out;
  };
  return {
    name: rule.name,
    events: rule.events.join(', '),
    position: rule.position,
    ordering: String(rule.ordering),
    active: rule.active,
    abortOnError: rule.abortOnError,
    handler: `${rule.handlerModule}:${rule.action}`,
    options: values(rule.options, action?.options ?? []),
    conditions: values(rule.conditions, module?.conditions ?? []),
  };
}

function formValues(form: FormBody, prefix: string, specs: readonly OptionInfo[]): Record<string, DraftValue> {
  const out: Record<string, DraftValue> = {};
  for (const spec of specs) {
    const key = `${prefix}.${spec.name}`;
    if (spec.type === 'multi' && spec.values !== undefined) out[spec.name] = (form[key] ?? []).filter((v) => v !== '');
    else out[spec.name] = field(form, key);
  }
  return out;
}

/**
 * The draft a submitted form describes. Only the options of the chosen action and the
 * conditions of the chosen module are read, so a form for another action leaves nothing behind.
 */
export function draftOfForm(form: FormBody, modules: readonly HandlerModuleInfo[]): RuleDraft {
  const handler = field(form, 'handler');
  const { module, action } = chosen(modules, handler);
  return {
    name: field(form, 'name'),
    events: field(form, 'events'),
    position: field(form, 'position') || 'post',
    ordering: field(form, 'ordering'),
    active: field(form, 'active') === 'true',
    abortOnError: field(form, 'abortOnError') === 'true',
    handler,
    options: formValues(form, 'options', action?.options ?? []),
    conditions: formValues(form, 'conditions', module?.conditions ?? []),
  };
}

function typed(value: DraftValue, spec: OptionInfo): unknown {
  if (Array.isArray(value)) return value.length === 0 ? undefined : value;
  const text = value as string;
  if (text.trim() === '') return undefined;
  if (spec.type === 'bool') return text === 'true';
  // int, multi (comma list) and the rest go as typed: the rules validation converts and names what is wrong.
  return text;
}

/** The `RuleInput` of a draft; unset option and condition fields are left out (the rule takes their defaults). */
export function inputOfDraft(draft: RuleDraft, modules: readonly HandlerModuleInfo[]): RuleInput {
  const sep = draft.handler.indexOf(':');
  const { module, action } = chosen(modules, draft.handler);
  const pick = (values: Readonly<Record<string, DraftValue>>, specs: readonly OptionInfo[]): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const spec of specs) {
      const v = values[spec.name];
      const t = v === undefined ? undefined : typed(v, spec);
      if (t !== undefined) out[spec.name] = t;
    }
    return out;
  };
  const ordering = draft.ordering.trim() === '' ? 0 : Number(draft.ordering);
  return {
    name: draft.name,
    events: draft.events
      .split(/[,\n]/)
      .map((e) => e.trim())
      .filter((e) => e !== ''),
    position: draft.position === 'pre' ? 'pre' : 'post',
    ordering,
    active: draft.active,
    abortOnError: draft.abortOnError,
    handlerModule: sep < 0 ? draft.handler : draft.handler.slice(0, sep),
    action: sep < 0 ? '' : draft.handler.slice(sep + 1),
    options: pick(draft.options, action?.options ?? []),
    conditions: pick(draft.conditions, module?.conditions ?? []),
  };
}

/** The form field an issue path names (`options.emailconfig` → `options.emailconfig`, `events.1` → `events`). */
export function fieldOfIssue(path: string): string {
  if (path.startsWith('options.') || path.startsWith('conditions.')) return path;
  const head = path.split('.')[0];
  return head === 'handlerModule' || head === 'action' ? 'handler' : head;
}

/** Issues grouped by the form field they name. */
export function issuesByField(issues: readonly RuleIssue[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const i of issues) {
    const f = fieldOfIssue(i.path);
    const list = out.get(f) ?? [];
    list.push(i.message);
    out.set(f, list);
  }
  return out;
}
