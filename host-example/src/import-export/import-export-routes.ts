import type { FastifyPluginAsync } from 'fastify';
import { body, bool, str } from '../api/schemas';
import type { RouteContext } from '../api/route-context';

const importBody = body({ csv: str, options: body({ continueIfExists: bool, continueOnError: bool, sepchar: { type: 'string', minLength: 1, maxLength: 1 } }) }, ['csv']);

/**
 * The CSV routes: `/api/import/help`, `POST /api/import` (all or none unless `options.continueOnError`),
 * `/api/export/accounts` (without password hashes unless `?passwords=include`) and `/api/export/domains`.
 *
 * @example
 * ```ts
 * await app.register(importExportRoutes({ service, auth }));
 * ```
 */
export function importExportRoutes({ service, auth }: RouteContext): FastifyPluginAsync {
  const csv = service.resources.importExport;
  return async (app) => {
    app.get('/api/import/help', async (req) => {
      auth(req, 'admin');
      return { help: await csv.importHelp() };
    });
    app.post('/api/import', { schema: { body: importBody } }, async (req) => {
      const b = req.body as { csv: string; options?: { continueIfExists?: boolean; continueOnError?: boolean; sepchar?: string } };
      return csv.importCsv(auth(req, 'admin'), b.csv, b.options ?? {});
    });
    // Password hashes leave only when asked for (?passwords=include, SuperAdmins): an export is often mailed around.
    app.get('/api/export/accounts', { schema: { querystring: body({ passwords: { type: 'string', enum: ['include', 'omit'] } }) } }, async (req, reply) => {
      const { passwords } = req.query as { passwords?: 'include' | 'omit' };
      return reply.type('text/csv').send(await csv.exportAccounts(auth(req, 'admin'), { includePasswords: passwords === 'include' }));
    });
    app.get('/api/export/domains', async (req, reply) => reply.type('text/csv').send(await csv.exportDomains(auth(req, 'admin'))));
  };
}
