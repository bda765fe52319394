import type { Command } from 'commander';
import { operate, type CommandDeps } from '../cli/command-deps';
import { HostError } from '../errors';
import { withExamples } from '../cli/help-examples';

/**
 * `relaydomains list|create|delete`: each runs as its API operation (`GET /api/relaydomains`,
 * `POST /api/relaydomains`, `DELETE /api/relaydomains/:id`), so the API's rules apply.
 *
 * @example
 * ```ts
 * registerRelayDomainCommands(program, { run, out });
 * ```
 */
export function registerRelayDomainCommands(program: Command, { run, out }: CommandDeps): void {
  const relays = withExamples(
    program.command('relaydomains').description('relay domains: mail for them is relayed to another host'),
    'relaydomains create relay.example.com --target mx.example.net',
    'relaydomains list',
  );
  relays
    .command('list')
    .description('the relay domains you manage, one per line: name, target host, service')
    .action(
      run(async (host, user) => {
        const list = await operate(host, user, { method: 'GET', route: '/api/relaydomains' }, () => host.service.resources.relayDomains.listRelayDomains(user));
        for (const d of list) out(`${d.name}\t${d.targetHost}\t${d.service}`);
      }),
    );
  relays
    .command('create <name>')
    .description('create a relay domain (as POST /api/relaydomains)')
    .requiredOption('--target <host>', 'host mail is relayed to')
    .option('--service <service>', 'service type', 'relay')
    .action(
      run(async (host, user, name: string, o: { target: string; service: string }) => {
        const input = { name, targetHost: o.target, service: o.service };
        const d = await operate(host, user, { method: 'POST', route: '/api/relaydomains', body: input }, () => host.service.resources.relayDomains.createRelayDomain(user, input), 201);
        out(`created relay domain ${d.name} (id ${d.id})`);
      }),
    );
  relays
    .command('delete <name>')
    .description('delete a relay domain (as DELETE /api/relaydomains/:id)')
    .action(
      run(async (host, user, name: string) => {
        const relayDomains = host.service.resources.relayDomains;
        const d = (await relayDomains.listRelayDomains(user)).find((r) => r.name === name.toLowerCase());
        if (d === undefined) throw new HostError('PB_HOST_NOT_FOUND', `Relay domain "${name}" does not exist.`);
        await operate(host, user, { method: 'DELETE', route: '/api/relaydomains/:id', params: { id: String(d.id) } }, () => relayDomains.deleteRelayDomain(user, d.id), 204);
        out(`deleted relay domain ${name}`);
      }),
    );
}
