import type { ActionSpec, EventContext, HandlerOutcome, OptionValues } from '@plugboard/core';
import { BaseHandlerModule, renderTemplate } from '@plugboard/rules';
import { WebhookError } from './errors';
import { DockerHubWebHook, MattermostWebHook, type TriggerResult, type WebHookTrigger } from './triggers';
import type { Webhooks } from './webhooks';

/** `{tag}` substitution for message texts; an unknown tag is an error, never an empty string. */
function render(template: string, ctx: EventContext): string {
  const tags: Record<string, unknown> = {
    ...ctx.payload,
    event: ctx.event,
    action: ctx.event,
    position: ctx.position,
    realm: ctx.realm ?? ctx.user?.realm,
    user: ctx.user?.username,
    username: ctx.user?.username,
    userrealm: ctx.user?.realm,
    admin: ctx.loggedInUser?.username,
  };
  return renderTemplate(template, tags, {
    where: `message text of event ${ctx.event}`,
    unknownTag: (unknown, where) =>
      new WebhookError(
        'PB_WEBHOOK_INVALID_OPTION',
        `Unknown tag(s) ${unknown.map((t) => `{${t}}`).join(', ')} in the ${where}; use event, realm, user, username, admin, position or a payload field.`,
      ),
  });
}

function str(options: OptionValues, name: string): string | undefined {
  const v = options[name];
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

function outcome(result: TriggerResult, name: string): HandlerOutcome {
  if (!result.fired) return { detail: `trigger "${name}" did not fire (${result.reason})` };
  if ('queued' in result) return { detail: `queued for trigger "${name}"`, queued: [result.queued] };
  return { detail: `trigger "${name}" answered ${result.statusCode}` };
}

/**
 * Handler module `WebHook` for the rules engine:
 * - `post` — signed Standard Webhook to a stored endpoint (option `endpoint`: id or name),
 *   envelope `type` = the event (or option `event`), `data` = payload, user, result;
 * - `mattermost` — fires a registered {@link MattermostWebHook} (option `trigger`) with `text`
 *   (`{tag}` placeholders; default: event name and payload as JSON);
 * - `dockerhub` — fires a registered {@link DockerHubWebHook} (option `trigger`) for
 *   `source_type` / `source_name` (default Branch / the payload's `branch` or `tag`).
 * The event's realm is the call's realm, so endpoint and trigger realms apply. Every
 * delivery goes through the outbox. Standard conditions come from `BaseHandlerModule`.
 *
 * @example
 * ```ts
 * container.bind(HANDLER_MODULE).toConstantValue(new WebHookHandler(webhooks));
 * // rule: { handlerModule: 'WebHook', action: 'post', options: { endpoint: 'crm' }, events: ['AccountCreated'] }
 * ```
 */
export class WebHookHandler extends BaseHandlerModule {
  readonly identifier = 'WebHook';
  readonly description = 'Signed webhooks (Standard Webhooks), Mattermost messages and Docker Hub build triggers, delivered through the outbox.';
  readonly actions: Readonly<Record<string, ActionSpec>> = {
    post: {
      description: 'POST a signed JSON envelope {type, id, timestamp, data} to a webhook endpoint.',
      options: {
        endpoint: { type: 'str', required: true, description: 'Id or name of the webhook endpoint.' },
        event: { type: 'str', description: 'Event name sent as the envelope type (default: the event).' },
      },
    },
    mattermost: {
      description: 'Post a message to a Mattermost incoming webhook.',
      options: {
        trigger: { type: 'str', required: true, description: 'Name of a registered Mattermost trigger.' },
        text: { type: 'text', description: 'Message text with {tag} placeholders (default: event and payload).' },
      },
    },
    dockerhub: {
      description: 'Trigger a Docker Hub build.',
      options: {
        trigger: { type: 'str', required: true, description: 'Name of a registered Docker Hub trigger.' },
        source_type: { type: 'str', values: ['Branch', 'Tag'], default: 'Branch', description: 'Build source type.' },
        source_name: { type: 'str', description: 'Branch or tag name with {tag} placeholders (default: payload branch or tag).' },
      },
    },
  };

  constructor(private readonly webhooks: Webhooks) {
    super();
  }

  async do(action: string, ctx: EventContext, options: OptionValues): Promise<HandlerOutcome> {
    switch (action) {
      case 'post':
        return this.post(ctx, options);
      case 'mattermost': {
        const trigger = this.trigger(options, MattermostWebHook, 'Mattermost');
        const template = str(options, 'text');
        const text = template !== undefined ? render(template, ctx) : `${ctx.event}: ${JSON.stringify(ctx.payload, null, 2)}`;
        return outcome(await trigger.trigger(text, ctx.realm), trigger.name);
      }
      case 'dockerhub': {
        const trigger = this.trigger(options, DockerHubWebHook, 'Docker Hub');
        const sourceType = str(options, 'source_type') ?? 'Branch';
        const template = str(options, 'source_name');
        const fromPayload = sourceType === 'Tag' ? ctx.payload.tag : ctx.payload.branch;
        const sourceName = template !== undefined ? render(template, ctx) : typeof fromPayload === 'string' ? fromPayload : '';
        // An empty source name is an empty payload: eventhooks sends nothing then.
        const data = sourceName.trim() === '' ? undefined : { source_type: sourceType, source_name: sourceName };
        return outcome(await trigger.trigger(data, ctx.realm), trigger.name);
      }
      default:
        throw new WebhookError('PB_WEBHOOK_UNKNOWN_ACTION', `Module WebHook has no action "${action}"; use post, mattermost or dockerhub.`);
    }
  }

  private async post(ctx: EventContext, options: OptionValues): Promise<HandlerOutcome> {
    const endpoint = str(options, 'endpoint');
    if (endpoint === undefined) {
      throw new WebhookError('PB_WEBHOOK_INVALID_OPTION', 'Action WebHook.post needs option "endpoint" (id or name of a webhook endpoint).');
    }
    const data = {
      event: ctx.event,
      eventId: ctx.eventId,
      position: ctx.position,
      payload: ctx.payload,
      ...(ctx.realm !== undefined ? { realm: ctx.realm } : {}),
      ...(ctx.user !== undefined ? { user: ctx.user } : {}),
      ...(ctx.loggedInUser !== undefined ? { loggedInUser: ctx.loggedInUser } : {}),
      ...(ctx.result !== undefined ? { result: ctx.result } : {}),
    };
    const result = await this.webhooks.send(endpoint, str(options, 'event') ?? ctx.event, data, {
      eventId: ctx.eventId,
      ...(ctx.rule !== undefined ? { ruleId: ctx.rule.id, ruleName: ctx.rule.name } : {}),
      occurredAt: ctx.timestamp,
      ...(ctx.realm !== undefined ? { realm: ctx.realm } : {}),
    });
    if ('queued' in result) return { detail: `queued 1 webhook to endpoint "${endpoint}"`, queued: [result.queued] };
    // Nothing was sent, by design: the rules log says `skipped` with the reason, not `ok`.
    return { detail: `not sent: ${result.detail}`, skipped: `not sent: ${result.detail}` };
  }

  private trigger<T extends WebHookTrigger>(options: OptionValues, kind: abstract new (...args: never[]) => T, label: string): T {
    const name = str(options, 'trigger');
    if (name === undefined) {
      throw new WebhookError('PB_WEBHOOK_INVALID_OPTION', `This action needs option "trigger": the name of a registered ${label} trigger.`);
    }
    const trigger = this.webhooks.trigger(name);
    if (!(trigger instanceof kind)) {
      throw new WebhookError(
        'PB_WEBHOOK_TRIGGER_UNKNOWN',
        `No ${label} trigger named "${name}" is registered; register it with webhooks.register() at start-up.`,
      );
    }
    return trigger;
  }
}
