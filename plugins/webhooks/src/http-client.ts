import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { AddressGuard, type AddressGuardOptions } from './address-guard';
import { AddressRefusedError, WebhookError } from './errors';
import { tracedPost } from './request-tracing';

/** Default time limit of one delivery attempt. */
export const DEFAULT_TIMEOUT_MS = 15_000;

/** Options of a {@link WebhookHttpClient}. */
export interface HttpClientOptions {
  /** Address guard or its options; by default only public unicast addresses are reached. */
  readonly guard?: AddressGuard | AddressGuardOptions;
  /** Time limit of one request (including redirects), default 15 s. */
  readonly timeoutMs?: number;
  /** How many redirects to follow (each hop re-checked by the guard); default 0 = none. */
  readonly maxRedirects?: number;
  /** `User-Agent` header. */
  readonly userAgent?: string;
}

/** One POST of a JSON body. */
export interface PostRequest {
  readonly url: string;
  /** The URL as it may be shown in errors and logs (tokens masked). Defaults to `url`. */
  readonly safeUrl?: string;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Aborts the request (e.g. the outbox shutting down). */
  readonly signal?: AbortSignal;
  /** Overrides the client's time limit for this request. */
  readonly timeoutMs?: number;
}

/** The receiver's answer. Any status is returned; only transport failures throw. */
export interface PostResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  /** Start of the response body (at most 2 KiB), for delivery logs. */
  readonly bodyExcerpt: string;
  /** Number of redirects followed. */
  readonly redirects: number;
}

/** Why a request failed before a response arrived. */
export type TransportFailureKind = 'timeout' | 'aborted' | 'connection' | 'refused-address';

/** A request failed before a response: timeout, abort, connection error or refused address. */
export class TransportError extends WebhookError {
  readonly kind: TransportFailureKind;

  constructor(kind: TransportFailureKind, message: string, cause?: unknown) {
    super(kind === 'refused-address' ? 'PB_WEBHOOK_ADDRESS_REFUSED' : 'PB_WEBHOOK_DELIVERY_FAILED', message, cause === undefined ? {} : { cause });
    this.kind = kind;
  }
}

const EXCERPT_BYTES = 2048;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * POSTs JSON over node:http/https through the {@link AddressGuard}: host names are resolved
 * by the guard's `lookup` (so the address connected to is the checked one), literal IPs
 * are checked before connecting, and the socket's remote address is checked again once
 * connected. Redirects are not followed unless `maxRedirects` > 0; every hop is checked.
 * Connections are kept alive per client.
 *
 * @example
 * ```ts
 * const client = new WebhookHttpClient({ guard: { allow: ['127.0.0.1'] }, timeoutMs: 5000 });
 * const res = await client.post({ url: 'http://127.0.0.1:8080/hook', body: '{"a":1}' });
 * client.close();
 * ```
 */
export class WebhookHttpClient {
  readonly guard: AddressGuard;
  readonly timeoutMs: number;
  readonly maxRedirects: number;
  private readonly userAgent: string;
  private readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  private readonly httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 64 });

  constructor(options: HttpClientOptions = {}) {
    this.guard = options.guard instanceof AddressGuard ? options.guard : new AddressGuard(options.guard);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxRedirects = options.maxRedirects ?? 0;
    this.userAgent = options.userAgent ?? 'plugboard-webhooks/0.1';
  }

  /** POSTs `request.body`; resolves with the final response, rejects with {@link TransportError}. */
  post(request: PostRequest): Promise<PostResponse> {
    return tracedPost(request, (r) => this.send(r));
  }

  private async send(request: PostRequest): Promise<PostResponse> {
    const timeoutMs = request.timeoutMs ?? this.timeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    let url: URL;
    try {
      url = new URL(request.url);
    } catch (cause) {
      throw new WebhookError('PB_WEBHOOK_ENDPOINT_INVALID', `Webhook URL ${request.safeUrl ?? '(invalid)'} is not a valid URL.`, { cause });
    }
    let safeUrl = request.safeUrl ?? request.url;
    let method = 'POST';
    for (let redirects = 0; ; redirects++) {
      let res: { status: number; headers: http.IncomingHttpHeaders; bodyExcerpt: string };
      try {
        res = await this.once(url, method, request, signal);
      } catch (cause) {
        throw this.transportError(cause, safeUrl, signal, timeout, timeoutMs);
      }
      const location = res.headers.location;
      if (!REDIRECTS.has(res.status) || location === undefined || redirects >= this.maxRedirects) {
        return { ...res, redirects };
      }
      url = new URL(location, url);
      safeUrl = url.origin + url.pathname;
      if (res.status === 303) method = 'GET';
    }
  }

  /** Closes kept-alive connections. */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  private once(
    url: URL,
    method: string,
    request: PostRequest,
    signal: AbortSignal,
  ): Promise<{ status: number; headers: http.IncomingHttpHeaders; bodyExcerpt: string }> {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return Promise.reject(new WebhookError('PB_WEBHOOK_ENDPOINT_INVALID', `Only http and https URLs can be called, not ${url.protocol}.`));
    }
    const hostTrusted = this.guard.isAllowedHost(url.hostname);
    if (!hostTrusted) this.guard.checkHost(url.hostname);
    const body = method === 'GET' ? undefined : Buffer.from(request.body);
    const headers: Record<string, string> = {
      'user-agent': this.userAgent,
      ...(body ? { 'content-type': 'application/json', 'content-length': String(body.length) } : {}),
      ...(body ? request.headers : {}),
    };
    const secure = url.protocol === 'https:';
    const send = secure ? https.request : http.request;
    return new Promise((resolve, reject) => {
      const req = send(
        url,
        { method, headers, signal, agent: secure ? this.httpsAgent : this.httpAgent, lookup: this.guard.lookup },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            if (size < EXCERPT_BYTES) chunks.push(chunk);
            size += chunk.length;
          });
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              bodyExcerpt: Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8'),
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      if (!hostTrusted) {
        // Defence in depth: whatever resolved, the peer actually connected to must pass too.
        req.on('socket', (socket: Socket) => {
          const verify = (): void => {
            const remote = socket.remoteAddress;
            if (remote === undefined) return;
            const v = this.guard.verdict(remote);
            if (!v.allowed) req.destroy(new AddressRefusedError(v.address, v.range, url.hostname));
          };
          if (socket.remoteAddress !== undefined && !socket.connecting) verify();
          else socket.once('connect', verify);
        });
      }
      req.end(body);
    });
  }

  private transportError(cause: unknown, safeUrl: string, signal: AbortSignal, timeout: AbortSignal, timeoutMs: number): WebhookError {
    if (cause instanceof AddressRefusedError) return cause;
    if (cause instanceof WebhookError) return cause;
    if (timeout.aborted) {
      return new TransportError('timeout', `POST ${safeUrl} timed out after ${timeoutMs} ms; the receiver must answer faster or the timeout be raised.`, cause);
    }
    if (signal.aborted) return new TransportError('aborted', `POST ${safeUrl} was aborted.`, cause);
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    const why = code ?? (cause instanceof Error ? cause.message : String(cause));
    return new TransportError('connection', `POST ${safeUrl} failed: ${why}. The receiver is unreachable; it will be tried again.`, cause);
  }
}
