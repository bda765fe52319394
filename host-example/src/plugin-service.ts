import type { EmailHookConfig, EmailHookConfigInput, EmailHookConfigPatch, EmailHookDelivery, SmsGatewayConfigInput, SmtpConfigInput, Stored } from '@plugboard/notify';
import type { AttemptRecord, OutboxMessage, OutboxState } from '@plugboard/outbox';
import type { EventLogQuery, HandlerModuleInfo, Rule, RuleFilter, RuleInput, RulePatch } from '@plugboard/rules';
import type { EndpointInput, EndpointPatch } from '@plugboard/webhooks';
import { isAdmin, isSuperAdmin } from './admin-service';
import { SMS_REFERENCE, SMTP_REFERENCE, WEBHOOK_REFERENCE, assertUnused } from './config-references';
import { forbidden, invalid, notFound } from './errors';
import { jsonSafe } from './hook-events';
import type { HostBus } from './host-bus';
import type { User } from './model';
import type { HostPlugins } from './plugins';

/** An outbox message as the API shows it: secrets in the payload masked, with its attempts. */
export interface OutboxView {
  readonly id: string;
  readonly channel: string;
  readonly state: OutboxState;
  readonly attempts: number;
  readonly meta: Readonly<Record<string, string>>;
  readonly payload: unknown;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly nextAttemptAt?: Date;
  readonly deliveredAt?: Date;
  readonly lastError?: string;
  readonly history?: readonly AttemptRecord[];
}

function outboxView(msg: OutboxMessage, history?: readonly AttemptRecord[]): OutboxView {
  const m = msg;
  return {
    id: m.id,
    channel: m.channel,
    state: m.state,
    attempts: m.attempts,
    meta: m.meta,
    payload: jsonSafe(m.payload),
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
    ...(m.nextAttemptAt !== undefined ? { nextAttemptAt: m.nextAttemptAt } : {}),
    ...(m.deliveredAt !== undefined ? { deliveredAt: m.deliveredAt } : {}),
    ...(m.lastError !== undefined ? { lastError: m.lastError } : {}),
    ...(history !== undefined ? { history } : {}),
  };
}

/**
 * The plugins' administration, shared by the HTTP API and the CLI: rules, handler modules,
 * SMTP / SMS configurations, webhook endpoints, stored email hooks and the outbox. Configuration is for
 * SuperAdmins; administrators may read the handler modules and event names.
 *
 * @example
 * ```ts
 * const admin = new PluginAdmin(host, host.bus);
 * admin.createRule(superAdmin, { name: 'log', events: ['AccountCreated'], handlerModule: 'Logger', action: 'log', options: { message: '{username}' } });
 * ```
 */
export class PluginAdmin {
  constructor(
    private readonly plugins: Pick<HostPlugins, 'outbox' | 'rules' | 'notify' | 'webhooks'>,
    private readonly bus: HostBus,
  ) {}

  private superAdmin(actor: User): void {
    if (!isSuperAdmin(actor)) throw forbidden(`This needs a SuperAdmin; you are ${actor.role}.`);
  }

  private admin(actor: User): void {
    if (!isAdmin(actor)) throw forbidden(`This needs an administrator; you are ${actor.role}.`);
  }

  // ── rules ──────────────────────────────────────────────────────────────────

  listRules(actor: User, filter: RuleFilter = {}): Promise<Rule[]> {
    this.superAdmin(actor);
    return this.plugins.rules.store.list(filter);
  }

  async rule(actor: User, id: number): Promise<Rule> {
    this.superAdmin(actor);
    const rule = await this.plugins.rules.store.get(id);
    if (rule === undefined) throw notFound('Rule', id);
    return rule;
  }

  /** Saves a validated rule; a bad one throws `RuleValidationError` with `issues` (path + message). */
  createRule(actor: User, input: RuleInput): Promise<Rule> {
    this.superAdmin(actor);
    return this.plugins.rules.store.create(input);
  }

  async updateRule(actor: User, id: number, patch: RulePatch): Promise<Rule> {
    await this.rule(actor, id);
    return this.plugins.rules.store.update(id, patch);
  }

  async deleteRule(actor: User, id: number): Promise<void> {
    await this.rule(actor, id);
    await this.plugins.rules.store.delete(id);
  }

  async setRuleActive(actor: User, id: number, active: boolean): Promise<Rule> {
    await this.rule(actor, id);
    return this.plugins.rules.store.setActive(id, active);
  }

  /** The handler modules with their actions, option schemas and conditions (for form builders). */
  handlerModules(actor: User): HandlerModuleInfo[] {
    this.admin(actor);
    return this.plugins.rules.registry.list();
  }

