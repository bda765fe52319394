import { HANDLER_MODULE, type SecretBox, type Unregister } from '@plugboard/core';
import { EmailHookStore, EmailHooks, NOTIFY_SETTINGS, NotifyConfigStore, NotifyDelivery, RECIPIENT_DIRECTORY, UserNotification, type EmailHook } from '@plugboard/notify';
import { Outbox, PgOutbox, type DurableOutbox, type OutboxOptions } from '@plugboard/outbox';
import { RedisEventBridge } from '@plugboard/redis';
import { ruleEventCatalogue } from './rule-event-catalogue';
import { bindHookBus, HandlerModuleRegistry, LoggerHandler, RulesEngine, RuleStore } from '@plugboard/rules';
import { ScriptHandlerModule } from '@plugboard/scripts';
import { ObservedStepScriptRunner } from './metrics/observed-script-runner';
import { WebHookHandler, Webhooks, type AddressGuardOptions } from '@plugboard/webhooks';
import type { Container } from 'inversify';
import type { Logger } from 'pino';
import type { Database } from './db';
import { hookEventParts, remoteEventScope } from './hook-events';
import { eventDirectoryNames, forwardCall, hookEventIds, hookPlans, raiseRemoteEvents, relayOutboxEvents, type Forwarding } from './plugin-forwarding';
import type { HostBus } from './host-bus';
import { HostPolicy } from './host-policy';
import { hostNotifySettings } from './web-url';
import { LiveEvents } from './live-events';
import { HostRecipientDirectory } from './recipient-directory';
import type { Repository } from './repository';

/** How the host joins other processes through Redis (`module/<moduleId>/event/<name>`). */
export interface HostRedisOptions {
  /** `redis://…` URL; default `redis://127.0.0.1:6379`. */
  readonly url?: string;
  /** This process's module id (channels `module/<moduleId>/event/<name>`). */
  readonly moduleId: string;
  /** Hooks published to Redis when they happen here (names of notify hooks). Default: every notify hook whose name is past tense
   * (`AccountCreated`, `DomainCreated`, `MailboxDeleted`…). */
  readonly publish?: readonly string[];
  /** Raise events received from Redis into the local hooks and step scripts (default true). */
  readonly subscribe?: boolean;
  /** PSUBSCRIBE pattern (default `*\/event/*`, every module; e.g. `module/mail*\/event/*`). */
  readonly pattern?: string;
}

/** Options of the plugins a host runs (part of `HostOptions`). */
export interface HostPluginOptions {
  /** Seals stored SMTP, SMS, webhook and email-hook secrets (default: the host's key, see `hostSecretBox`). */
  readonly secrets?: SecretBox;
  /**
   * Base directories of step scripts: each may hold `events/<event-name>/NNstep` executables
   * (NethServer layout), run for every notify hook (`AccountCreated` → `events/account-created/`)
   * and every event received from Redis. Default: env `PLUGBOARD_EVENTS_DIR` (`:`-separated), else none.
   */
  readonly eventsDirs?: readonly string[];
  /** Outbound address guard of webhooks: destinations allowed although not public (e.g. `['127.0.0.1']`). */
  readonly webhookGuard?: AddressGuardOptions;
  /** Time limit of one webhook delivery attempt (default 15 000 ms). */
  readonly webhookTimeoutMs?: number;
  /** Outbox tuning (retries, polling); the database is always the host's. */
  readonly outbox?: Omit<OutboxOptions, 'database' | 'logger'>;
  /** eventhooks email hooks (`SimpleEmailHook`, `AwsSesEmailHook`) offered as rules handler modules. */
  readonly emailHooks?: readonly EmailHook[];
  /** `{url}` of notification bodies (the web UI's address; env PLUGBOARD_WEB_URL); the `core` parameter `web_url` overrides it. */
  readonly notifyUrl?: string;
  /** Join other processes through Redis; default from env `PLUGBOARD_REDIS_URL` + `PLUGBOARD_MODULE_ID`. */
  readonly redis?: HostRedisOptions;
}

