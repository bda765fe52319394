import type { AttemptRecord, DurableOutbox, OutboxState } from '@plugboard/outbox';
import { AwsSesEmailHook } from './aws-ses-email-hook';
import type { Stored } from './config-store';
import type { EmailHook, HookMail, TriggerData, TriggerResult } from './email-hook';
import type { EmailHookConfig } from './email-hook-config';
import { EmailHookStore } from './email-hook-store';
import { NotifyError } from './errors';
import type { NotifyDatabase } from './store-database';
import { SimpleEmailHook } from './simple-email-hook';

/** Options of {@link createEmailHook}. */
export interface CreateEmailHookOptions {
  /** Queue mail on the outbox channel `emailhook:<name>` (durable, retried) instead of sending directly. */
  readonly outbox?: DurableOutbox;
  /** SMTP connection, greeting and socket timeout of `simple` hooks (default 30 000 ms). */
  readonly timeoutMs?: number;
}

/**
 * Builds the eventhooks hook a stored configuration describes: a {@link SimpleEmailHook} for
 * `simple`, an {@link AwsSesEmailHook} for `ses`. Settings come from the configuration only
 * (never from `process.env`); with an outbox, the SES client makes one attempt per delivery
 * because the outbox retries.
 *
 * @example
 * ```ts
 * const hook = createEmailHook(store.get('welcome'), { outbox });
 * await hook.trigger({ account: 'ann@example.com' }, 'example.com');
 * ```
 */
export function createEmailHook(config: EmailHookConfig, options: CreateEmailHookOptions = {}): SimpleEmailHook | AwsSesEmailHook {
  const { settings } = config;
  const common = {
    name: config.name,
    realms: config.realms,
    sender: settings.sender,
    senderName: settings.senderName,
    recipients: settings.recipients,
    env: {},
    ...(settings.subject !== undefined ? { subject: settings.subject } : {}),
    ...(settings.configurationSet !== undefined ? { configurationSet: settings.configurationSet } : {}),
    ...(options.outbox !== undefined ? { outbox: options.outbox } : {}),
  };
  if (config.kind === 'simple') {
    return new SimpleEmailHook({
      ...common,
      ...(settings.host !== undefined ? { host: settings.host } : {}),
      port: settings.port,
      credentials: settings.credentials,
      requireTls: settings.requireTls,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    });
  }
  const colon = settings.credentials.indexOf(':');
  return new AwsSesEmailHook({
    ...common,
    ...(settings.region !== undefined ? { region: settings.region } : {}),
    ...(settings.endpoint !== undefined ? { endpoint: settings.endpoint } : {}),
    ...(colon > 0 ? { awsCredentials: { accessKeyId: settings.credentials.slice(0, colon), secretAccessKey: settings.credentials.slice(colon + 1) } } : {}),
    ...(options.outbox !== undefined ? { maxAttempts: 1 } : {}),
  });
}

/** Options of {@link EmailHooks}. */
export interface EmailHooksOptions {
  /** The durable outbox deliveries go through (channels `emailhook:<name>`). */
  readonly outbox: DurableOutbox;
  /**
   * Where the hooks are stored: on SQLite the host's connection (or a file path, or a
   * `SqlDatabase`), opened here; on PostgreSQL pass `store: await EmailHookStore.open(…)`.
   */
  readonly database?: NotifyDatabase;
  readonly store?: EmailHookStore;
  /** SMTP timeout of `simple` hooks (default 30 000 ms). */
  readonly timeoutMs?: number;
}

/** One stored hook's answer to {@link EmailHooks.publish}. */
export interface EmailHookFired {
  readonly name: string;
  readonly result: TriggerResult;
}

/** One mail of a hook's delivery log: the outbox message with its attempts. */
export interface EmailHookDelivery {
  readonly messageId: string;
  readonly state: OutboxState;
  readonly subject: string;
  readonly recipients: readonly string[];
  readonly createdAt: Date;
  readonly attempts: readonly AttemptRecord[];
  readonly lastStatusCode?: number;
  readonly lastError?: string;
  readonly nextAttemptAt?: Date;
  readonly deliveredAt?: Date;
}

