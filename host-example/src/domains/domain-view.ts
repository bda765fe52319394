import { checkField, inputField, postForm, refusedBox, type Refusal } from '../admin/config-form';
import { html, type SafeHtml } from '../admin/html';
import { listUrl, pager, searchBox, type ListPosition } from '../admin/paged-list';
import { actionButton, badge, table } from '../admin/widgets';
import type { Domain } from '../model';
import type { ListedDomain } from './domain-service';

/** A listing entry that is one of the host's own domains (extensions' entries have their own pages). */
export function isHostedDomain(e: ListedDomain): e is ListedDomain & Domain {
  return e.type === 'domain' && typeof e.id === 'number' && typeof e.quota === 'number' && typeof e.enabled === 'boolean';
}

/** The fields of the domain form, in order (a refusal naming one marks it). */
export const DOMAIN_FIELDS = ['name', 'quota', 'enabled'] as const;

/** A domain form's values as text: what the administrator typed, re-shown after a refusal. */
export type DomainValues = Readonly<Partial<Record<(typeof DOMAIN_FIELDS)[number], string>>>;

const BASE = '/admin/domains';

function domainActions(d: Domain, at: ListPosition): SafeHtml {
  const link = `${BASE}/${d.id}`;
  // The list's position rides along, so the page comes back where the click was.
  const from = listUrl('', at);
  const toggle = !d.enabled ? 'Enable' : 'Disable';
  return html`<div class="actions"><a href="${link}" aria-label="Edit domain ${d.name}">Edit</a>${actionButton(`${link}/toggle${from}`, {
    id: `domain-${d.id}-toggle`,
    label: toggle,
    ariaLabel: `${toggle} domain ${d.name}`,
    className: 'secondary',
  })}${actionButton(`${link}/delete${from}`, {
    id: `domain-${d.id}-delete`,
    label: 'Delete',
    ariaLabel: `Delete domain ${d.name}`,
    className: 'danger',
    confirm: `Delete domain "${d.name}" with all its mailboxes and accounts? This cannot be undone.`,
  })}</div>`;
}

/** The domains list: search box, one page of domains with their actions, and the pager. */
export function domainList(domains: readonly Domain[], at: ListPosition, nextCursor: string | undefined): SafeHtml {
  return html`<p class="lead">Mail domains hosted here: their mailboxes and accounts live under them. <a class="button" href="${BASE}/new">Add a domain</a></p>
${searchBox(BASE, at.q, 'Search domains', 'part of a domain name')}
${table(
  at.q === '' ? 'Domains' : `Domains matching "${at.q}"`,
  [
    { label: 'Domain', cell: (d: Domain) => html`<a href="${BASE}/${d.id}">${d.name}</a>` },
    { label: 'Mailbox quota', cell: (d: Domain) => (d.quota > 0 ? `${d.quota} MB` : 'no limit') },
    { label: 'State', cell: (d: Domain) => (!d.enabled ? badge('disabled', 'disabled') : badge('enabled', 'enabled')) },
    { label: 'Actions', cell: (d: Domain) => domainActions(d, at) },
  ],
  domains,
  at.q === '' ? 'No domain yet: add one, then create its mailboxes on the Accounts page.' : `No domain name contains "${at.q}".`,
)}
${pager(BASE, at, nextCursor, 'domains')}`;
}

/** The create (`editing: false`) or edit form of a domain; a rename is left to the API (it renames every mailbox). */
export function domainForm(o: { readonly action: string; readonly values: DomainValues; readonly editing: boolean; readonly refused?: Refusal }): SafeHtml {
  const v = (k: keyof DomainValues): string => o.values[k] ?? '';
  const bad = o.refused;
  return postForm(
    o.action,
    html`${refusedBox('The domain', bad)}
${inputField({ name: 'name', label: 'Domain name', value: v('name'), required: true, readonly: o.editing, invalid: bad, help: o.editing ? 'Fixed here: renaming a domain renames all its mailboxes.' : 'e.g. example.com; mailboxes will be name@this domain.' })}
${inputField({ name: 'quota', label: 'Default mailbox quota (MB)', type: 'number', value: v('quota'), invalid: bad, help: 'Given to new mailboxes of the domain; 0 means no limit. Empty: the host default.' })}
${checkField({ name: 'enabled', label: 'Domain enabled (receives and sends mail)', checked: v('enabled') !== 'false' })}
<div class="actions"><button type="submit" id="domain-save">Save domain</button> <a href="${BASE}">Cancel</a></div>`,
  );
}
