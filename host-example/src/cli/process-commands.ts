import { signalCommand } from '@plugboard/redis';
import type { Command } from 'commander';
import { SAMPLE_EXTENSIONS } from '../extensions';
import { createHost, type Host } from '../host';
import type { HostPluginOptions } from '../plugins';
import type { CliOptions } from './cli-options';
import { cliLogger } from './cli-logger';
import { withExamples } from './help-examples';
import { withOutboxLease } from './outbox-lease';

/** What the long-running commands need from the program. */
export interface ProcessDeps {
  readonly options: CliOptions;
  readonly env: NodeJS.ProcessEnv;
  readonly out: (line: string) => void;
  /** Plugin options from the environment and {@link CliOptions.hostOptions}. */
  readonly pluginOptions: HostPluginOptions;
}

/** Prints the credentials of a super administrator seeded by this start (shown once). */
export function printSeeded(host: Host, out: (line: string) => void): void {
  if (!host.seededAdmin) return;
  out('');
  out('  A super administrator was created for this new database:');
  out(`    username: ${host.seededAdmin.username}`);
  out(`    password: ${host.seededAdmin.password}`);
  out('  This password is shown only once; change it with POST /api/me/password.');
  out('');
}

/** Stops the host on SIGINT/SIGTERM, unless a test took it. */
function stopOnSignals(host: Host): void {
  const stop = (): void => {
    void host.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/**
 * `serve` (the HTTP API), `worker` (delivery and Redis events, no HTTP) and `signal` (publish on Redis).
 *
 * @example
 * ```ts
 * registerProcessCommands(program, { options, env, out, pluginOptions });
 * ```
 */
export function registerProcessCommands(program: Command, deps: ProcessDeps): void {
  serveCommand(program, deps);
  workerCommand(program, deps);
  signalCommandOf(program, deps);
}

/** Flags of both long-running processes. */
interface ProcessFlags {
  redisUrl?: string;
  moduleId?: string;
  eventsDir?: string;
  outboxLeaseMs?: string;
}

const LEASE_HELP = 'how long a message stays in flight after its process died before another delivers it again (env PLUGBOARD_OUTBOX_LEASE_MS, default 90000)';

/** Plugin options of a long-running process (serve, worker): env, overridden by its flags. */
function withProcessOptions(pluginOptions: HostPluginOptions, o: ProcessFlags, env: NodeJS.ProcessEnv): HostPluginOptions {
    const url = o.redisUrl ?? pluginOptions.redis?.url;
    const moduleId = o.moduleId ?? pluginOptions.redis?.moduleId ?? 'plugboard';
    return {
      ...withOutboxLease(pluginOptions, o.outboxLeaseMs, env),
      ...(o.eventsDir !== undefined ? { eventsDirs: [o.eventsDir] } : {}),
      ...(url !== undefined ? { redis: { ...pluginOptions.redis, url, moduleId } } : {}),
    };
}

/** `serve`: the HTTP API. */
function serveCommand(program: Command, { options, env, out, pluginOptions }: ProcessDeps): void {
  withExamples(program.command('serve'), 'serve', 'serve --port 9000 --redis-url redis://127.0.0.1:6379 --module-id mail1')
    .description('start the HTTP API (127.0.0.1, PORT or 8080)')
    .option('--port <port>', 'port', env.PORT ?? '8080')
    .option('--host <host>', 'listening address', '127.0.0.1')
    .option('--redis-url <url>', 'join other processes through Redis (env PLUGBOARD_REDIS_URL)')
    .option('--module-id <id>', 'module id on Redis (env PLUGBOARD_MODULE_ID, default plugboard)')
    .option('--events-dir <dir>', 'base directory of events/<event-name>/ step scripts (env PLUGBOARD_EVENTS_DIR)')
    .option('--outbox-lease-ms <ms>', LEASE_HELP)
    .action(async (o: ProcessFlags & { port: string; host: string }) => {
      const g = program.opts<{ db: string; logLevel?: string }>();
      const host = await createHost({
        ...withProcessOptions(pluginOptions, o, env),
        dbFile: g.db,
        host: o.host,
        port: Number(o.port),
        extensions: options.extensions ?? SAMPLE_EXTENSIONS,
        logger: cliLogger(g.logLevel ?? 'info'),
        externalDirectory: env.PLUGBOARD_EXTERNAL_DIRECTORY,
        admin: { password: env.ADMIN_PASSWORD },
      });
      printSeeded(host, out);
      const url = await host.listen();
      out(`Plugboard host listening on ${url} (database ${g.db})`);
      if (options.onServing) options.onServing(host, url);
      else stopOnSignals(host);
    });
}

/** `worker`: delivery and Redis events without HTTP. */
function workerCommand(program: Command, { options, env, out, pluginOptions }: ProcessDeps): void {
  withExamples(program.command('worker'), 'worker --redis-url redis://127.0.0.1:6379 --module-id mail1-worker --events-dir /srv/mail1')
    .description('run without HTTP: deliver the outbox and raise events from Redis into the local hooks, extensions and step scripts')
    .option('--redis-url <url>', 'Redis URL (env PLUGBOARD_REDIS_URL, default redis://127.0.0.1:6379)')
    .option('--module-id <id>', 'module id on Redis (env PLUGBOARD_MODULE_ID, default plugboard)')
    .option('--events-dir <dir>', 'base directory of events/<event-name>/ step scripts (env PLUGBOARD_EVENTS_DIR)')
    .option('--outbox-lease-ms <ms>', LEASE_HELP)
    .action(async (o: ProcessFlags) => {
      const g = program.opts<{ db: string; logLevel?: string }>();
      const processOptions = withProcessOptions(pluginOptions, { ...o, redisUrl: o.redisUrl ?? pluginOptions.redis?.url ?? 'redis://127.0.0.1:6379' }, env);
      const host = await createHost({
        ...processOptions,
        dbFile: g.db,
        extensions: options.extensions ?? SAMPLE_EXTENSIONS,
        logger: cliLogger(g.logLevel ?? 'info'),
        externalDirectory: env.PLUGBOARD_EXTERNAL_DIRECTORY,
        // It serves no HTTP, so nobody could log in as a seeded administrator.
        admin: false,
      });
      out(`Plugboard worker ${processOptions.redis?.moduleId ?? 'plugboard'} observing Redis events (database ${g.db})`);
      if (options.onWorking) options.onWorking(host);
      else stopOnSignals(host);
    });
}

/** `signal`: publishes an event on Redis. */
function signalCommandOf(program: Command, { out, pluginOptions }: ProcessDeps): void {
  withExamples(program.command('signal'), 'signal plugboard AccountCreated \'{"username":"joe@example.com"}\'')
    .description('publish an event on Redis like redis-cli PUBLISH: signal <module-id> <event-name> <json-object> [--url redis://…]')
    .allowUnknownOption()
    .helpOption(false)
    .argument('[args...]')
    .action(async (args: string[]) => {
      const url = pluginOptions.redis?.url;
      const argv = url !== undefined && !args.includes('--url') && !args.includes('-u') ? [...args, '--url', url] : args;
      process.exitCode = await signalCommand(argv, { stdout: out });
    });
}