/** The rules engine of the host. */
export interface HostRules {
  readonly store: RuleStore;
  readonly engine: RulesEngine;
  readonly registry: HandlerModuleRegistry;
  /** Called by the API with its route events, so rules naming an API route that does not exist are refused at save. */
  readonly declareApiEvents: (names: () => readonly string[]) => void;
}

/** Notifications: named SMTP / SMS configurations, the delivery through the outbox, and stored email hooks. */
export interface HostNotify {
  readonly configs: NotifyConfigStore;
  readonly delivery: NotifyDelivery;
  /**
   * Stored eventhooks email hooks (`notify_email_hooks`): each fires, through the outbox, when a
   * notify hook listed in its `events` succeeds, with the call's payload and realm.
   */
  readonly emailHooks: EmailHooks;
}

/** Everything the plugins add to a host. */
export interface HostPlugins {
  /** Durable outbox (mail, SMS, webhooks) in the host's database: SQLite's, or PostgreSQL's shared by every host. */
  readonly outbox: DurableOutbox;
  /** Event rules: every hook call and every API call is an event. */
  readonly rules: HostRules;
  /** Named SMTP / SMS configurations and their delivery. */
  readonly notify: HostNotify;
  /** Webhook endpoints (every notify hook is delivered to the endpoints subscribed to it). */
  readonly webhooks: Webhooks;
  /** Step-script runner (`events/<event-name>/` directories). */
  readonly scripts: ObservedStepScriptRunner;
  /** The Redis bridge, when the host runs with Redis. */
  readonly redis: RedisEventBridge | undefined;
  /** Every hook call (`'call'`) and outbox outcome (`'outbox'`), for live views. */
  readonly liveEvents: LiveEvents;
  /** Module id used as `AGENT_EVENT_SOURCE` (`module/<id>`) and on Redis. */
  readonly moduleId: string;
  /** Starts the outbox and the Redis bridge. */
  start(): Promise<void>;
  /** Stops everything started (the database stays open). */
  stop(): Promise<void>;
}

interface PluginDeps {
  readonly db: Database;
  readonly bus: HostBus;
  readonly repo: Repository;
  readonly container: Container;
  readonly logger: Logger;
  readonly options: HostPluginOptions;
}


/**
 * Opens and wires the plugins on the host's database and bus: outbox, rules (every hook call
 * is an event), notify, webhooks (every notify hook is published to subscribed endpoints) and
 * stored email hooks (to those bound to the hook), step scripts, the live event hub and, when
 * configured, the Redis bridge. On PostgreSQL every store is the shared database's.
 */
export async function openPlugins(deps: PluginDeps): Promise<HostPlugins> {
  const { db, bus, repo, container, logger, options } = deps;
  const outbox = await openHostOutbox(db, options, logger);
  try {
    const channels = await channelsOf(db, options, outbox, logger);
    const scripts = new ObservedStepScriptRunner({ directories: options.eventsDirs ?? [], logger: logger.child({ component: 'scripts' }) });
    const rulesLog = logger.child({ component: 'rules' });
    bindHandlerModules(container, { repo, options, delivery: channels.delivery, webhooks: channels.webhooks, scripts, outbox, rulesLog });
    const registry = new HandlerModuleRegistry({ container });
    // Hook events come from the bus (extensions included); API events once the API has declared its routes (never under the CLI).
    let apiEvents: (() => readonly string[]) | undefined;
    const events = ruleEventCatalogue({ hookNames: () => bus.names(), hookParams: (h) => bus.explain(h as never).params, apiEvents: () => apiEvents?.() });
    const store = await RuleStore.open(db.store, { registry, events });
    const engine = new RulesEngine({ store, registry, logger: rulesLog });
    const rules: HostRules = { store, engine, registry, declareApiEvents: (names) => (apiEvents = names) };
    return wirePlugins({ bus, options, logger, outbox, scripts, rules, ...channels });
  } catch (e) {
    await outbox.close();
    throw e;
  }
}

