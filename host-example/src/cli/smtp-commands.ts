import { Option, type Command } from 'commander';
import { operate, pluginAdmin, type CommandDeps } from './command-deps';
import { withExamples } from './help-examples';

/**
 * `smtp list|add|remove`: named SMTP configurations (SuperAdmins).
 *
 * @example
 * ```ts
 * registerSmtpCommands(program, { run, out });
 * ```
 */
export function registerSmtpCommands(program: Command, { run, out }: CommandDeps): void {
  const smtp = withExamples(
    program.command('smtp').description('named SMTP configurations (SuperAdmins)'),
    'smtp add local --host 127.0.0.1 --port 2525 --sender noreply@example.com',
    'smtp list',
    'smtp remove local --force',
  );
  smtp.command('list').description('every SMTP configuration, passwords shown as ***').action(
    run((host, user) => {
      for (const c of pluginAdmin(host).listSmtp(user)) out(`${c.name}\t${c.host}:${c.port}\t${c.security}\t${c.sender}\t${c.username === '' ? '-' : `${c.username}:${c.password}`}`);
    }),
  );
  smtp
    .command('add <name>')
    .description('add (or replace) the SMTP configuration <name>')
    .requiredOption('--host <host>', 'SMTP server')
    .requiredOption('--sender <address>', 'From address')
    .option('--port <port>', 'port', '587')
    .option('--sender-name <name>', 'From display name')
    .option('--username <user>', 'login')
    .option('--password <password>', 'password')
    .addOption(new Option('--security <mode>', 'connection security').choices(['tls', 'starttls', 'opportunistic', 'none']).default('starttls'))
    .action(
      run(async (host, user, name: string, o: { host: string; sender: string; port: string; senderName?: string; username?: string; password?: string; security: 'tls' | 'starttls' | 'opportunistic' | 'none' }) => {
        const input = {
          name,
          host: o.host,
          port: Number(o.port),
          sender: o.sender,
          security: o.security,
          ...(o.senderName !== undefined ? { senderName: o.senderName } : {}),
          ...(o.username !== undefined ? { username: o.username } : {}),
          ...(o.password !== undefined ? { password: o.password } : {}),
        };
        const c = await operate(host, user, { method: 'POST', route: '/api/smtp', body: input }, () => pluginAdmin(host).createSmtp(user, input), 201);
        out(`added SMTP configuration ${c.name} (${c.host}:${c.port})`);
      }),
    );
  smtp.command('remove <name>').description('remove an SMTP configuration (refused while rules use it, unless --force)').option('--force', 'remove even though rules use it').action(
    run(async (host, user, name: string, o: { force?: boolean }) => {
      const query = o.force === true ? { force: 'true' } : {};
      await operate(host, user, { method: 'DELETE', route: '/api/smtp/:name', params: { name }, query }, () => pluginAdmin(host).deleteSmtp(user, name, o.force === true), 204);
      out(`removed SMTP configuration ${name}`);
    }),
  );
}