  /** Event names a rule can bind: every hook of the catalogue, then the API's route events. */
  ruleEvents(actor: User, apiEvents: readonly string[]): { hooks: { name: string; description?: string; params: readonly string[] }[]; api: string[] } {
    this.admin(actor);
    const hooks = this.bus.names().map((name) => {
      const plan = this.bus.explain(name);
      return { name, params: plan.params, ...(plan.description !== undefined ? { description: plan.description } : {}) };
    });
    return { hooks, api: [...apiEvents].sort() };
  }

  eventLog(actor: User, query: EventLogQuery = {}): ReturnType<HostPlugins['rules']['store']['eventLog']['query']> {
    this.superAdmin(actor);
    return this.plugins.rules.store.eventLog.query(query);
  }

  // ── SMTP and SMS configurations ────────────────────────────────────────────

  listSmtp(actor: User): ReturnType<HostPlugins['notify']['configs']['listSmtp']> {
    this.superAdmin(actor);
    return this.plugins.notify.configs.listSmtp();
  }

  smtp(actor: User, name: string): ReturnType<HostPlugins['notify']['configs']['listSmtp']>[number] {
    const found = this.listSmtp(actor).find((c) => c.name === name);
    if (found === undefined) throw notFound('SMTP configuration', name);
    return found;
  }

  async createSmtp(actor: User, input: SmtpConfigInput): ReturnType<HostPlugins['notify']['configs']['createSmtp']> {
    this.superAdmin(actor);
    return this.plugins.notify.configs.createSmtp(input);
  }

  async updateSmtp(actor: User, name: string, patch: Partial<Omit<SmtpConfigInput, 'name'>>): ReturnType<HostPlugins['notify']['configs']['updateSmtp']> {
    this.superAdmin(actor);
    return this.plugins.notify.configs.updateSmtp(name, patch);
  }

  /** @throws 409 when a rule uses it, unless `force`. */
  async deleteSmtp(actor: User, name: string, force = false): Promise<void> {
    this.superAdmin(actor);
    assertUnused(await this.plugins.rules.store.list(), SMTP_REFERENCE, [name], force);
    if (!(await this.plugins.notify.configs.deleteSmtp(name))) throw notFound('SMTP configuration', name);
  }

  listSms(actor: User): ReturnType<HostPlugins['notify']['configs']['listSms']> {
    this.superAdmin(actor);
    return this.plugins.notify.configs.listSms();
  }

  async createSms(actor: User, input: SmsGatewayConfigInput): ReturnType<HostPlugins['notify']['configs']['createSms']> {
    this.superAdmin(actor);
    return this.plugins.notify.configs.createSms(input);
  }

  async updateSms(actor: User, name: string, patch: Partial<Omit<SmsGatewayConfigInput, 'name'>>): ReturnType<HostPlugins['notify']['configs']['updateSms']> {
    this.superAdmin(actor);
    return this.plugins.notify.configs.updateSms(name, patch);
  }

  /** @throws 409 when a rule uses it, unless `force`. */
  async deleteSms(actor: User, name: string, force = false): Promise<void> {
    this.superAdmin(actor);
    assertUnused(await this.plugins.rules.store.list(), SMS_REFERENCE, [name], force);
    if (!(await this.plugins.notify.configs.deleteSms(name))) throw notFound('SMS gateway', name);
  }

  // ── webhook endpoints ──────────────────────────────────────────────────────

  listWebhooks(actor: User): ReturnType<HostPlugins['webhooks']['store']['list']> {
    this.superAdmin(actor);
    return this.plugins.webhooks.store.list();
  }

  async webhook(actor: User, idOrName: string): ReturnType<HostPlugins['webhooks']['store']['require']> {
    this.superAdmin(actor);
    const found = await this.plugins.webhooks.store.get(idOrName);
    if (found === undefined) throw notFound('Webhook endpoint', idOrName);
    return found;
  }

  /** Creates an endpoint; a generated signing secret is returned this once. */
  createWebhook(actor: User, input: EndpointInput): ReturnType<HostPlugins['webhooks']['store']['create']> {
    this.superAdmin(actor);
    return this.plugins.webhooks.store.create(input);
  }

  async updateWebhook(actor: User, idOrName: string, patch: EndpointPatch): ReturnType<HostPlugins['webhooks']['store']['update']> {
    await this.webhook(actor, idOrName);
    return this.plugins.webhooks.store.update(idOrName, patch);
  }