/** The outbox on the host's store: PgOutbox on PostgreSQL (claims shared by every host), else on the SQLite connection. */
async function openHostOutbox(db: Database, options: HostPluginOptions, logger: Logger): Promise<DurableOutbox> {
  const log = logger.child({ component: 'outbox' });
  if (db.store.url === undefined) return new Outbox({ ...options.outbox, database: db.sql, logger: log });
  const { backoff, concurrency, attemptTimeoutMs, leaseMs } = options.outbox ?? {};
  const pick = { ...(backoff !== undefined ? { backoff } : {}), ...(concurrency !== undefined ? { concurrency } : {}), ...(attemptTimeoutMs !== undefined ? { attemptTimeoutMs } : {}), ...(leaseMs !== undefined ? { leaseMs } : {}) };
  return PgOutbox.open({ ...pick, database: db.store.url as `postgres://${string}`, logger: log });
}

/** The parts {@link wirePlugins} connects. */
interface PluginParts extends Pick<HostNotify, 'configs' | 'delivery' | 'emailHooks'> {
  readonly bus: HostBus;
  readonly options: HostPluginOptions;
  readonly logger: Logger;
  readonly outbox: DurableOutbox;
  readonly scripts: ObservedStepScriptRunner;
  readonly rules: HostRules;
  readonly webhooks: Webhooks;
}

/** Binds the rules to the bus, forwards calls (webhooks, email hooks, scripts, Redis, live log) and builds start/stop. */
function wirePlugins(p: PluginParts): HostPlugins {
  const { bus, options, logger, outbox, scripts, rules, configs, delivery, emailHooks, webhooks } = p;
  const liveEvents = new LiveEvents();
  const plan = hookPlans(bus);
  const moduleId = options.redis?.moduleId ?? 'plugboard';
  const redis = redisBridgeOf(options.redis, logger);
  const { kebab, byEvent } = eventDirectoryNames(bus);
  const published = new Set(options.redis?.publish ?? bus.names().filter((n) => plan(n).kind === 'notify' && /ed$/.test(n)));
  let redisStarted = false;
  const unbind: Unregister[] = [];
  const hookEventId = hookEventIds();
  // Every hook call is a rules event (pre rules may refuse it); events raised from Redis already ran their rules where they happened.
  unbind.push(bindHookBus(bus, rules.engine, { map: (hook, args) => hookEventParts(plan(hook).params, args), filter: () => remoteEventScope.getStore() === undefined, eventId: (_hook, args) => hookEventId(args) }));
  const forwarding: Forwarding = {
    plan, eventId: hookEventId, liveEvents, webhooks, emailHooks, scripts, eventsDirs: options.eventsDirs ?? [], moduleId, published, kebab, log: logger.child({ component: 'plugins' }),
    // Calls made before start (extension installs) are local only: the bridge is not connected yet.
    redis: () => (redisStarted ? redis : undefined),
  };
  unbind.push(bus.intercept({ after: forwardCall(forwarding) }));
  if (redis !== undefined && (options.redis?.subscribe ?? true)) raiseRemoteEvents(redis, forwarding, bus, byEvent);
  relayOutboxEvents(outbox, liveEvents);
  let started = false;
  return {
    outbox, rules, notify: { configs, delivery, emailHooks }, webhooks, scripts, redis, liveEvents, moduleId,
    async start() {
      if (started) return;
      started = true;
      outbox.start();
      if (redis !== undefined) {
        await redis.start();
        redisStarted = true;
      }
    },
    async stop() {
      for (const u of unbind.splice(0)) u();
      if (redis !== undefined && started) {
        redisStarted = false;
        await redis.close();
      }
      await outbox.stop();
      for (const channel of [delivery, emailHooks]) channel.close();
      await webhooks.close();
      await scripts.whenIdle();
      await rules.engine.close();
      // Rule runs are logged in batches; write the last ones before the database closes.
      await rules.store.eventLog.flush();
      // An outbox on its own PostgreSQL pool closes with the plugins; SQLite's connection is the host's.
      if (outbox instanceof PgOutbox) await outbox.close();
    },
  };
}

