import type { Command } from 'commander';
import { HostError } from '../errors';
import { healthLine, NO_CALLS } from '../extension-health';
import type { Host } from '../host';
import type { User } from '../model';

/** How the CLI runs one command: on a freshly opened host, as the acting user, then closes it. */
export type CommandRunner = <A extends unknown[]>(fn: (host: Host, user: User, ...args: A) => Promise<void> | void) => (...args: A) => Promise<void>;

function superAdminOnly(user: User): void {
  if (user.role !== 'SuperAdmins') throw new HostError('PB_HOST_FORBIDDEN', 'Only SuperAdmins can add or remove extension packages.');
}

/** `extensions list`, `extensions add <source>` and `extensions remove <name>` under the `extensions` command. */
export function registerPackageCommands(exts: Command, deps: { run: CommandRunner; out: (line: string) => void }): void {
  const { run, out } = deps;
  exts
    .command('list')
    .description('every extension (name, version, state with the reason it was disabled, health figures), then every extension package (source, version, state, error)')
    .action(
      run(async (host) => {
        const figures = await host.health.figures();
        for (const e of host.manager.list()) {
          out(`${e.name}\t${e.version}\t${e.state}${e.reason !== undefined ? ` (${e.reason})` : ''}\t${healthLine(figures.get(e.name) ?? NO_CALLS)}`);
        }
        for (const p of host.packages.list()) out(`package ${p.name}\t${p.version}\t${p.state}${p.sandboxed === true ? ' (sandboxed)' : ''}\t${p.source}${p.error !== undefined ? `\t${p.error.code}: ${p.error.message}` : ''}`);
      }),
    );
  exts
    .command('add <source>')
    .description('install an extension package (directory, tarball or npm spec) into the extensions directory and load it; a running server picks it up within a second')
    .action(
      run(async (host, user, source: string) => {
        superAdminOnly(user);
        const p = await host.packages.add(source);
        out(`added package ${p.name} ${p.version}: ${p.state}${p.error !== undefined ? ` (${p.error.code}: ${p.error.message})` : ` (${p.extensions.join(', ')})`}`);
      }),
    );
  exts
    .command('remove <name>')
    .description('unload and uninstall an added extension package; a running server drops it within a second')
    .action(
      run(async (host, user, name: string) => {
        superAdminOnly(user);
        await host.packages.remove(name);
        out(`removed package ${name}`);
      }),
    );
}
