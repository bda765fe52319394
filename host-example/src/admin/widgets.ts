import { flag, html, raw, type SafeHtml } from './html';

/** A state badge whose class colours it (`enabled`, `failed`, `dead`, …). */
export function badge(state: string, label: string = state): SafeHtml {
  return html`<span class="badge ${state}">${label}</span>`;
}

/** Options of {@link actionButton}. */
export interface ActionButtonOptions {
  /** Stable id so keyboard focus survives the htmx swap of the page. */
  readonly id: string;
  readonly label: string;
  readonly className?: string;
  readonly disabled?: boolean;
  /** Id of the text explaining why the button is disabled (or what it does). */
  readonly describedBy?: string;
  /** Asked before the request when scripts run (`hx-confirm`). */
  readonly confirm?: string;
  /** Accessible name when the visible label is too short out of context ("Disable" → "Disable limits"). */
  readonly ariaLabel?: string;
}

/**
 * A POST button in its own form. Without scripts it is a plain form post answered by a
 * redirect back to the page; with htmx the same request replaces `<main>` in place.
 */
export function actionButton(action: string, o: ActionButtonOptions): SafeHtml {
  return html`<form method="post" action="${action}" hx-post="${action}" hx-target="main" hx-select="main" hx-swap="outerHTML"${
    o.confirm !== undefined ? html` hx-confirm="${o.confirm}"` : ''
  }><button type="submit" id="${o.id}" class="${o.className ?? ''}"${flag('disabled', o.disabled === true)}${
    o.describedBy !== undefined ? html` aria-describedby="${o.describedBy}"` : ''
  }${o.ariaLabel !== undefined ? html` aria-label="${o.ariaLabel}"` : ''}>${o.label}</button></form>`;
}

/** One table column: header text and the cell of a row. */
export interface Column<T> {
  readonly label: string;
  readonly cell: (row: T) => SafeHtml | string | number;
  readonly className?: string;
}

/**
 * A table that reads as stacked cards on narrow screens: each cell carries its column label
 * (`data-label`), shown by the stylesheet when the header row is hidden.
 */
export function table<T>(caption: string, columns: readonly Column<T>[], rows: readonly T[], empty: string): SafeHtml {
  if (rows.length === 0) return html`<p class="card muted">${empty}</p>`;
  return html`<div class="table-wrap"><table class="cards"><caption class="visually-hidden">${caption}</caption>
<thead><tr>${columns.map((c) => html`<th scope="col"${c.className ? html` class="${c.className}"` : ''}>${c.label}</th>`)}</tr></thead>
<tbody>${rows.map(
    (r) => html`<tr>${columns.map((c) => html`<td data-label="${c.label}"${c.className ? html` class="${c.className}"` : ''}><div>${c.cell(r)}</div></td>`)}</tr>`,
  )}</tbody></table></div>`;
}

/** A `<select>`'s options with `selected` set on the matching values. */
export function options(values: readonly (readonly [value: string, label: string])[], selected: readonly string[]): SafeHtml {
  return html`${values.map(([v, l]) => html`<option value="${v}"${flag('selected', selected.includes(v))}>${l}</option>`)}`;
}

/** Text hidden visually but read by screen readers. */
export function srOnly(text: string): SafeHtml {
  return html`<span class="visually-hidden">${text}</span>`;
}

/** Separator used between inline items. */
export const DOT = raw(' · ');
