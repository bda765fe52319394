import type { OutboxState } from '@plugboard/outbox';
import { Option, type Command } from 'commander';
import { operate, pluginAdmin, type CommandDeps } from './command-deps';
import { withExamples } from './help-examples';

/**
 * `outbox list|retry`: outgoing messages (SuperAdmins).
 *
 * @example
 * ```ts
 * registerOutboxCommands(program, { run, out });
 * ```
 */
export function registerOutboxCommands(program: Command, { run, out }: CommandDeps): void {
  const outbox = withExamples(program.command('outbox').description('outgoing messages (SuperAdmins)'), 'outbox list --state dead', 'outbox retry 42');
  outbox
    .command('list')
    .description('the latest outgoing messages: id, state, attempts, destination, last error')
    .addOption(new Option('--state <state>', 'only this state').choices(['pending', 'delivering', 'delivered', 'dead']))
    .option('--limit <n>', 'messages shown', '50')
    .action(
      run(async (host, user, o: { state?: OutboxState; limit: string }) => {
        for (const m of (await pluginAdmin(host).listOutbox(user, { ...(o.state !== undefined ? { state: o.state } : {}), limit: Number(o.limit) })).messages) {
          out(`${m.id}\t${m.channel}\t${m.state}\tattempts ${m.attempts}${m.lastError !== undefined ? `\t${m.lastError}` : ''}`);
        }
      }),
    );
  outbox.command('retry <id>').description('deliver a dead (or pending) message again now').action(
    run(async (host, user, id: string) => {
      const m = await operate(host, user, { method: 'POST', route: '/api/outbox/:id/retry', params: { id } }, () => pluginAdmin(host).retryOutbox(user, id));
      out(`${m.id}\t${m.state}`);
    }),
  );
}
