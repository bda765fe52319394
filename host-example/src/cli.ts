import type { ExtensionClass } from '@plugboard/core';
import type { OutboxState } from '@plugboard/outbox';
import { signalCommand } from '@plugboard/redis';
import type { RuleInput, RulePosition } from '@plugboard/rules';
import { Command, Option } from 'commander';
import type pino from 'pino';
import { registerAccountCommands } from './accounts/account-commands';
import { registerDomainCommands } from './domains/domain-commands';
import { HostError } from './errors';
import { registerImportExportCommands } from './import-export/import-export-commands';
import { registerRelayDomainCommands } from './relay-domains/relay-domain-commands';
import { SAMPLE_EXTENSIONS } from './extensions';
import { actingScope } from './hook-events';
import { createHost, type Host, type HostOptions } from './host';
import { registerPackageCommands, type CommandRunner } from './packages/package-commands';
import { registerSecretCommands } from './secret-commands';
import type { User } from './model';
import { PluginAdmin } from './plugin-service';
import { pluginOptionsFromEnv, type HostPluginOptions } from './plugins';

/** Options of {@link buildCli}. */
export interface CliOptions {
  /** Extensions to install (default: the samples). */
  readonly extensions?: readonly ExtensionClass[];
  /** Where output lines go (default: stdout). */
  readonly out?: (line: string) => void;
  /**
   * Environment (default: `process.env`): PORT, PLUGBOARD_DB, ADMIN_PASSWORD, PLUGBOARD_EXTERNAL_DIRECTORY, LOG_LEVEL,
   * PLUGBOARD_EVENTS_DIR, PLUGBOARD_REDIS_URL, PLUGBOARD_MODULE_ID, PLUGBOARD_WEBHOOK_ALLOW.
   */
  readonly env?: NodeJS.ProcessEnv;
  /** Resolves once `serve` is listening, with the host (tests stop it with `host.close()`). */
  readonly onServing?: (host: Host, url: string) => void;
  /** Called once `worker` runs, with the host (tests stop it with `host.close()`). */
  readonly onWorking?: (host: Host) => void;
  /** Extra host options (e.g. email hooks, outbox tuning) for every command. */
  readonly hostOptions?: Partial<HostOptions>;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `key=value` pairs (repeatable options) as an object. */
function pairs(list: readonly string[], what: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new HostError('PB_HOST_INVALID', `--${what} "${item}" must be key=value.`, { field: what });
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

/** Rule fields from the options of `rules create` / `rules update`. */
interface RuleFlags {
  name?: string;
  event: string[];
  module?: string;
  action?: string;
  option: string[];
  condition: string[];
  position?: string;
  ordering?: string;
  abortOnError?: boolean;
  inactive?: boolean;
  json?: string;
}

function ruleFields(o: RuleFlags): Partial<RuleInput> {
  const fromJson = o.json !== undefined ? (JSON.parse(o.json) as Partial<RuleInput>) : {};
  return {
    ...fromJson,
    ...(o.name !== undefined ? { name: o.name } : {}),
    ...(o.event.length > 0 ? { events: o.event } : {}),
    ...(o.module !== undefined ? { handlerModule: o.module } : {}),
    ...(o.action !== undefined ? { action: o.action } : {}),
    ...(o.option.length > 0 ? { options: pairs(o.option, 'option') } : {}),
    ...(o.condition.length > 0 ? { conditions: pairs(o.condition, 'condition') } : {}),
    ...(o.position !== undefined ? { position: o.position as RulePosition } : {}),
    ...(o.ordering !== undefined ? { ordering: Number(o.ordering) } : {}),
    ...(o.abortOnError === true ? { abortOnError: true } : {}),
    ...(o.inactive === true ? { active: false } : {}),
  };
}

function ruleOptions(cmd: Command): Command {
  return cmd
    .option('--name <name>', 'rule name')
    .option('--event <event>', 'event name (repeatable): a hook (AccountCreated) or an API call ("POST /api/domains")', collect, [])
    .option('--module <identifier>', 'handler module (see GET /api/handler-modules)')
    .option('--action <action>', 'action of the handler module')
    .option('--option <key=value>', 'action option (repeatable)', collect, [])
    .option('--condition <key=value>', 'condition (repeatable)', collect, [])
    .addOption(new Option('--position <position>', 'pre or post').choices(['pre', 'post']))
    .option('--ordering <n>', 'rules run in ascending ordering')
    .option('--abort-on-error', 'stop the event when the action fails')
    .option('--inactive', 'save the rule disabled')
    .option('--json <rule>', 'the rule (or patch) as JSON; flags override its fields');
}

function printSeeded(host: Host, out: (line: string) => void): void {
  if (!host.seededAdmin) return;
  out('');
  out('  A super administrator was created for this new database:');
  out(`    username: ${host.seededAdmin.username}`);
  out(`    password: ${host.seededAdmin.password}`);
  out('  This password is shown only once; change it with POST /api/me/password.');
  out('');
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
      logger: (g.logLevel ?? level) as pino.Level,
      externalDirectory: env.PLUGBOARD_EXTERNAL_DIRECTORY,
      admin: { password: env.ADMIN_PASSWORD },
      deliver: false,
    });
    printSeeded(host, out);
    return host;
  };

  const actor = (host: Host): User => {
    const name = program.opts<{ as?: string }>().as;
    const user = name ? host.repo.userByName(name) : host.repo.users().find((u) => u.role === 'SuperAdmins');
    if (user === undefined) throw new HostError('PB_HOST_NOT_FOUND', `No user "${name ?? 'SuperAdmins'}" to act as; pass --as <username>.`);
    return user;
  };

  /** Runs one command against a freshly opened host, then closes it. */
  const run: CommandRunner =
    <A extends unknown[]>(fn: (host: Host, user: User, ...args: A) => Promise<void> | void) =>
    async (...args: A): Promise<void> => {
      const host = await open('warn');
      try {
        const user = actor(host);
        // Hook calls of this command become rules events acted by this user.
        await actingScope.run({ loggedInUser: user }, () => fn(host, user, ...args));
      } finally {
        await host.close();
      }
    };

  program
    .command('serve')
    .description('start the HTTP API (127.0.0.1, PORT or 8080)')
    .option('--port <port>', 'port', env.PORT ?? '8080')
    .option('--host <host>', 'listening address', '127.0.0.1')
    .option('--redis-url <url>', 'join other processes through Redis (env PLUGBOARD_REDIS_URL)')
    .option('--module-id <id>', 'module id on Redis (env PLUGBOARD_MODULE_ID, default plugboard)')
    .option('--events-dir <dir>', 'base directory of events/<event-name>/ step scripts (env PLUGBOARD_EVENTS_DIR)')
    .action(async (o: { port: string; host: string; redisUrl?: string; moduleId?: string; eventsDir?: string }) => {
      const g = program.opts<{ db: string; logLevel?: string }>();
      const host = await createHost({
        ...withProcessOptions(o),
        dbFile: g.db,
        host: o.host,
        port: Number(o.port),
        extensions: options.extensions ?? SAMPLE_EXTENSIONS,
        logger: (g.logLevel ?? 'info') as pino.Level,
        externalDirectory: env.PLUGBOARD_EXTERNAL_DIRECTORY,
        admin: { password: env.ADMIN_PASSWORD },
      });
      printSeeded(host, out);
      const url = await host.listen();
      out(`Plugboard host listening on ${url} (database ${g.db})`);
      const stop = (): void => {
        void host.close().then(() => process.exit(0));
      };
      if (options.onServing) options.onServing(host, url);
      else {
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      }
    });

  /** Plugin options of a long-running process (serve, worker): env, overridden by its flags. */
  function withProcessOptions(o: { redisUrl?: string; moduleId?: string; eventsDir?: string }): HostPluginOptions {
    const url = o.redisUrl ?? pluginOptions.redis?.url;
    const moduleId = o.moduleId ?? pluginOptions.redis?.moduleId ?? 'plugboard';
    return {
      ...pluginOptions,
      ...(o.eventsDir !== undefined ? { eventsDirs: [o.eventsDir] } : {}),
      ...(url !== undefined ? { redis: { ...pluginOptions.redis, url, moduleId } } : {}),
    };
  }

  program
    .command('worker')
    .description('run without HTTP: deliver the outbox and raise events from Redis into the local hooks, extensions and step scripts')
    .option('--redis-url <url>', 'Redis URL (env PLUGBOARD_REDIS_URL, default redis://127.0.0.1:6379)')
    .option('--module-id <id>', 'module id on Redis (env PLUGBOARD_MODULE_ID, default plugboard)')
    .option('--events-dir <dir>', 'base directory of events/<event-name>/ step scripts (env PLUGBOARD_EVENTS_DIR)')
    .action(async (o: { redisUrl?: string; moduleId?: string; eventsDir?: string }) => {
      const g = program.opts<{ db: string; logLevel?: string }>();
      const processOptions = withProcessOptions({ ...o, redisUrl: o.redisUrl ?? pluginOptions.redis?.url ?? 'redis://127.0.0.1:6379' });
      const host = await createHost({
        ...processOptions,
        dbFile: g.db,
        extensions: options.extensions ?? SAMPLE_EXTENSIONS,
        logger: (g.logLevel ?? 'info') as pino.Level,
        externalDirectory: env.PLUGBOARD_EXTERNAL_DIRECTORY,
        // It serves no HTTP, so nobody could log in as a seeded administrator.
        admin: false,
      });
      out(`Plugboard worker ${processOptions.redis?.moduleId ?? 'plugboard'} observing Redis events (database ${g.db})`);
      const stop = (): void => {
        void host.close().then(() => process.exit(0));
      };
      if (options.onWorking) options.onWorking(host);
      else {
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      }
    });

  program
    .command('signal')
    .description('publish an event on Redis like redis-cli PUBLISH: signal <module-id> <event-name> <json-object> [--url redis://…]')
    .allowUnknownOption()
    .helpOption(false)
    .argument('[args...]')
    .action(async (args: string[]) => {
      const url = pluginOptions.redis?.url;
      const argv = url !== undefined && !args.includes('--url') && !args.includes('-u') ? [...args, '--url', url] : args;
      process.exitCode = await signalCommand(argv, { stdout: out });
    });

  const admin = (host: Host): PluginAdmin => new PluginAdmin(host, host.bus);

  const rules = program.command('rules').description('event rules (SuperAdmins)');
  rules.command('list').action(
    run((host, user) => {
      for (const r of admin(host).listRules(user)) {
        out(`${r.id}\t${r.name}\t${r.active ? 'active' : 'inactive'}\t${r.position}\t${r.events.join(',')}\t${r.handlerModule}.${r.action}`);
      }
    }),
  );
  ruleOptions(rules.command('create')).action(
    run((host, user, o: RuleFlags) => {
      const r = admin(host).createRule(user, ruleFields(o) as RuleInput);
      out(`created rule ${r.name} (id ${r.id})`);
    }),
  );
  ruleOptions(rules.command('update <id>')).action(
    run((host, user, id: string, o: RuleFlags) => {
      const r = admin(host).updateRule(user, Number(id), ruleFields(o));
      out(`updated rule ${r.name} (id ${r.id})`);
    }),
  );
  rules.command('delete <id>').action(
    run((host, user, id: string) => {
      admin(host).deleteRule(user, Number(id));
      out(`deleted rule ${id}`);
    }),
  );
  for (const action of ['enable', 'disable'] as const) {
    rules.command(`${action} <id>`).action(
      run((host, user, id: string) => {
        const r = admin(host).setRuleActive(user, Number(id), action === 'enable');
        out(`${r.id}\t${r.name}\t${r.active ? 'active' : 'inactive'}`);
      }),
    );
  }

  const smtp = program.command('smtp').description('named SMTP configurations (SuperAdmins)');
  smtp.command('list').action(
    run((host, user) => {
      for (const c of admin(host).listSmtp(user)) out(`${c.name}\t${c.host}:${c.port}\t${c.security}\t${c.sender}\t${c.username === '' ? '-' : `${c.username}:${c.password}`}`);
    }),
  );
  smtp
    .command('add <name>')
    .requiredOption('--host <host>', 'SMTP server')
    .requiredOption('--sender <address>', 'From address')
    .option('--port <port>', 'port', '587')
    .option('--sender-name <name>', 'From display name')
    .option('--username <user>', 'login')
    .option('--password <password>', 'password')
    .addOption(new Option('--security <mode>', 'connection security').choices(['tls', 'starttls', 'opportunistic', 'none']).default('starttls'))
    .action(
      run((host, user, name: string, o: { host: string; sender: string; port: string; senderName?: string; username?: string; password?: string; security: 'tls' | 'starttls' | 'opportunistic' | 'none' }) => {
        const c = admin(host).createSmtp(user, {
          name,
          host: o.host,
          port: Number(o.port),
          sender: o.sender,
          security: o.security,
          ...(o.senderName !== undefined ? { senderName: o.senderName } : {}),
          ...(o.username !== undefined ? { username: o.username } : {}),
          ...(o.password !== undefined ? { password: o.password } : {}),
        });
        out(`added SMTP configuration ${c.name} (${c.host}:${c.port})`);
      }),
    );
  smtp.command('remove <name>').option('--force', 'remove even though rules use it').action(
    run((host, user, name: string, o: { force?: boolean }) => {
      admin(host).deleteSmtp(user, name, o.force === true);
      out(`removed SMTP configuration ${name}`);
    }),
  );

  const webhooks = program.command('webhooks').description('webhook endpoints (SuperAdmins)');
  webhooks.command('list').action(
    run((host, user) => {
      for (const e of admin(host).listWebhooks(user)) {
        out(`${e.id}\t${e.name}\t${e.url}\t${e.events.length > 0 ? e.events.join(',') : '*'}\t${e.enabled ? 'enabled' : `disabled${e.disabledReason ? ` (${e.disabledReason})` : ''}`}`);
      }
    }),
  );
  webhooks
    .command('add <name> <url>')
    .option('--event <event>', 'event delivered (repeatable; none = every event)', collect, [])
    .option('--realm <realm>', 'realm (repeatable; none = every call)', collect, [])
    .option('--secret <whsec>', 'signing secret (whsec_…); generated when omitted')
    .action(
      run((host, user, name: string, url: string, o: { event: string[]; realm: string[]; secret?: string }) => {
        const { endpoint, generatedSecret } = admin(host).createWebhook(user, { name, url, events: o.event, realms: o.realm, ...(o.secret !== undefined ? { secrets: [o.secret] } : {}) });
        out(`added webhook endpoint ${endpoint.name} (id ${endpoint.id})`);
        if (generatedSecret !== undefined) out(`signing secret (shown once): ${generatedSecret}`);
      }),
    );
  webhooks.command('remove <endpoint>').option('--force', 'remove even though rules use it').action(
    run((host, user, endpoint: string, o: { force?: boolean }) => {
      admin(host).removeWebhook(user, endpoint, o.force === true);
      out(`removed webhook endpoint ${endpoint}`);
    }),
  );
  webhooks
    .command('log <endpoint>')
    .option('--limit <n>', 'deliveries shown', '20')
    .action(
      run((host, user, endpoint: string, o: { limit: string }) => {
        for (const d of admin(host).webhookLog(user, endpoint, Number(o.limit))) {
          const next = d.nextAttemptAt !== undefined ? `\tnext ${d.nextAttemptAt.toISOString()}` : '';
          out(`${d.messageId}\t${d.event}\t${d.state}\tattempts ${d.attempts.length}\t${d.lastStatusCode ?? '-'}${d.lastError !== undefined ? `\t${d.lastError}` : ''}${next}`);
        }
      }),
    );

  const emailHooks = program.command('email-hooks').description('stored email hooks: mail sent when a hook happens (SuperAdmins)');
  emailHooks.command('list').action(
    run((host, user) => {
      for (const h of admin(host).listEmailHooks(user)) {
        const target = h.kind === 'simple' ? `${h.settings.host ?? '-'}:${h.settings.port}` : (h.settings.endpoint ?? h.settings.region ?? 'us-west-2');
        const realms = h.realms.length > 0 ? h.realms.join(',') : '*';
        out(`${h.name}\t${h.kind}\t${target}\t${h.events.join(',')}\t${realms}\t${h.settings.recipients.join(',')}\t${h.settings.credentials === '' ? '-' : h.settings.credentials}`);
      }
    }),
  );
  emailHooks
    .command('add <name>')
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
        (
          host,
          user,
          name: string,
          o: {
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
          },
        ) => {
          const h = admin(host).createEmailHook(user, {
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
          });
          out(`added email hook ${h.name} (${h.kind}, on ${h.events.join(',')})`);
        },
      ),
    );
  emailHooks.command('remove <name>').action(
    run((host, user, name: string) => {
      admin(host).removeEmailHook(user, name);
      out(`removed email hook ${name}`);
    }),
  );
  emailHooks
    .command('log <name>')
    .option('--limit <n>', 'mails shown', '20')
    .action(
      run((host, user, name: string, o: { limit: string }) => {
        for (const d of admin(host).emailHookLog(user, name, Number(o.limit))) {
          const next = d.nextAttemptAt !== undefined ? `\tnext ${d.nextAttemptAt.toISOString()}` : '';
          out(`${d.messageId}\t${d.subject}\t${d.state}\tattempts ${d.attempts.length}\t${d.lastStatusCode ?? '-'}${d.lastError !== undefined ? `\t${d.lastError}` : ''}${next}`);
        }
      }),
    );

  const outbox = program.command('outbox').description('outgoing messages (SuperAdmins)');
  outbox
    .command('list')
    .addOption(new Option('--state <state>', 'only this state').choices(['pending', 'delivering', 'delivered', 'dead']))
    .option('--limit <n>', 'messages shown', '50')
    .action(
      run((host, user, o: { state?: OutboxState; limit: string }) => {
        for (const m of admin(host).listOutbox(user, { ...(o.state !== undefined ? { state: o.state } : {}), limit: Number(o.limit) }).messages) {
          out(`${m.id}\t${m.channel}\t${m.state}\tattempts ${m.attempts}${m.lastError !== undefined ? `\t${m.lastError}` : ''}`);
        }
      }),
    );
  outbox.command('retry <id>').action(
    run((host, user, id: string) => {
      const m = admin(host).retryOutbox(user, id);
      out(`${m.id}\t${m.state}`);
    }),
  );

  registerDomainCommands(program, { run, out });
  registerAccountCommands(program, { run, out });

  registerRelayDomainCommands(program, { run, out });
  registerImportExportCommands(program, { run, out });

  registerSecretCommands(program, { env, out });
  const exts = program.command('extensions').description('installed extensions and extension packages');
  registerPackageCommands(exts, { run, out });
  for (const action of ['enable', 'disable'] as const) {
    exts.command(`${action} <name>`).action(
      run(async (host, user, name: string) => {
        if (user.role !== 'SuperAdmins') throw new HostError('PB_HOST_FORBIDDEN', 'Only SuperAdmins can enable or disable extensions.');
        const info = action === 'enable' ? await host.manager.enable(name) : await host.manager.disable(name);
        out(`${info.name}\t${info.state}`);
      }),
    );
  }
  return program;
}
