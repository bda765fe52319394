import { Option, type Command } from 'commander';
import { operate, pluginAdmin, type CommandDeps } from './command-deps';
import { collect } from './rule-commands';
import { withExamples } from './help-examples';

/** The options of `email-hooks add`. */
interface EmailHookFlags {
  kind: 'simple' | 'ses';
  event: string[];
  realm: string[];
  sender: string;
  recipients: string;
  senderName?: string;
  subject?: string;
  host?: string;
  port: string;
  credentials?: string;
  requireTls: boolean;
  configurationSet?: string;
  region?: string;
  endpoint?: string;
}

/** `email-hooks add <name>`. */
function addCommand(emailHooks: Command, { run, out }: CommandDeps): void {
  emailHooks
    .command('add <name>')
    .description('add an email hook <name> mailing each listed hook event')
    .addOption(new Option('--kind <kind>', 'simple (SMTP) or ses (AWS SES v2)').choices(['simple', 'ses']).default('simple'))
    .option('--event <hook>', 'notify hook that triggers it, e.g. AccountCreated (repeatable, at least one)', collect, [])
    .option('--realm <realm>', 'realm (repeatable; none = every call)', collect, [])
    .requiredOption('--sender <address>', 'From address')
    .requiredOption('--recipients <list>', 'comma-separated recipients')
    .option('--sender-name <name>', 'From display name')
    .option('--subject <subject>', 'subject (default: the hook name)')
    .option('--host <host>', 'SMTP server (simple)')
    .option('--port <port>', 'SMTP port (simple)', '587')
    .option('--credentials <user:password>', 'SMTP login (simple), or accessKeyId:secretAccessKey (ses, optional)')
    .option('--no-require-tls', 'send without STARTTLS (simple; local relays only)')
    .option('--configuration-set <name>', 'AWS SES configuration set')
    .option('--region <region>', 'AWS region (ses)')
    .option('--endpoint <url>', 'SES endpoint override (ses)')
    .action(
      run(
        async (
          host,
          user,
          name: string,
          o: EmailHookFlags,
        ) => {
          const input = {
            name,
            kind: o.kind,
            events: o.event,
            realms: o.realm,
            settings: {
              sender: o.sender,
              recipients: o.recipients,
              port: Number(o.port),
              requireTls: o.requireTls,
              ...(o.senderName !== undefined ? { senderName: o.senderName } : {}),
              ...(o.subject !== undefined ? { subject: o.subject } : {}),
              ...(o.host !== undefined ? { host: o.host } : {}),
              ...(o.credentials !== undefined ? { credentials: o.credentials } : {}),
              ...(o.configurationSet !== undefined ? { configurationSet: o.configurationSet } : {}),
              ...(o.region !== undefined ? { region: o.region } : {}),
              ...(o.endpoint !== undefined ? { endpoint: o.endpoint } : {}),
            },
          };
          const h = await operate(host, user, { method: 'POST', route: '/api/email-hooks', body: input }, () => pluginAdmin(host).createEmailHook(user, input), 201);
          out(`added email hook ${h.name} (${h.kind}, on ${h.events.join(',')})`);
        },
      ),
    );
}

/**
 * `email-hooks list|add|remove|log`: stored email hooks, mail sent when a hook happens (SuperAdmins).
 *
 * @example
 * ```ts
 * registerEmailHookCommands(program, { run, out });
 * ```
 */
export function registerEmailHookCommands(program: Command, { run, out }: CommandDeps): void {
  const emailHooks = withExamples(
    program.command('email-hooks').description('stored email hooks: mail sent when a hook happens (SuperAdmins)'),
    'email-hooks add ops --event AccountCreated --sender noreply@example.com --recipients ops@example.com --host 127.0.0.1 --port 2525',
    'email-hooks log ops',
  );
  emailHooks.command('list').description('every stored email hook, one per line').action(
    run((host, user) => {
      for (const h of pluginAdmin(host).listEmailHooks(user)) {
        const target = h.kind === 'simple' ? `${h.settings.host ?? '-'}:${h.settings.port}` : (h.settings.endpoint ?? h.settings.region ?? 'us-west-2');
        const realms = h.realms.length > 0 ? h.realms.join(',') : '*';
        out(`${h.name}\t${h.kind}\t${target}\t${h.events.join(',')}\t${realms}\t${h.settings.recipients.join(',')}\t${h.settings.credentials === '' ? '-' : h.settings.credentials}`);
      }
    }),
  );
  addCommand(emailHooks, { run, out });
  emailHooks.command('remove <name>').description('remove an email hook').action(
    run(async (host, user, name: string) => {
      await operate(host, user, { method: 'DELETE', route: '/api/email-hooks/:name', params: { name } }, () => pluginAdmin(host).removeEmailHook(user, name), 204);
      out(`removed email hook ${name}`);
    }),
  );
  emailHooks
    .command('log <name>')
    .description('the latest mails of an email hook, newest first')
    .option('--limit <n>', 'mails shown', '20')
    .action(
      run(async (host, user, name: string, o: { limit: string }) => {
        for (const d of await pluginAdmin(host).emailHookLog(user, name, Number(o.limit))) {
          const next = d.nextAttemptAt !== undefined ? `\tnext ${d.nextAttemptAt.toISOString()}` : '';
          out(`${d.messageId}\t${d.subject}\t${d.state}\tattempts ${d.attempts.length}\t${d.lastStatusCode ?? '-'}${d.lastError !== undefined ? `\t${d.lastError}` : ''}${next}`);
        }
      }),
    );
}
