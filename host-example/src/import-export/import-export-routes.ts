import type { FastifyPluginAsync } from 'fastify';
import { body, bool, str } from '../api/schemas';
import type { RouteContext } from '../api/route-context';

const importBody = body({ csv: str, options: body({ continueIfExists: bool, sepchar: { type: 'string', minLength: 1, maxLength: 1 } }) }, ['csv']);

/**
 * The CSV routes: `/api/import/help`, `POST /api/import`, `/api/export/accounts` and `/api/export/domains`.
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
      const b = req.body as { csv: string; options?: { continueIfExists?: boolean; sepchar?: string } };
      return csv.importCsv(auth(req, 'admin'), b.csv, b.options ?? {});
    });
    app.get('/api/export/accounts', async (req, reply) => reply.type('text/csv').send(await csv.exportAccounts(auth(req, 'admin'))));
    app.get('/api/export/domains', async (req, reply) => reply.type('text/csv').send(csv.exportDomains(auth(req, 'admin'))));
  };
}
