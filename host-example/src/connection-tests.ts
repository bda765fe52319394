import { testSmsGateway, testSmtpConfig, type TestSendResult } from '@plugboard/notify';
import { pingEndpoint, type PingResult } from '@plugboard/webhooks';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isSuperAdmin } from './admin-service';
import { forbidden } from './errors';
import type { RouteAccess } from './extension-routes';
import type { User } from './model';
import type { HostPlugins } from './plugins';

/**
 * "Does this configuration work?" — a test mail through an SMTP configuration, a test SMS
 * through a gateway, a signed ping to a webhook endpoint: sent now, not queued, answered with
 * what the server said. SuperAdmins only (they reach out of the host).
 *
 * @example
 * ```ts
 * const tests = new ConnectionTests(plugins);
 * await tests.smtp(superAdmin, 'relay', 'ops@example.org'); // { ok: true, detail: '250 OK', durationMs: 41 }
 * ```
 */
export class ConnectionTests {
  constructor(private readonly plugins: Pick<HostPlugins, 'notify' | 'webhooks'>) {}

  private superAdmin(actor: User): void {
    if (!isSuperAdmin(actor)) throw forbidden(`Testing a configuration needs a SuperAdmin; you are ${actor.role}.`);
  }

  smtp(actor: User, name: string, to: string): Promise<TestSendResult> {
    this.superAdmin(actor);
    return testSmtpConfig(this.plugins.notify.configs.getSmtp(name), to);
  }

  sms(actor: User, name: string, to: string): Promise<TestSendResult> {
    this.superAdmin(actor);
    return testSmsGateway(this.plugins.notify.configs.getSms(name), to);
  }

  webhook(actor: User, idOrName: string): Promise<PingResult> {
    this.superAdmin(actor);
    return pingEndpoint(this.plugins.webhooks.store, this.plugins.webhooks.client, idOrName);
  }
}

const nameParams = { type: 'object', properties: { name: { type: 'string', minLength: 1 } }, required: ['name'] } as const;
const toBody = { type: 'object', properties: { to: { type: 'string', minLength: 1 } }, required: ['to'], additionalProperties: false } as const;

/**
 * `POST /api/smtp/:name/test {to}`, `POST /api/sms-gateways/:name/test {to}` (200 with the
 * answer, 502 `PB_NOTIFY_TEST_FAILED` naming what the server said) and
 * `POST /api/webhooks/:id/ping` (200 with the endpoint's answer, whatever its status).
 */
export function registerConnectionTestRoutes(app: FastifyInstance, tests: ConnectionTests, auth: (req: FastifyRequest, access?: RouteAccess) => User): void {
  const nameOf = (req: FastifyRequest): string => (req.params as { name: string }).name;
  const toOf = (req: FastifyRequest): string => (req.body as { to: string }).to;
  app.post('/api/smtp/:name/test', { schema: { params: nameParams, body: toBody } }, async (req) => tests.smtp(auth(req, 'superadmin'), nameOf(req), toOf(req)));
  app.post('/api/sms-gateways/:name/test', { schema: { params: nameParams, body: toBody } }, async (req) => tests.sms(auth(req, 'superadmin'), nameOf(req), toOf(req)));
  app.post('/api/webhooks/:id/ping', { schema: { params: { type: 'object', properties: { id: { type: 'string', minLength: 1 } }, required: ['id'] } } }, async (req) =>
    tests.webhook(auth(req, 'superadmin'), (req.params as { id: string }).id),
  );
}
