import type { OutboxState } from '@plugboard/outbox';
import { Option, type Command } from 'commander';
import { pluginAdmin, type CommandDeps } from './command-deps';

/**
 * `outbox list|retry`: outgoing messages (SuperAdmins).
 *
 * @example
 * ```ts
 * registerOutboxCommands(program, { run, out });
 * ```
 */
export function registerOutboxCommands(program: Command, { run, out }: CommandDeps): void {
  const outbox = program.command('outbox').description('outgoing messages (SuperAdmins)');
  outbox
    .command('list')
    .addOption(new Option('--state <state>', 'only this state').choices(['pending', 'delivering', 'delivered', 'dead']))
    .option('--limit <n>', 'messages shown', '50')
    .action(
      run((host, user, o: { state?: OutboxState; limit: string }) => {
        for (const m of pluginAdmin(host).listOutbox(user, { ...(o.state !== undefined ? { state: o.state } : {}), limit: Number(o.limit) }).messages) {
          out(`${m.id}\t${m.channel}\t${m.state}\tattempts ${m.attempts}${m.lastError !== undefined ? `\t${m.lastError}` : ''}`);
        }
      }),
    );
  outbox.command('retry <id>').action(
    run((host, user, id: string) => {
      const m = pluginAdmin(host).retryOutbox(user, id);
      out(`${m.id}\t${m.state}`);
    }),
  );
}
