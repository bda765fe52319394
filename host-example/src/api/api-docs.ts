import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { html, raw } from '../admin/html';

/** The parts of an OpenAPI operation the HTML page lists. */
interface Operation {
  readonly summary?: string;
  readonly tags?: readonly string[];
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** What each route group (tag: the first path segment after `/api/`) is about. */
const TAGS: readonly { name: string; description: string }[] = [
  { name: 'login', description: 'Sessions: log in for a bearer token.' },
  { name: 'logout', description: 'Sessions: end the current token.' },
  { name: 'me', description: 'The logged-in account: itself, its password and its parameters.' },
  { name: 'domains', description: 'Mail domains, their owner and extension forms.' },
  { name: 'domain-aliases', description: 'Aliases of a domain.' },
  { name: 'accounts', description: 'Accounts with their mailboxes, passwords, forms and limits.' },
  { name: 'mailbox-aliases', description: 'Mailbox aliases and their recipients.' },
  { name: 'relaydomains', description: 'Relay domains and their transport.' },
  { name: 'relaydomain-aliases', description: 'Aliases of a relay domain.' },
  { name: 'import', description: 'CSV import of domains, accounts and aliases.' },
  { name: 'export', description: 'CSV export.' },
  { name: 'parameters', description: 'Application parameters (SuperAdmins).' },
  { name: 'extensions', description: 'Installed extensions: state, health, enable and disable.' },
  { name: 'extension-packages', description: 'Extension packages added and removed without a restart.' },
  { name: 'hooks', description: 'The hook catalogue with each dispatch plan.' },
  { name: 'rules', description: 'Rules bound to hooks and API calls, and their event log.' },
  { name: 'handler-modules', description: 'The actions rules can run, with their option schemas.' },
  { name: 'smtp', description: 'SMTP configurations for e-mail notifications.' },
  { name: 'sms-gateways', description: 'SMS gateways for SMS notifications.' },
  { name: 'webhooks', description: 'Webhook endpoints and their delivery log.' },
  { name: 'email-hooks', description: 'Stored email hooks and their delivery log.' },
  { name: 'outbox', description: 'Queued notifications: state, attempts, retry of dead letters.' },
];

const STYLE = 'body{font:14px system-ui,sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse}td,th{padding:.2em .8em;text-align:left;border-bottom:1px solid #ddd}code{font-size:13px}';

/** Plain server-rendered HTML listing every operation by tag: readable without a CDN or script. */
function docsPage(paths: Readonly<Record<string, Partial<Record<string, Operation>>>>): string {
  const rows = Object.entries(paths).flatMap(([path, ops]) =>
    METHODS.filter((m) => ops[m] !== undefined).map((m) => ({ tag: ops[m]?.tags?.[0] ?? '', method: m.toUpperCase(), path, summary: ops[m]?.summary ?? '' })),
  );
  rows.sort((a, b) => a.tag.localeCompare(b.tag) || a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Plugboard host API</title><style>${raw(STYLE)}</style></head><body>
<h1>Plugboard host API</h1>
<p>The OpenAPI 3 document: <a href="/api/docs/openapi.json">/api/docs/openapi.json</a>. Send <code>Authorization: Bearer &lt;token&gt;</code> from <code>POST /api/login</code>.</p>
<table><thead><tr><th>Tag</th><th>Method</th><th>Path</th><th>Summary</th></tr></thead><tbody>
${rows.map((r) => html`<tr><td>${r.tag}</td><td>${r.method}</td><td><code>${r.path}</code></td><td>${r.summary}</td></tr>\n`)}</tbody></table></body></html>`.value;
}

/**
 * Registers @fastify/swagger (collecting every `/api/` route's schema as it is declared, so it
 * must come before the routes) and serves the document: `GET /api/docs/openapi.json` and a
 * plain HTML list of the operations at `GET /api/docs`. Both are public: they describe the API's
 * shape, never its data, and every route they list still needs its token.
 *
 * @example
 * ```ts
 * registerApiDocs(app);
 * // curl -s http://127.0.0.1:8080/api/docs/openapi.json | jq '.paths | keys'
 * ```
 */
export function registerApiDocs(app: FastifyInstance): void {
  void app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Plugboard host API', version: '1.0.0', description: 'Errors answer { error, message, field?, extension?, hook?, reason? }; lists take q, limit (1..200, default 50) and cursor, and answer nextCursor.' },
      tags: [...TAGS],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    // Only the JSON API is documented: admin pages, assets and /metrics are not part of it.
    transform: ({ schema, url }) => ({ schema: url.startsWith('/api/') && !url.startsWith('/api/docs') ? schema : { ...schema, hide: true }, url }),
  });
  void app.register(async (scope) => {
    scope.get('/api/docs/openapi.json', { config: { public: true } }, async () => scope.swagger());
    scope.get('/api/docs', { config: { public: true } }, async (_req, reply) =>
      reply.type('text/html; charset=utf-8').send(docsPage((scope.swagger() as { paths?: Record<string, Record<string, Operation>> }).paths ?? {})),
    );
  });
}