/** The stores and deliveries of notifications, email hooks and webhooks, on the outbox and the host's store. */
async function channelsOf(db: Database, options: HostPluginOptions, outbox: DurableOutbox, logger: Logger): Promise<Pick<HostNotify, 'configs' | 'delivery' | 'emailHooks'> & { webhooks: Webhooks }> {
  const secrets = options.secrets;
  const sealed = secrets !== undefined ? { secrets } : {};
  const configs = await NotifyConfigStore.open({ database: db.store, ...sealed });
  const delivery = new NotifyDelivery({ outbox, store: configs });
  const emailHooks = new EmailHooks({ outbox, store: await EmailHookStore.open({ database: db.store, ...sealed }) });
  try {
    // Registers the channels of the stored hooks, so mail queued before a restart is delivered.
    emailHooks.sync();
  } catch (e) {
    logger.child({ component: 'plugins' }).error({ err: e }, e instanceof Error ? e.message : String(e));
  }
  const webhooks = await Webhooks.open({
    outbox,
    database: db.store,
    ...sealed,
    ...(options.webhookGuard !== undefined ? { guard: options.webhookGuard } : {}),
    ...(options.webhookTimeoutMs !== undefined ? { timeoutMs: options.webhookTimeoutMs } : {}),
    logger: logger.child({ component: 'webhooks' }),
  });
  return { configs, delivery, emailHooks, webhooks };
}

/** The handler modules rules can use: Logger, UserNotification, WebHook, Script, HostPolicy and the configured email hooks. */
function bindHandlerModules(
  container: Container,
  d: { repo: Repository; options: HostPluginOptions; delivery: NotifyDelivery; webhooks: Webhooks; scripts: ObservedStepScriptRunner; outbox: DurableOutbox; rulesLog: Logger },
): void {
  container.bind(NotifyDelivery).toConstantValue(d.delivery);
  container.bind(RECIPIENT_DIRECTORY).toConstantValue(new HostRecipientDirectory(d.repo));
  container.bind(NOTIFY_SETTINGS).toConstantValue(hostNotifySettings(d.repo, d.options.notifyUrl));
  container.bind(HANDLER_MODULE).toConstantValue(new LoggerHandler((line) => d.rulesLog[line.level]({ event: line.event, eventId: line.eventId }, line.message)));
  container.bind(HANDLER_MODULE).to(UserNotification).inSingletonScope();
  container.bind(HANDLER_MODULE).toConstantValue(new WebHookHandler(d.webhooks));
  container.bind(HANDLER_MODULE).toConstantValue(new ScriptHandlerModule({ runner: d.scripts, outbox: d.outbox }));
  container.bind(HANDLER_MODULE).toConstantValue(new HostPolicy());
  for (const hook of d.options.emailHooks ?? []) container.bind(HANDLER_MODULE).toConstantValue(hook);
}

/** The Redis bridge, when Redis is configured. */
function redisBridgeOf(options: HostRedisOptions | undefined, logger: Logger): RedisEventBridge | undefined {
  if (options === undefined) return undefined;
  return new RedisEventBridge({
    moduleId: options.moduleId,
    redis: options.url ?? 'redis://127.0.0.1:6379',
    subscribe: options.subscribe ?? true,
    ...(options.pattern !== undefined ? { pattern: options.pattern } : {}),
    logger: logger.child({ component: 'redis' }),
  });
}

/** Plugin options from the environment: PLUGBOARD_EVENTS_DIR, PLUGBOARD_WEB_URL, PLUGBOARD_REDIS_URL, PLUGBOARD_MODULE_ID, PLUGBOARD_REDIS_PATTERN. */
export function pluginOptionsFromEnv(env: NodeJS.ProcessEnv): HostPluginOptions {
  const dirs = (env.PLUGBOARD_EVENTS_DIR ?? '').split(':').filter((d) => d !== '');
  const url = env.PLUGBOARD_REDIS_URL;
  return {
    ...(dirs.length > 0 ? { eventsDirs: dirs } : {}), ...(env.PLUGBOARD_WEB_URL ? { notifyUrl: env.PLUGBOARD_WEB_URL } : {}),
    ...(url !== undefined && url !== ''
      ? { redis: { url, moduleId: env.PLUGBOARD_MODULE_ID ?? 'plugboard', ...(env.PLUGBOARD_REDIS_PATTERN ? { pattern: env.PLUGBOARD_REDIS_PATTERN } : {}) } }
      : {}),
  };
}
