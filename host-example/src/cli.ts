import { Command } from 'commander';
import { registerAccountCommands } from './accounts/account-commands';
import type { CliOptions } from './cli/cli-options';
import { operate } from './cli/command-deps';
import { registerEmailHookCommands } from './cli/email-hook-commands';
import { registerOutboxCommands } from './cli/outbox-commands';
import { printSeeded, registerProcessCommands } from './cli/process-commands';
import { registerRuleCommands } from './cli/rule-commands';
import { registerSmtpCommands } from './cli/smtp-commands';
import { registerWebhookCommands } from './cli/webhook-commands';
import { registerDomainCommands } from './domains/domain-commands';
import { HostError } from './errors';
import { SAMPLE_EXTENSIONS } from './extensions';
import { actingScope } from './hook-events';
import { createHost, type Host } from './host';
import { registerImportExportCommands } from './import-export/import-export-commands';
import type { User } from './model';
import { registerPackageCommands, type CommandRunner } from './packages/package-commands';
import { pluginOptionsFromEnv, type HostPluginOptions } from './plugins';
import { registerRelayDomainCommands } from './relay-domains/relay-domain-commands';
import { registerSecretCommands } from './secret-commands';
import { cliLogger } from './cli/cli-logger';
import { EXIT_CODES_HELP } from './cli/exit-codes';
import { withExamples } from './cli/help-examples';

export type { CliOptions } from './cli/cli-options';

/** `extensions enable|disable <name>` (SuperAdmins), next to the package commands. */
function registerExtensionCommands(program: Command, run: CommandRunner, out: (line: string) => void): void {
  const exts = withExamples(
    program.command('extensions').description('installed extensions and extension packages'),
    'extensions list',
    'extensions add ./my-extension-1.0.0.tgz',
    'extensions disable limits',
  );
  registerPackageCommands(exts, { run, out });
  for (const action of ['enable', 'disable'] as const) {
    exts.command(`${action} <name>`).description(`${action} an installed extension (SuperAdmins; persisted, raises Ext${action === 'enable' ? 'Enabled' : 'Disabled'})`).action(
      run(async (host, user, name: string) => {
        if (user.role !== 'SuperAdmins') throw new HostError('PB_HOST_FORBIDDEN', 'Only SuperAdmins can enable or disable extensions.');
        const change = () => (action === 'enable' ? host.manager.enable(name) : host.manager.disable(name));
        const info = await operate(host, user, { method: 'POST', route: '/api/extensions/:name/:action', params: { name, action } }, change);
        out(`${info.name}\t${info.state}`);
      }),
    );
  }
}


/**
 * The `plugboard-host` command line: `serve`, and the API's operations run in-process
 * on the database through the same service layer (so hooks fire and extensions run).
 *
 * @example
 * ```ts
 * await buildCli().parseAsync(['node', 'main', 'domains', 'create', 'example.com']);
 * ```
 */
export function buildCli(options: CliOptions = {}): Command {
  const env = options.env ?? process.env;
  const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const program = new Command('plugboard-host')
    .description('Mail-hosting admin built on Plugboard (Modoboa model).')
    .option('--db <file>', 'SQLite database file', env.PLUGBOARD_DB ?? './data/plugboard.sqlite')
    .option('--as <username>', 'act as this user (default: the first SuperAdmin)')
    .option('--log-level <level>', 'pino log level', env.LOG_LEVEL);
  withExamples(program, 'serve', 'domains create example.com --quota 100', 'accounts create joe@example.com --password s3cret-pass', 'import accounts.csv', '--db /srv/mail.sqlite --as reseller domains list');
  program.addHelpText('after', EXIT_CODES_HELP);

  const fromEnv = pluginOptionsFromEnv(env);
  const allow = (env.PLUGBOARD_WEBHOOK_ALLOW ?? '').split(',').map((a) => a.trim()).filter((a) => a !== '');
  const pluginOptions: HostPluginOptions = { ...fromEnv, ...(allow.length > 0 ? { webhookGuard: { allow } } : {}), ...options.hostOptions };

  const open = async (level: string): Promise<Host> => {
    const g = program.opts<{ db: string; logLevel?: string }>();
    // One-shot commands neither deliver nor join Redis: the server or worker sharing the database does.
    const { redis: _redis, ...local } = pluginOptions;
    const host = await createHost({
      ...local,
      dbFile: g.db,
      extensions: options.extensions ?? SAMPLE_EXTENSIONS,
      logger: cliLogger(g.logLevel ?? level),
      externalDirectory: env.PLUGBOARD_EXTERNAL_DIRECTORY,
      admin: { password: env.ADMIN_PASSWORD },
      deliver: false,
    });
    printSeeded(host, out);
    return host;
  };

  const actor = async (host: Host): Promise<User> => {
    const name = program.opts<{ as?: string }>().as;
    const user = name ? await host.repo.userByName(name) : (await host.repo.users()).find((u) => u.role === 'SuperAdmins');
    if (user === undefined) throw new HostError('PB_HOST_NOT_FOUND', `No user "${name ?? 'SuperAdmins'}" to act as; pass --as <username>.`);
    return user;
  };

  /** Runs one command against a freshly opened host, then closes it. */
  const run: CommandRunner =
    <A extends unknown[]>(fn: (host: Host, user: User, ...args: A) => Promise<void> | void) =>
    async (...args: A): Promise<void> => {
      const host = await open('warn');
      try {
        const user = await actor(host);
        // Hook calls of this command become rules events acted by this user.
        await actingScope.run({ loggedInUser: user }, () => fn(host, user, ...args));
      } finally {
        await host.close();
      }
    };

  registerProcessCommands(program, { options, env, out, pluginOptions });
  const deps = { run, out };
  for (const register of [registerRuleCommands, registerSmtpCommands, registerWebhookCommands, registerEmailHookCommands, registerOutboxCommands]) register(program, deps);
  // The resources: each command runs as its API operation, so the API's rules apply.
  for (const register of [registerDomainCommands, registerAccountCommands, registerRelayDomainCommands, registerImportExportCommands]) register(program, deps);
  registerSecretCommands(program, { env, out });
  registerExtensionCommands(program, run, out);
  return program;
}