interface Built {
  readonly key: string;
  readonly hook: SimpleEmailHook | AwsSesEmailHook;
}

function keyOf(config: Stored<EmailHookConfig>): string {
  return `${config.createdAt}|${config.updatedAt}|${config.revision}`;
}

/**
 * Stored email hooks, triggered by event name: every stored hook whose `events` lists the event
 * fires with the event's data, under the eventhooks realm rule. Mail goes through the outbox
 * (channel `emailhook:<name>`), so it is retried and survives a restart. Hook instances are
 * rebuilt when their stored configuration changes, also when another process changed it (on
 * PostgreSQL within a second: the store reloads on the `notify-configs` topic).
 *
 * @example
 * ```ts
 * const hooks = new EmailHooks({ database: db, outbox });
 * await hooks.store.create({ name: 'welcome', kind: 'simple', events: ['AccountCreated'], settings: { … } });
 * hooks.sync();                      // registers the channels of stored hooks (queued mail resumes)
 * await hooks.publish('AccountCreated', { account: { username: 'ann@example.com' } }, { realm: 'example.com' });
 * hooks.deliveryLog('welcome');      // [{ messageId, state: 'delivered', attempts: [...] }]
 * ```
 */
export class EmailHooks {
  readonly store: EmailHookStore;
  private readonly outbox: DurableOutbox;
  private readonly timeoutMs?: number;
  private readonly built = new Map<string, Built>();
  private closed = false;
  private readonly unsubscribe: () => void;
  /** Opened here from `database` (not given as `store`): closed with the hooks. */
  private readonly ownsStore: boolean;

  constructor(options: EmailHooksOptions) {
    if (options.store === undefined && options.database === undefined) {
      throw new NotifyError('PB_NOTIFY_INVALID_OPTION', 'EmailHooks needs a `database` or a `store`.');
    }
    this.ownsStore = options.store === undefined;
    this.store = options.store ?? EmailHookStore.openSync({ database: options.database as NotifyDatabase });
    this.outbox = options.outbox;
    if (options.timeoutMs !== undefined) this.timeoutMs = options.timeoutMs;
    // A hook changed in any process is rebuilt (its channel registered here, queued retries use
    // the new settings): at once in this process, within a second from others on PostgreSQL;
    // on SQLite another connection's change is seen by the next read (publish(), sync()).
    this.unsubscribe = this.store.onChange((name) => this.refresh(name));
  }

  /** Outbox channel of the hook named `name`. */
  static channel(name: string): string {
    return `emailhook:${name}`;
  }

  /**
   * Builds (or rebuilds, when changed) every stored hook so its outbox channel is delivered in
   * this process, and drops hooks that were deleted. Throws `AggregateError` naming each hook
   * that could not be built; the others are ready.
   */
  sync(): void {
    const configs = this.store.all();
    const errors: Error[] = [];
    for (const config of configs) {
      try {
        this.instance(config);
      } catch (e) {
        errors.push(e instanceof Error ? e : new Error(String(e)));
      }
    }
    const names = new Set(configs.map((c) => c.name));
    for (const name of [...this.built.keys()]) if (!names.has(name)) this.drop(name);
    if (errors.length > 0) throw new AggregateError(errors, `${errors.length} stored email hook(s) could not be built: ${errors.map((e) => e.message).join(' | ')}`);
  }

  /** The hook instance of a stored configuration (built on demand); `PB_NOTIFY_CONFIG_NOT_FOUND` if none. */
  hook(name: string): EmailHook {
    return this.instance(this.store.get(name));
  }

