import { PlugboardError } from '@plugboard/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { apiStatus } from '../error-status';
import { HostError } from '../errors';
import type { User } from '../model';
import { flag, html, type SafeHtml } from './html';
import type { AdminPageContext } from './page-context';
import type { FormBody } from './session';
import { options } from './widgets';

/** The SuperAdmin of this request; the admin scope's login check has set it before any handler runs. */
export function actorOf(ctx: AdminPageContext, req: FastifyRequest): User {
  const user = ctx.users.get(req);
  if (user === undefined) throw new HostError('PB_HOST_UNAUTHENTICATED', 'Log in to the admin page first.');
  return user;
}

/** The parsed urlencoded body (the admin scope's parser), or no fields. */
export function formOf(req: FastifyRequest): FormBody {
  const b = req.body;
  return b !== null && typeof b === 'object' ? (b as FormBody) : {};
}

/** Post/redirect/get: back to `path` with a notice or an error shown on top. */
export function backTo(reply: FastifyReply, path: string, outcome: { notice?: string; error?: string }): FastifyReply {
  const q = new URLSearchParams(Object.entries(outcome).filter((e): e is [string, string] => typeof e[1] === 'string'));
  const s = q.toString();
  return reply.redirect(s === '' ? path : `${path}?${s}`, 303);
}

/** A refusal of the service layer, as a page shows it: the API's status and its message. */
export interface Refusal {
  readonly status: number;
  readonly message: string;
  /** The form fields the message names (an invalid port, a missing sender…). */
  readonly fields: ReadonlySet<string>;
}

/**
 * Turns a coded error into a {@link Refusal}; anything else is rethrown (a bug, shown as 500).
 * `fields` are the form's field names: those the message names are marked invalid.
 */
export function refusal(e: unknown, fields: readonly string[]): Refusal {
  if (!(e instanceof PlugboardError)) throw e;
  const named = new Set<string>();
  if (e instanceof HostError && e.field !== undefined) named.add(e.field.split('.')[0]);
  for (const f of fields) {
    // The plugins' messages list fields as "port: must be…" or "url must be…", after "—", ":" or ";".
    if (new RegExp(`(^|[—:;"]\\s?)(settings\\.)?${f}[:\\s"]`).test(e.message)) named.add(f);
  }
  return { status: apiStatus(e.code), message: e.message, fields: named };
}

/** Props of one form field. */
export interface FieldProps {
  readonly name: string;
  readonly label: string;
  readonly value?: string;
  readonly type?: 'text' | 'number' | 'email' | 'password' | 'url' | 'tel';
  readonly help?: string;
  readonly required?: boolean;
  readonly readonly?: boolean;
  readonly invalid?: Refusal | undefined;
  readonly autocomplete?: string;
}

function described(p: FieldProps, bad: boolean): SafeHtml {
  const ids = [bad ? `f-${p.name}-error` : '', p.help !== undefined ? `f-${p.name}-help` : ''].filter((s) => s !== '');
  return html`${bad ? html` aria-invalid="true"` : ''}${ids.length > 0 ? html` aria-describedby="${ids.join(' ')}"` : ''}`;
}

function around(p: FieldProps, control: SafeHtml, check = false): SafeHtml {
  const bad = p.invalid?.fields.has(p.name) === true;
  const label = html`<label for="f-${p.name}">${p.label}${p.required === true ? html` <span class="req">(required)</span>` : ''}</label>`;
  return html`<div class="field${check ? ' check' : ''}${bad ? ' invalid' : ''}" data-field="${p.name}">${check ? html`${control}${label}` : html`${label}${control}`}
${bad ? html`<p class="error" id="f-${p.name}-error">Check this field: ${p.invalid?.message ?? ''}</p>` : ''}
${p.help !== undefined ? html`<p class="help" id="f-${p.name}-help">${p.help}</p>` : ''}</div>`;
}

/** A labelled text input, marked invalid when the refusal names it. */
export function inputField(p: FieldProps): SafeHtml {
  const bad = p.invalid?.fields.has(p.name) === true;
  return around(
    p,
    html`<input type="${p.type ?? 'text'}" id="f-${p.name}" name="${p.name}" value="${p.value ?? ''}" autocomplete="${p.autocomplete ?? 'off'}"${flag('required', p.required === true)}${flag('readonly', p.readonly === true)}${described(p, bad)}>`,
  );
}

/** A labelled textarea (lists, one item a line). */
export function textareaField(p: FieldProps): SafeHtml {
  const bad = p.invalid?.fields.has(p.name) === true;
  return around(p, html`<textarea id="f-${p.name}" name="${p.name}" rows="3" spellcheck="false"${flag('required', p.required === true)}${described(p, bad)}>${p.value ?? ''}</textarea>`);
}

/** A checkbox that posts `true`, or `false` through the hidden field before it. */
export function checkField(p: FieldProps & { readonly checked: boolean }): SafeHtml {
  return html`<input type="hidden" name="${p.name}" value="false">${around(
    p,
    html`<input type="checkbox" id="f-${p.name}" name="${p.name}" value="true"${flag('checked', p.checked)}${described(p, false)}>`,
    true,
  )}`;
}

/** A labelled select. */
export function selectField(p: FieldProps & { readonly values: readonly (readonly [string, string])[] }): SafeHtml {
  const bad = p.invalid?.fields.has(p.name) === true;
  return around(p, html`<select id="f-${p.name}" name="${p.name}"${described(p, bad)}>${options(p.values, [p.value ?? ''])}</select>`);
}

/** A summary of a refused save on top of the form, focusable so the reader lands on it. */
export function refusedBox(what: string, r: Refusal | undefined): SafeHtml {
  if (r === undefined) return html``;
  return html`<div class="errors-summary" role="alert" tabindex="-1" id="form-errors"><h2>${what} was not saved</h2><p>${r.message}</p>${
    r.fields.size > 0 ? html`<ul>${[...r.fields].map((f) => html`<li><a href="#f-${f}">${f}</a></li>`)}</ul>` : ''
  }</div>`;
}

/** What a test send or ping answered, shown under its form. */
export function answerBox(a: { readonly ok: boolean; readonly text: string } | undefined): SafeHtml {
  if (a === undefined) return html``;
  return html`<p class="notice${a.ok ? '' : ' error'}" role="${a.ok ? 'status' : 'alert'}" id="test-answer">${a.text}</p>`;
}

/** Comma- or newline-separated values of a text field, trimmed, empties dropped. */
export function listOf(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** An htmx-enhanced POST form that replaces `<main>` (a plain post without scripts). */
export function postForm(action: string, body: SafeHtml, className = 'stack'): SafeHtml {
  return html`<form method="post" action="${action}" class="${className}" hx-post="${action}" hx-target="main" hx-select="main" hx-swap="outerHTML">${body}</form>`;
}

/** A delete refused because rules use the server: the API's message and a way to delete anyway. */
export function deleteAnyway(path: string, id: string, what: string): SafeHtml {
  return html`<div class="card" id="delete-refused"><p>Deleting anyway makes those rules fail until they are pointed at another ${what}.</p>${postForm(
    path,
    html`<input type="hidden" name="force" value="true"><button type="submit" class="danger" id="${id}">Delete anyway</button>`,
    'inline',
  )}</div>`;
}