  /** @throws 409 when a rule names it (by id or name), unless `force`. */
  async removeWebhook(actor: User, idOrName: string, force = false): Promise<void> {
    const endpoint = await this.webhook(actor, idOrName);
    assertUnused(await this.plugins.rules.store.list(), WEBHOOK_REFERENCE, [endpoint.name, endpoint.id], force);
    await this.plugins.webhooks.store.remove(idOrName);
  }

  /** Newest first: each delivery with its attempts, status codes and next retry. */
  async webhookLog(actor: User, idOrName: string, limit = 50): ReturnType<HostPlugins['webhooks']['deliveryLog']> {
    await this.webhook(actor, idOrName);
    return this.plugins.webhooks.deliveryLog(idOrName, { limit });
  }

  // ── stored email hooks ─────────────────────────────────────────────────────

  /** Every stored email hook, credentials masked. */
  listEmailHooks(actor: User): Stored<EmailHookConfig>[] {
    this.superAdmin(actor);
    return this.plugins.notify.emailHooks.store.list();
  }

  emailHook(actor: User, name: string): Stored<EmailHookConfig> {
    this.superAdmin(actor);
    if (!this.plugins.notify.emailHooks.store.names().includes(name)) throw notFound('Email hook', name);
    return this.plugins.notify.emailHooks.store.show(name);
  }

  /** Saves a validated email hook (bad fields → `PB_NOTIFY_INVALID_CONFIG` naming them); `events` must be notify hooks. */
  async createEmailHook(actor: User, input: EmailHookConfigInput): Promise<Stored<EmailHookConfig>> {
    this.superAdmin(actor);
    this.checkHookEvents(input.events);
    return this.plugins.notify.emailHooks.store.create(input);
  }

  /** `settings` fields are merged into the stored ones; `credentials: "***"` keeps the stored secret. */
  async updateEmailHook(actor: User, name: string, patch: EmailHookConfigPatch): Promise<Stored<EmailHookConfig>> {
    this.emailHook(actor, name);
    if (patch.events !== undefined) this.checkHookEvents(patch.events);
    return this.plugins.notify.emailHooks.store.update(name, patch);
  }

  /** Deletes the hook; mail it already queued stays in the outbox. */
  async removeEmailHook(actor: User, name: string): Promise<void> {
    this.emailHook(actor, name);
    await this.plugins.notify.emailHooks.store.delete(name);
  }

  /** Newest first: the hook's mails in the outbox with their attempts, status codes and next retry. */
  async emailHookLog(actor: User, name: string, limit = 50): Promise<EmailHookDelivery[]> {
    this.emailHook(actor, name);
    return this.plugins.notify.emailHooks.deliveryLog(name, { limit });
  }

  // Only notify hooks that succeed are fanned out, so any other name could never fire.
  private checkHookEvents(events: readonly string[] | undefined): void {
    (events ?? []).forEach((event, i) => {
      const known = this.bus.names().includes(event as never);
      if (!known || this.bus.explain(event as never).kind !== 'notify') {
        throw invalid(`events.${i}`, `"${event}" is not a notify hook of this host; use one of the hooks listed by GET /api/rules/events (e.g. AccountCreated).`);
      }
    });
  }

  // ── outbox ─────────────────────────────────────────────────────────────────

  async listOutbox(actor: User, filter: { state?: OutboxState; channel?: string; limit?: number; offset?: number } = {}): Promise<{ messages: OutboxView[]; counts: Record<OutboxState, number> }> {
    this.superAdmin(actor);
    const [messages, counts] = await Promise.all([this.plugins.outbox.list(filter), this.plugins.outbox.counts()]);
    return { messages: messages.map((m) => outboxView(m)), counts };
  }

  async outboxMessage(actor: User, id: string): Promise<OutboxView> {
    this.superAdmin(actor);
    const msg = await this.plugins.outbox.get(id);
    if (msg === undefined) throw notFound('Outbox message', id);
    return outboxView(msg, await this.plugins.outbox.attempts(id));
  }

  /** Newest first: the messages a rule queued (outbox meta `ruleId`) with their current state — delivered, dead or pending. */
  async ruleDeliveries(actor: User, id: number, limit?: number): Promise<OutboxView[]> {
    await this.rule(actor, id);
    return (await this.plugins.outbox.messagesByMeta('ruleId', String(id), limit)).map((m) => outboxView(m));
  }

  /** Dead letter → pending (attempts reset), pending → due now. */
  async retryOutbox(actor: User, id: string): Promise<OutboxView> {
    await this.outboxMessage(actor, id);
    return outboxView(await this.plugins.outbox.retry(id));
  }
}
