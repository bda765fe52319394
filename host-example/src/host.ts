import 'reflect-metadata';
import { hostSecretBox, sharedSecretBox } from './secret-key';
import { ExtensionPackages } from './packages/extension-packages';
import { extensionsDirOf } from './packages/npm-install';
import { PACKAGES_TOPIC, PackageStore } from './packages/package-store';
import { createEvents, ExtensionManager, type Events, type ExtensionClass, type ExtensionInfo, type PackageSandbox } from '@plugboard/core';
import type { FastifyInstance } from 'fastify';
import { Container } from 'inversify';
import pino, { type Logger } from 'pino';
import { AdminService } from './admin-service';
import { hostContainer, installAll, startPlugins } from './host-startup';
import { Operations } from './operations/operations';
import { LoginThrottle, type LoginThrottleOptions } from './login-throttle';
import { buildApi } from './api';
import { registerAdmin } from './admin/register-admin';
import { Database } from './db';
import { ExtensionRoutes } from './extension-routes';
import { HostHealth, type HostHealthOptions } from './extension-health';
import { openSharing, shareWithOtherProcesses } from './host-sharing';
import type { SqlDatabase } from '@plugboard/sql';
import { HostMetrics } from './metrics/host-metrics';
import { MetricsSampler, type MetricsSamplerOptions } from './metrics/metrics-sampler';
import { startTracing } from './telemetry/host-tracing';
import { ExternalDirectory, type ExternalUser } from './external-directory';
import { createHostBus, HostBus, type HostLimits } from './host-bus';
import { hostHooks, type HostSpecs } from './hooks';
import { migrateHost } from './store/migrate-host';
import { openPlugins, type HostPluginOptions, type HostPlugins } from './plugins';
import { randomPassword } from './passwords';
import { Repository } from './repository';

/** Options of {@link createHost} (plugin options: step-script directories, webhook guard, outbox tuning, Redis…). */
export interface HostOptions extends HostPluginOptions {
  /** SQLite file (created with its directory when missing). Default `./data/plugboard.sqlite`. */
  readonly dbFile?: string;
  /**
   * A `postgres://` URL for all the host's data (users, domains, sessions, parameters, packages,
   * rules, outbox, notify, webhooks, extension state and health, extensions' own tables), shared
   * by every host given it; default `PLUGBOARD_DATABASE_URL`. The SQLite file (`dbFile`) then
   * holds none of it; the extensions directory is still found next to it.
   */
  readonly databaseUrl?: string;
  /** Listening address; only loopback is sensible for the example. Default `127.0.0.1`. */
  readonly host?: string;
  /** Port; 0 picks a free one. Default 8080. */
  readonly port?: number;
  /** Extension classes to install (their enabled state comes from the database). */
  readonly extensions?: readonly ExtensionClass[];
  /** A pino logger, or a level for the default one. Default level `info`. */
  readonly logger?: Logger | pino.Level | 'silent';
  /** Users that are auto-provisioned on first login: a JSON file path or the list. */
  readonly externalDirectory?: string | readonly ExternalUser[];
  /** Failed-login limits per username and per client address (429 with Retry-After beyond). */
  readonly loginThrottle?: LoginThrottleOptions | LoginThrottle;
  /**
   * Seeded super administrator (only when the database has no user); `false` seeds none, for
   * processes that serve no HTTP (the worker).
   */
  readonly admin?: { readonly username?: string; readonly password?: string } | false;
  /**
   * Run the outbox delivery loop (and the Redis bridge) in this process. Default true; one-shot
   * CLI commands pass false and leave delivery to the server or worker sharing the database.
   */
  readonly deliver?: boolean;
  /**
   * Extension packages to load at start besides those added with `extensions add`: paths or
   * installed package names. Default: env `PLUGBOARD_EXTENSIONS` (comma-separated).
   */
  readonly extensionPackages?: readonly string[];
  /** Time limits of hook listeners (display hooks, the others, per extension); see {@link HostLimits}. */
  readonly limits?: HostLimits;
  /** Time limit of an extension's onEnable/onDisable in milliseconds. Default 10 000. */
  readonly lifecycleTimeoutMs?: number;
  /**
   * Extension health: when the circuit breaker disables a failing extension (default 5 failed
   * calls in a row within 60 s; `breaker: false` never does) and how often figures are written.
   */
  readonly health?: HostHealthOptions;
  /**
   * Untrusted extension packages (manifest `"untrusted": true`, or named in `untrustedPackages`,
   * default env `PLUGBOARD_UNTRUSTED_PACKAGES`) run in sandbox workers with these limits.
   * Defaults: 64 MB heap, 1000 ms of CPU per call, 3 restarts per minute, then disabled.
   */
  readonly sandbox?: Pick<PackageSandbox, 'heapMb' | 'cpuTimeoutMs' | 'restarts'> & { readonly untrustedPackages?: readonly string[] };
  /** The admin charts' sampling of the metrics (serving processes only): every `intervalMs` (default 10 s), an hour kept. */
  readonly charts?: MetricsSamplerOptions;
  /**
   * Where extension states are kept and, on PostgreSQL, live events shared with the other
   * processes using it (left open by `close`). Default: the host's SQLite database.
   */
  readonly stateDatabase?: SqlDatabase;
}