  /**
   * Triggers every stored hook whose `events` lists `event` with `data` (an object is rendered as
   * 2-space-indented JSON) in `options.realm`. Resolves with what each did (`triggered: false`
   * with the reason when its realms exclude the call). When some hooks fail, the others are still
   * triggered and an `AggregateError` of the failures is thrown.
   */
  async publish(event: string, data: TriggerData, options: { readonly realm?: string } = {}): Promise<EmailHookFired[]> {
    this.assertOpen();
    const matching = this.store.all().filter((config) => config.events.includes(event));
    // Started together, so with the outbox every mail is queued before the first await returns.
    const settled = await Promise.allSettled(
      matching.map((config) => {
        try {
          return this.instance(config).trigger(data, options.realm);
        } catch (e) {
          return Promise.reject(e);
        }
      }),
    );
    const fired: EmailHookFired[] = [];
    const errors: Error[] = [];
    settled.forEach((outcome, i) => {
      const name = matching[i].name;
      if (outcome.status === 'fulfilled') {
        fired.push({ name, result: outcome.value });
        return;
      }
      const e: unknown = outcome.reason;
      errors.push(new NotifyError('PB_NOTIFY_SEND_FAILED', `Email hook "${name}" could not be triggered for ${event}: ${e instanceof Error ? e.message : String(e)}`, { cause: e }));
    });
    if (errors.length > 0) throw new AggregateError(errors, `${errors.length} email hook(s) failed for ${event}: ${errors.map((e) => e.message).join(' | ')}`);
    return fired;
  }

  /** Newest first: the hook's mails in the outbox with their attempts, status codes and next retry. */
  async deliveryLog(name: string, options: { readonly limit?: number; readonly offset?: number } = {}): Promise<EmailHookDelivery[]> {
    this.store.get(name);
    const messages = await this.outbox.list<HookMail>({ channel: EmailHooks.channel(name), limit: options.limit ?? 50, offset: options.offset ?? 0 });
    return Promise.all(
      messages.map(async (m) => ({
        messageId: m.id,
        state: m.state,
        subject: m.payload.subject,
        recipients: m.payload.recipients,
        createdAt: m.createdAt,
        attempts: await this.outbox.attempts(m.id),
        ...(m.lastStatusCode !== undefined ? { lastStatusCode: m.lastStatusCode } : {}),
        ...(m.lastError !== undefined ? { lastError: m.lastError } : {}),
        ...(m.state === 'pending' && m.nextAttemptAt !== undefined ? { nextAttemptAt: m.nextAttemptAt } : {}),
        ...(m.deliveredAt !== undefined ? { deliveredAt: m.deliveredAt } : {}),
      })),
    );
  }

  /** Releases every hook's connections and channels, and the store opened from `database`. The outbox, database and a given store belong to the caller. */
  close(): void {
    this.closed = true;
    this.unsubscribe();
    for (const name of [...this.built.keys()]) this.drop(name);
    // On SQLite this only unsubscribes from the connection's topics: nothing to wait for.
    if (this.ownsStore) void this.store.close().catch(() => undefined);
  }

  private instance(config: Stored<EmailHookConfig>): SimpleEmailHook | AwsSesEmailHook {
    this.assertOpen();
    const key = keyOf(config);
    const current = this.built.get(config.name);
    if (current !== undefined && current.key === key) return current.hook;
    // The old instance gives up the channel first, so the new one can take it over.
    if (current !== undefined) this.drop(config.name);
    const hook = createEmailHook(config, { outbox: this.outbox, ...(this.timeoutMs !== undefined ? { timeoutMs: this.timeoutMs } : {}) });
    this.built.set(config.name, { key, hook });
    return hook;
  }

  private refresh(name: string): void {
    this.drop(name);
    if (this.closed || !this.store.names().includes(name)) return;
    try {
      this.instance(this.store.get(name));
    } catch {
      // Not fatal here: the same error is reported by the next publish() or sync().
    }
  }

  private drop(name: string): void {
    const current = this.built.get(name);
    if (current === undefined) return;
    this.built.delete(name);
    current.hook.detach();
    current.hook.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new NotifyError('PB_NOTIFY_INVALID_OPTION', 'These email hooks were closed; create a new EmailHooks.');
  }
}
