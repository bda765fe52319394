import type { Command } from 'commander';
import { operate, type CommandDeps } from '../cli/command-deps';
import { withExamples } from '../cli/help-examples';

/**
 * `domains list|create|delete`: each runs as its API operation (`GET /api/domains`, `POST /api/domains`,
 * `DELETE /api/domains/:id`), so the API's rules apply.
 *
 * @example
 * ```ts
 * registerDomainCommands(program, { run, out });
 * ```
 */
export function registerDomainCommands(program: Command, { run, out }: CommandDeps): void {
  const domains = withExamples(
    program.command('domains').description('domains (SuperAdmins and Resellers create them)'),
    'domains create example.com --quota 100',
    'domains list',
    '--as reseller domains delete example.com',
  );
  domains
    .command('list')
    .description('the domains you manage, one per line: type, name')
    .action(
      run(async (host, user) => {
        const { entries } = await operate(host, user, { method: 'GET', route: '/api/domains' }, () => host.service.resources.domains.listDomains(user));
        for (const e of entries) out(`${e.type}\t${e.name}`);
      }),
    );
  domains
    .command('create <name>')
    .description('create a domain (as POST /api/domains: its pre rules may refuse it)')
    .option('--quota <mb>', 'default mailbox quota (MB)')
    .action(
      run(async (host, user, name: string, o: { quota?: string }) => {
        const input = { name, ...(o.quota !== undefined ? { quota: Number(o.quota) } : {}) };
        const d = await operate(host, user, { method: 'POST', route: '/api/domains', body: input }, () => host.service.resources.domains.createDomain(user, input), 201);
        out(`created domain ${d.name} (id ${d.id})`);
      }),
    );
  domains
    .command('delete <name>')
    .description('delete a domain and its accounts (as DELETE /api/domains/:id)')
    .action(
      run(async (host, user, name: string) => {
        const domains = host.service.resources.domains;
        const { id } = await domains.requireDomain(user, name);
        await operate(host, user, { method: 'DELETE', route: '/api/domains/:id', params: { id: String(id) } }, () => domains.deleteDomain(user, id), 204);
        out(`deleted domain ${name}`);
      }),
    );
}
