import { html, raw, type SafeHtml } from './html';

/** Sections of the admin page, in navigation order. */
export const SECTIONS = [
  { id: 'domains', label: 'Domains' },
  { id: 'accounts', label: 'Accounts' },
  { id: 'extensions', label: 'Extensions' },
  { id: 'hooks', label: 'Hooks' },
  { id: 'rules', label: 'Rules' },
  { id: 'deliveries', label: 'Deliveries' },
  { id: 'smtp', label: 'Mail servers' },
  { id: 'sms-gateways', label: 'SMS gateways' },
  { id: 'webhooks', label: 'Webhooks' },
  { id: 'email-hooks', label: 'Email hooks' },
  { id: 'charts', label: 'Charts' },
  { id: 'events', label: 'Live events' },
] as const;

/** One of {@link SECTIONS}. */
export type SectionId = (typeof SECTIONS)[number]['id'];

/** What every admin page has around its content. */
export interface PageOptions {
  readonly title: string;
  readonly section?: SectionId;
  /** The logged-in administrator's username (absent on the login page). */
  readonly username?: string;
  readonly notice?: string;
  readonly error?: string;
  readonly body: SafeHtml;
}

// htmx swaps 4xx/5xx responses too: every admin response is a complete page that says what went wrong.
const HTMX_CONFIG = JSON.stringify({
  responseHandling: [
    { code: '204', swap: false },
    { code: '...', swap: true },
  ],
  historyCacheSize: 0,
  includeIndicatorStyles: false,
  allowEval: false,
});

/**
 * A complete admin page: skip link, navigation (current section marked `aria-current`),
 * log-out button, notices, and the content in `<main>`. Works without scripts; htmx and its
 * SSE extension are served by the host itself.
 */
export function page(o: PageOptions): SafeHtml {
  const nav =
    o.username === undefined
      ? html``
      : html`<nav aria-label="Admin sections"><ul>${SECTIONS.map(
          (s) => html`<li><a href="/admin/${s.id}"${raw(o.section === s.id ? ' aria-current="page"' : '')}>${s.label}</a></li>`,
        )}</ul></nav>
        <form method="post" action="/admin/logout"><span class="who">${o.username}</span> <button type="submit" class="secondary">Log out</button></form>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="htmx-config" content="${HTMX_CONFIG}">
<title>${o.title} · Plugboard admin</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/admin/assets/admin.css">
<script src="/admin/assets/htmx.min.js" defer></script>
<script src="/admin/assets/sse.js" defer></script>
<script src="/admin/assets/admin.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top"><span class="brand">Plugboard admin</span>${nav}</header>
<main id="main" tabindex="-1">
<h1>${o.title}</h1>
${o.notice !== undefined && o.notice !== '' ? html`<p class="notice" role="status">${o.notice}</p>` : ''}
${o.error !== undefined && o.error !== '' ? html`<p class="notice error" role="alert">${o.error}</p>` : ''}
${o.body}
</main>
</body>
</html>`;
}

/** Formats a date for tables: ISO without milliseconds, UTC. */
export function when(d: Date | undefined): string {
  return d === undefined ? '—' : d.toISOString().replace(/\.\d{3}Z$/, 'Z').replace('T', ' ');
}
