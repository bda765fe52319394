import type { AddressGuard, AddressGuardOptions } from './address-guard';
import { classifyResponse } from './classify';
import { WebhookDeliveryError, WebhookError } from './errors';
import { WebhookHttpClient, type PostResponse, TransportError } from './http-client';
import { MASK } from './endpoint-model';
import { realmAllows } from './realms';

/** What one `trigger()` call did. */
export type TriggerResult =
  | { readonly fired: false; readonly reason: 'realm' | 'empty' | 'disabled' }
  /** Sent at once (standalone trigger); `statusCode` is the receiver's 2xx. */
  | { readonly fired: true; readonly statusCode: number }
  /** Queued in the durable outbox (trigger registered with `Webhooks`); `queued` is the message id. */
  | { readonly fired: true; readonly queued: string };

/** Options common to every trigger. */
export interface TriggerOptions {
  /** Unique name (used in logs and by rules to refer to the trigger). */
  readonly name: string;
  /** Realms in which the trigger fires; none = every call. */
  readonly realms?: readonly string[];
  /** Address guard for standalone sending; default: public unicast addresses only. */
  readonly guard?: AddressGuard | AddressGuardOptions;
  /** Time limit of a standalone send, default 15 s. */
  readonly timeoutMs?: number;
}

/** Hands a body to a delivery route (the outbox) instead of sending it directly. */
export type TriggerRoute = (trigger: WebHookTrigger, body: unknown) => Promise<string> | string;

function isEmpty(data: unknown): boolean {
  if (data === undefined || data === null) return true;
  if (typeof data === 'string') return data.trim() === '';
  if (Array.isArray(data)) return data.length === 0;
  if (typeof data === 'object') return Object.keys(data).length === 0;
  return false;
}

/**
 * Base of the eventhooks-style triggers: a name, realms, a URL holding a token that is
 * never shown (`toString`, `toJSON`, errors and logs use the masked URL).
 * `trigger(data, realm)` sends nothing for an empty payload or a realm not admitted.
 */
export abstract class WebHookTrigger {
  readonly name: string;
  readonly realms: readonly string[];
  /** The URL with its token replaced by `***`. */
  abstract readonly urlSafe: string;
  /** `mattermost` or `dockerhub`. */
  abstract readonly kind: string;
  /** Set when the receiver answered 410 Gone; the trigger then stops firing. */
  disabledReason?: string;
  readonly #options: TriggerOptions;
  #client?: WebhookHttpClient;
  #route?: TriggerRoute;

  protected constructor(options: TriggerOptions) {
    if (typeof options.name !== 'string' || options.name.trim() === '') {
      throw new WebhookError('PB_WEBHOOK_TRIGGER_INVALID', 'A webhook trigger needs a non-empty name.');
    }
    this.name = options.name;
    this.realms = [...(options.realms ?? [])];
    this.#options = options;
  }

  /** The real URL (with token), for sending only. */
  protected abstract url(): string;

  /** Builds the JSON body for `data`; `data` is known to be non-empty. */
  protected abstract body(data: unknown): unknown;

  /** True when a call in `realm` may fire this trigger (eventhooks realm rule). */
  allowed(realm?: string): boolean {
    return realmAllows(this.realms, realm);
  }