/** A running (or ready-to-run) host: everything a plugin may mount on. */
export interface Host extends Pick<HostPlugins, 'outbox' | 'rules' | 'notify' | 'webhooks' | 'scripts' | 'redis' | 'liveEvents'> {
  readonly container: Container;
  readonly bus: HostBus;
  readonly events: Events<HostSpecs>;
  readonly manager: ExtensionManager<HostSpecs>;
  readonly db: Database;
  readonly repo: Repository;
  readonly service: AdminService;
  /** The one path every operation takes (API, CLI, admin pages): rules' pre and post events around it. */
  readonly operations: Operations;
  readonly routes: ExtensionRoutes;
  readonly logger: Logger;
  /** Extension install results (failures are logged and listed, never thrown). */
  readonly installed: readonly ExtensionInfo[];
  /** Extension packages: configured, added, loaded or failed; `add` / `remove` without a restart. */
  readonly packages: ExtensionPackages<HostSpecs>;
  /** Per-extension calls, errors, timeouts, durations; its breaker disables a failing extension. */
  readonly health: HostHealth;
  /** The admin charts' sampled metrics (serving processes only); `sample()` takes one now. */
  readonly charts?: MetricsSampler;
  /** Credentials of the super administrator seeded by this start, if one was. */
  readonly seededAdmin?: { readonly username: string; readonly password: string };
  /** Builds the fastify app (once; routes contributed by extensions included). */
  app(): FastifyInstance;
  /** Starts listening; resolves to the base URL. */
  listen(): Promise<string>;
  /** Stops the server and closes the database. */
  close(): Promise<void>;
}

/**
 * Builds the host: SQLite database (migrated), hook bus, inversify container with the
 * host services, extension manager (state persisted in SQLite), the installed
 * extensions, and (on demand) the fastify API. The CLI uses it without listening.
 *
 * @example
 * ```ts
 * const host = await createHost({ dbFile: './data/dev.sqlite', port: 0, extensions: SAMPLE_EXTENSIONS });
 * const url = await host.listen();
 * // … later
 * await host.close();
 * ```
 */
export async function createHost(options: HostOptions = {}): Promise<Host> {
  const logger = typeof options.logger === 'object' ? options.logger : pino({ level: options.logger ?? 'info' });
  const tracing = startTracing(); // the OTel SDK, when the standard OTEL_* variables ask for it
  const db = await openDatabase(options);
  const { bus, repo, service, routes, events, container } = hostCore(options, db, logger);

  let plugins: HostPlugins;
  try {
    const secrets = options.secrets ?? (db.store.url !== undefined ? sharedSecretBox() : hostSecretBox(db.sql, options.dbFile ?? './data/plugboard.sqlite', logger));
    plugins = await openPlugins({ db, bus, repo, container, logger, options: { ...options, secrets } });
  } catch (e) {
    await db.close();
    throw e;
  }

  const operations = new Operations(plugins.rules.engine, logger);
  const sharing = await openSharing(db, options.stateDatabase);
  const manager = new ExtensionManager<HostSpecs>({ bus, container, store: sharing.store, lifecycleTimeoutMs: options.lifecycleTimeoutMs });

  const { health, metrics, charts } = observe(options, db, manager, bus, logger, plugins);

  const installed = await installAll(manager, options.extensions ?? [], logger);

  const { packages, unwatch } = await openPackages(options, db, manager, logger);

  const admin = options.admin === false ? undefined : (options.admin ?? {});
  const seededAdmin = admin === undefined ? undefined : await service.seedAdmin(admin.username ?? 'admin', admin.password ?? randomPassword());

  if (options.deliver ?? true) await startPlugins(plugins, db);
  const unshare = options.deliver ?? true ? await shareWithOtherProcesses(sharing, { manager, liveEvents: plugins.liveEvents, logger }) : async () => undefined;
  charts?.start();

  let fastify: FastifyInstance | undefined;
  const app = (): FastifyInstance => (fastify ??= registerAdmin(buildApi({ service, manager, bus, routes, logger, plugins, operations, packages, health, ...(metrics ? { metrics } : {}) }), { service, manager, bus, logger, packages, health, operations, plugins, ...plugins, ...(charts ? { charts } : {}) }));

  return {
    container,
    bus,
    events,
    manager,
    db,
    repo,
    service,
    operations,
    routes,
    logger,
    installed,
    packages,
    health,
    ...mountable(plugins),
    ...(charts ? { charts } : {}),
    ...(seededAdmin ? { seededAdmin } : {}),
    app,
    async listen() {
      return app().listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 8080 });
    },
    async close() {
      unwatch();
      await unshare();
      if (fastify) await fastify.close();
      await packages.close();
      await plugins.stop();
      await health.close();
      metrics?.close();
      charts?.stop();
      await db.close();
      await tracing?.shutdown();
    },
  };
}

