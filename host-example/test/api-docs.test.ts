import { join } from 'node:path';
import { RelayDomainsExtension } from '../src/extensions/relay-domains';
import { AuditLogExtension } from '../src/extensions/audit-log';
import { registeredApiRoutes } from './api-routes';
import { ADMIN_PASSWORD, start, tempDir, type Running } from './helpers';

interface SchemaObject {
  type?: string;
  properties?: Record<string, SchemaObject>;
  required?: string[];
  additionalProperties?: boolean | SchemaObject;
}
interface OperationObject {
  summary?: string;
  tags?: string[];
  parameters?: { in: string; name: string }[];
  requestBody?: { content: Record<string, { schema: SchemaObject }> };
}
interface OpenApi {
  openapi: string;
  info: { title: string };
  paths: Record<string, Record<string, OperationObject>>;
}

/** `/api/rules/:id` → `/api/rules/{id}`, as OpenAPI writes path parameters. */
const openApiPath = (path: string): string => path.replace(/:([A-Za-z_]+)/g, '{$1}');

describe('the OpenAPI document at /api/docs', () => {
  const tmp = tempDir();
  let run: Running;
  let t: { token: string };
  let doc: OpenApi;
  beforeAll(async () => {
    run = await start(join(tmp.dir, 'docs.sqlite'), [RelayDomainsExtension, AuditLogExtension]);
    t = { token: await run.login('admin', ADMIN_PASSWORD) };
    const res = await run.req('GET', '/api/docs/openapi.json');
    expect(res.status).toBe(200);
    doc = res.body as OpenApi;
  });
  afterAll(async () => {
    await run.stop();
    tmp.cleanup();
  });

  it('is an OpenAPI 3 document, public, listing every registered /api/ route with a summary and tags', () => {
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info.title).toBe('Plugboard host API');
    const routes = registeredApiRoutes(run.host.app().printRoutes({ commonPrefix: false })).filter((r) => !r.includes(' /api/docs'));
    expect(routes.length).toBeGreaterThan(60);
    const missing = routes.filter((r) => {
      const [method, path] = r.split(' ');
      return doc.paths[openApiPath(path)]?.[method.toLowerCase()] === undefined;
    });
    expect(missing).toEqual([]);
    const unlabelled = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => typeof op.summary !== 'string' || op.summary === '' || (op.tags ?? []).length === 0)
        .map(([m]) => `${m} ${path}`),
    );
    expect(unlabelled).toEqual([]);
    expect(Object.keys(doc.paths).every((p) => p.startsWith('/api/') && !p.startsWith('/api/docs'))).toBe(true);
  });

  it('states the query parameters each route takes, the paging ones included', () => {
    const names = (path: string): string[] => (doc.paths[path].get.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name).sort();
    expect(names('/api/domain-aliases')).toEqual(['cursor', 'limit', 'q']);
    expect(names('/api/rules')).toEqual(['active', 'cursor', 'event', 'handlerModule', 'limit', 'position', 'q']);
    expect(names('/api/ext/audit-log/entries')).toEqual(['hook', 'limit']);
    expect(names('/api/hooks')).toEqual([]);
  });

  it('describes the answer of a paged list: its items and nextCursor', () => {
    const ok = (doc.paths['/api/smtp'].get as { responses?: Record<string, { content: Record<string, { schema: SchemaObject }> }> }).responses?.['200'];
    expect(Object.keys(ok?.content['application/json'].schema.properties ?? {}).sort()).toEqual(['configs', 'nextCursor']);
  });

  it('describes request bodies as the API validates them: required fields required, unknown fields refused', async () => {
    const samples: [string, Record<string, unknown>][] = [
      ['/api/domains', { name: 'docs.test' }],
      ['/api/domain-aliases', { name: 'alias-of-docs.test', target: 'docs.test' }],
      ['/api/relaydomains', { name: 'relay.docs.test', targetHost: 'mx.docs.test' }],
      ['/api/smtp', { name: 'docs-smtp', host: '127.0.0.1', sender: 'noreply@docs.test' }],
    ];
    for (const [path, valid] of samples) {
      const schema = doc.paths[path].post.requestBody?.content['application/json'].schema;
      expect({ path, required: [...(schema?.required ?? [])].sort(), closed: schema?.additionalProperties }).toEqual({ path, required: Object.keys(valid).sort(), closed: false });
      for (const field of schema?.required ?? []) {
        const { [field]: _dropped, ...without } = valid;
        const r = await run.req('POST', path, { ...t, body: without });
        expect({ path, field, status: r.status, named: r.body.field }).toEqual({ path, field, status: 400, named: field });
      }
      const unknown = await run.req('POST', path, { ...t, body: { ...valid, notInTheSchema: 1 } });
      expect({ path, status: unknown.status, field: unknown.body.field }).toEqual({ path, status: 400, field: 'notInTheSchema' });
      expect((await run.req('POST', path, { ...t, body: valid })).status).toBe(201);
    }
  });

  it('serves a plain HTML page listing the operations, without scripts from elsewhere', async () => {
    const res = await fetch(`${run.url}/api/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const page = await res.text();
    expect(page).toContain('<a href="/api/docs/openapi.json">');
    expect(page).toContain('<code>/api/domain-aliases</code>');
    expect(page).not.toMatch(/<script|https?:\/\//);
  });
});