  /**
   * Fires the trigger: nothing happens for an empty payload, a realm not admitted or a
   * disabled trigger. Standalone, it POSTs at once and throws {@link WebhookDeliveryError}
   * on failure; once registered with `Webhooks`, it queues the body in the outbox.
   *
   * @example
   * ```ts
   * await mattermost.trigger('Found new tag for repo x.', 'github_tags');
   * ```
   */
  async trigger(data: unknown, realm?: string): Promise<TriggerResult> {
    if (!this.allowed(realm)) return { fired: false, reason: 'realm' };
    if (isEmpty(data)) return { fired: false, reason: 'empty' };
    if (this.disabledReason !== undefined) return { fired: false, reason: 'disabled' };
    const body = this.body(data);
    if (this.#route) return { fired: true, queued: await this.#route(this, body) };
    this.#client ??= new WebhookHttpClient({
      ...(this.#options.guard !== undefined ? { guard: this.#options.guard } : {}),
      ...(this.#options.timeoutMs !== undefined ? { timeoutMs: this.#options.timeoutMs } : {}),
    });
    let res: PostResponse;
    try {
      res = await this.post(this.#client, body);
    } catch (cause) {
      const retryable = cause instanceof TransportError && cause.kind !== 'refused-address';
      const why = cause instanceof Error ? cause.message : String(cause);
      throw new WebhookDeliveryError(`Webhook trigger "${this.name}" could not reach ${this.urlSafe}: ${why}`, { retryable, cause });
    }
    const verdict = classifyResponse(res, this.urlSafe);
    if (verdict.kind === 'delivered') return { fired: true, statusCode: verdict.status };
    if (verdict.kind === 'gone') this.disable(verdict.reason);
    throw new WebhookDeliveryError(`Webhook trigger "${this.name}" failed: ${verdict.reason}.`, {
      statusCode: verdict.status,
      retryable: verdict.kind === 'retry',
      ...(verdict.kind === 'retry' && verdict.retryAfterMs !== undefined ? { retryAfterMs: verdict.retryAfterMs } : {}),
    });
  }

  /** Stops the trigger from firing and records why (done automatically on 410 Gone). */
  disable(reason: string): void {
    this.disabledReason = reason;
  }

  /** Lets the trigger fire again. */
  enable(): void {
    delete this.disabledReason;
  }

  /** POSTs an already-built body through `client`; used by the outbox deliverer. */
  post(client: WebhookHttpClient, body: unknown, signal?: AbortSignal): Promise<PostResponse> {
    return client.post({ url: this.url(), safeUrl: this.urlSafe, body: JSON.stringify(body), ...(signal ? { signal } : {}) });
  }

  /** Routes future `trigger()` calls (called by `Webhooks.register`); `undefined` sends directly again. */
  attach(route: TriggerRoute | undefined): void {
    this.#route = route;
  }

  /** Closes the standalone HTTP client's kept-alive connections. */
  close(): void {
    this.#client?.close();
  }

  toString(): string {
    return `${this.name}: ${this.urlSafe}`;
  }

  /** Safe for API responses: the token is masked. */
  toJSON(): { name: string; kind: string; url: string; realms: readonly string[]; disabledReason?: string } {
    return {
      name: this.name,
      kind: this.kind,
      url: this.urlSafe,
      realms: this.realms,
      ...(this.disabledReason !== undefined ? { disabledReason: this.disabledReason } : {}),
    };
  }
}

function httpBase(value: unknown, what: string, trigger: string): string {
  if (typeof value !== 'string') throw new WebhookError('PB_WEBHOOK_TRIGGER_INVALID', `Trigger "${trigger}" needs ${what} (an http(s) URL).`);
  let u: URL;
  try {
    u = new URL(value);
  } catch (cause) {
    throw new WebhookError('PB_WEBHOOK_TRIGGER_INVALID', `Trigger "${trigger}": ${what} is not a valid URL.`, { cause });
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new WebhookError('PB_WEBHOOK_TRIGGER_INVALID', `Trigger "${trigger}": ${what} must use http or https.`);
  }
  return value.replace(/\/+$/, '');
}

function token(value: unknown, what: string, trigger: string): string {
  if (typeof value !== 'string' || value.trim() === '' || /[/?#\s]/.test(value)) {
    // The value itself is never echoed: it is a secret.
    throw new WebhookError('PB_WEBHOOK_TRIGGER_INVALID', `Trigger "${trigger}" needs ${what}: a non-empty string without "/", "?", "#" or spaces.`);
  }
  return value;
}

/** Options of {@link MattermostWebHook}. */
export interface MattermostOptions extends TriggerOptions {
  /** Mattermost server, e.g. `https://chat.example.com`. */
  readonly host: string;
  /** Incoming webhook token (secret). */
  readonly token: string;
}

/**
 * Mattermost incoming webhook: POST `{host}/hooks/{token}` with `{"text": …}`. A string
 * is sent as the text; an object with a string `text` is sent as a Mattermost payload
 * as is; any other object is sent as 2-space-indented JSON text.
 *
 * @example
 * ```ts
 * const mattermost = new MattermostWebHook({ name: 'mattermost_event', host: 'https://chat.example.com', token, realms: ['github_tags'] });
 * await mattermost.trigger('Found new tag for repo x.', 'github_tags');
 * ```
 */
export class MattermostWebHook extends WebHookTrigger {
  readonly kind = 'mattermost';
  readonly urlSafe: string;
  readonly #url: string;

  constructor(options: MattermostOptions) {
    super(options);
    const host = httpBase(options.host, 'a host', this.name);
    this.#url = `${host}/hooks/${token(options.token, 'a token', this.name)}`;
    this.urlSafe = `${host}/hooks/${MASK}`;
  }

  protected url(): string {
    return this.#url;
  }

  protected body(data: unknown): unknown {
    if (typeof data === 'string') return { text: data };
    if (typeof data === 'object' && data !== null && typeof (data as { text?: unknown }).text === 'string') return data;
    return { text: JSON.stringify(data, null, 2) };
  }
}

/** Options of {@link DockerHubWebHook}. */
export interface DockerHubOptions extends TriggerOptions {
  /** Build source id (the first uuid of the trigger URL). */
  readonly source: string;
  /** Trigger token (secret; the second uuid of the trigger URL). */
  readonly token: string;
  /** Docker Hub base URL, default `https://hub.docker.com` (tests point it at a local server). */
  readonly baseUrl?: string;
}

/**
 * Docker Hub build trigger: POST `{baseUrl}/api/build/v1/source/{source}/trigger/{token}/call/`.
 * A string payload triggers that branch (`{"source_type": "Branch", "source_name": data}`);
 * an object is sent as is (e.g. `{ source_type: 'Tag', source_name: 'v1.0' }` or `{ docker_tag: 'latest' }`).
 *
 * @example
 * ```ts
 * const dockerhub = new DockerHubWebHook({ name: 'dockerhub_event', source, token });
 * await dockerhub.trigger('master');
 * ```
 */
export class DockerHubWebHook extends WebHookTrigger {
  readonly kind = 'dockerhub';
  readonly urlSafe: string;
  readonly #url: string;

  constructor(options: DockerHubOptions) {
    super(options);
    const base = httpBase(options.baseUrl ?? 'https://hub.docker.com', 'a baseUrl', this.name);
    const source = token(options.source, 'a source id', this.name);
    this.#url = `${base}/api/build/v1/source/${source}/trigger/${token(options.token, 'a token', this.name)}/call/`;
    this.urlSafe = `${base}/api/build/v1/source/${source}/trigger/${MASK}/call/`;
  }

  protected url(): string {
    return this.#url;
  }

  protected body(data: unknown): unknown {
    if (typeof data === 'string') return { source_type: 'Branch', source_name: data };
    return data;
  }
}