/** The host's own parts: bus, repository, service layer, extension routes, events and the DI container, with the built-in CSV importers answering ImportObject. */
function hostCore(options: HostOptions, db: Database, logger: Logger) {
  const bus = createHostBus(options.limits, {
    // A failing listener of a notify hook is isolated: logged here, the others still run.
    onError: (error) => logger.error({ err: error, extension: (error as { extension?: string }).extension, hook: (error as { hook?: string }).hook }, error.message),
  });
  const repo = new Repository(db);
  const directory =
    typeof options.externalDirectory === 'string' ? ExternalDirectory.fromFile(options.externalDirectory) : new ExternalDirectory(options.externalDirectory ?? []);
  const service = new AdminService(repo, bus, logger, directory, options.loginThrottle instanceof LoginThrottle ? options.loginThrottle : new LoginThrottle(options.loginThrottle));
  const routes = new ExtensionRoutes();

  const events = createEvents(bus);
  const container = hostContainer({ db, repo, service, bus, events, routes, logger });

  // The built-in CSV importers answer ImportObject like any extension would (Modoboa's core does the same).
  const importers = service.builtinImporters();
  bus.on('ImportObject', async (objtype) => importers[objtype], { extension: 'host', priority: -100 });
  return { bus, repo, service, routes, events, container };
}

/** The extension packages (configured ones loaded), and in a serving process a watch for other processes' changes. */
async function openPackages(options: HostOptions, db: Database, manager: ExtensionManager<HostSpecs>, logger: Logger): Promise<{ packages: ExtensionPackages<HostSpecs>; unwatch: () => void }> {
  const dbFile = options.dbFile ?? './data/plugboard.sqlite';
  const untrusted = options.sandbox?.untrustedPackages ?? listFromEnv('PLUGBOARD_UNTRUSTED_PACKAGES');
  const sandbox = { ...options.sandbox, catalogue: hostHooks, always: (name: string) => untrusted.includes(name) };
  const packages = new ExtensionPackages({ store: new PackageStore(db), manager, dir: extensionsDirOf(dbFile), logger, sandbox });
  const configured = options.extensionPackages ?? listFromEnv('PLUGBOARD_EXTENSIONS');
  await packages.loadAll(configured);
  // A server notices packages another process (the CLI) added or removed, within half a second.
  const unwatch = options.deliver ?? true ? packages.watch(await packagesVersion(db)) : () => undefined;
  return { packages, unwatch };
}

/** The plugins' parts a host exposes. */
function mountable(plugins: HostPlugins): Pick<HostPlugins, 'outbox' | 'rules' | 'notify' | 'webhooks' | 'scripts' | 'redis' | 'liveEvents'> {
  const { outbox, rules, notify, webhooks, scripts, redis, liveEvents } = plugins;
  return { outbox, rules, notify, webhooks, scripts, redis, liveEvents };
}

/** Extension health figures (every process); Prometheus metrics and the admin charts' samples (a serving process only). */
function observe(
  options: HostOptions,
  db: Database,
  manager: ExtensionManager<HostSpecs>,
  bus: HostBus,
  logger: Logger,
  plugins: HostPlugins,
): { health: HostHealth; metrics?: HostMetrics; charts?: MetricsSampler } {
  const health = new HostHealth(db, manager, logger, options.health);
  health.attach(bus, options.deliver ?? true);
  // Only a serving process answers /metrics, so only it pays for the registry and for observing every call.
  if (!(options.deliver ?? true)) return { health };
  const metrics = new HostMetrics({ manager, outboxCounts: () => plugins.outbox.counts(), plugins: { ...plugins, rules: plugins.rules.engine } });
  metrics.attach(bus);
  return { health, metrics, charts: new MetricsSampler(metrics.registry, options.charts) };
}

/** A comma-separated environment variable as a list. */
function listFromEnv(name: string): string[] {
  return (process.env[name] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/**
 * What tells a server that another process changed the added packages: SQLite's `data_version`
 * (it moves only when another connection commits); on PostgreSQL, a count of the changes
 * announced on {@link PACKAGES_TOPIC} (a reconnect counts too: reconcile in case one was missed).
 */
async function packagesVersion(db: Database): Promise<() => number> {
  if (db.dialect === 'sqlite') return () => db.sql.pragma('data_version', { simple: true }) as number;
  let version = 0;
  await db.store.listen(PACKAGES_TOPIC, () => version++);
  return () => version;
}

/** Opens and migrates the database (closed again if a migration fails). */
async function openDatabase(options: HostOptions): Promise<Database> {
  // A process that does not deliver is a one-shot command: a checkpoint thread would cost more than it saves.
  const db = await Database.open(options.dbFile ?? './data/plugboard.sqlite', { checkpoints: options.deliver === false ? 'sqlite' : 'background', url: options.databaseUrl });
  try {
    await migrateHost(db);
  } catch (e) {
    await db.close();
    throw e;
  }
  return db;
}
