import type { Command } from 'commander';
import { operate, pluginAdmin, type CommandDeps } from './command-deps';
import { collect } from './rule-commands';
import { withExamples } from './help-examples';

/**
 * `webhooks list|add|remove|log`: webhook endpoints (SuperAdmins).
 *
 * @example
 * ```ts
 * registerWebhookCommands(program, { run, out });
 * ```
 */
export function registerWebhookCommands(program: Command, { run, out }: CommandDeps): void {
  const webhooks = withExamples(
    program.command('webhooks').description('webhook endpoints (SuperAdmins)'),
    'webhooks add crm https://crm.example/hooks --event AccountCreated',
    'webhooks log crm --limit 5',
  );
  webhooks.command('list').description('every webhook endpoint, one per line').action(
    run(async (host, user) => {
      for (const e of await pluginAdmin(host).listWebhooks(user)) {
        out(`${e.id}\t${e.name}\t${e.url}\t${e.events.length > 0 ? e.events.join(',') : '*'}\t${e.enabled ? 'enabled' : `disabled${e.disabledReason ? ` (${e.disabledReason})` : ''}`}`);
      }
    }),
  );
  webhooks
    .command('add <name> <url>')
    .description('add a signed webhook endpoint <name> posting to <url> (prints the secret once)')
    .option('--event <event>', 'event delivered (repeatable; none = every event)', collect, [])
    .option('--realm <realm>', 'realm (repeatable; none = every call)', collect, [])
    .option('--secret <whsec>', 'signing secret (whsec_…); generated when omitted')
    .action(
      run(async (host, user, name: string, url: string, o: { event: string[]; realm: string[]; secret?: string }) => {
        const input = { name, url, events: o.event, realms: o.realm, ...(o.secret !== undefined ? { secrets: [o.secret] } : {}) };
        const { endpoint, generatedSecret } = await operate(host, user, { method: 'POST', route: '/api/webhooks', body: input, secretPaths: ['secrets'] }, () => pluginAdmin(host).createWebhook(user, input), 201);
        out(`added webhook endpoint ${endpoint.name} (id ${endpoint.id})`);
        if (generatedSecret !== undefined) out(`signing secret (shown once): ${generatedSecret}`);
      }),
    );
  webhooks.command('remove <endpoint>').description('remove an endpoint (refused while rules use it, unless --force)').option('--force', 'remove even though rules use it').action(
    run(async (host, user, endpoint: string, o: { force?: boolean }) => {
      const query = o.force === true ? { force: 'true' } : {};
      await operate(host, user, { method: 'DELETE', route: '/api/webhooks/:id', params: { id: endpoint }, query }, () => pluginAdmin(host).removeWebhook(user, endpoint, o.force === true), 204);
      out(`removed webhook endpoint ${endpoint}`);
    }),
  );
  webhooks
    .command('log <endpoint>')
    .description('the latest deliveries to an endpoint, newest first')
    .option('--limit <n>', 'deliveries shown', '20')
    .action(
      run(async (host, user, endpoint: string, o: { limit: string }) => {
        for (const d of await pluginAdmin(host).webhookLog(user, endpoint, Number(o.limit))) {
          const next = d.nextAttemptAt !== undefined ? `\tnext ${d.nextAttemptAt.toISOString()}` : '';
          out(`${d.messageId}\t${d.event}\t${d.state}\tattempts ${d.attempts.length}\t${d.lastStatusCode ?? '-'}${d.lastError !== undefined ? `\t${d.lastError}` : ''}${next}`);
        }
      }),
    );
}
