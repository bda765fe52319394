import { HostError } from './errors';

/** Limits of {@link LoginThrottle}. */
export interface LoginThrottleOptions {
  /** Failed logins of one username within the window before it is refused. Default 5. */
  readonly perUsername?: number;
  /** Failed logins from one client address within the window before it is refused. Default 20. */
  readonly perAddress?: number;
  /** The sliding window, in ms. Default 15 minutes. */
  readonly windowMs?: number;
}

/** Failure times of one key, oldest first. */
type Failures = number[];

/**
 * Refuses logins after too many failures per username and per client address in a sliding
 * window (429 with `Retry-After`), so passwords cannot be guessed at the speed of the server.
 * Kept in memory: per process, forgotten on restart — enough to turn thousands of guesses per
 * minute into a handful.
 *
 * @example
 * ```ts
 * const throttle = new LoginThrottle({ perUsername: 5 });
 * throttle.check('alice', '127.0.0.1');        // throws PB_HOST_THROTTLED when over the limit
 * throttle.failed('alice', '127.0.0.1');
 * ```
 */
export class LoginThrottle {
  private readonly byUsername = new Map<string, Failures>();
  private readonly byAddress = new Map<string, Failures>();
  private readonly perUsername: number;
  private readonly perAddress: number;
  private readonly windowMs: number;

  constructor(options: LoginThrottleOptions = {}, private readonly now: () => number = Date.now) {
    this.perUsername = options.perUsername ?? 5;
    this.perAddress = options.perAddress ?? 20;
    this.windowMs = options.windowMs ?? 15 * 60_000;
  }

  /** @throws HostError `PB_HOST_THROTTLED` (429) with `retryAfterSeconds` when either limit is reached. */
  check(username: string, address: string): void {
    const wait = Math.max(this.waitMs(this.byUsername, username.toLowerCase(), this.perUsername), this.waitMs(this.byAddress, address, this.perAddress));
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      throw new HostError('PB_HOST_THROTTLED', `Too many failed logins; try again in ${seconds} s.`, { retryAfterSeconds: seconds });
    }
  }

  failed(username: string, address: string): void {
    this.add(this.byUsername, username.toLowerCase());
    this.add(this.byAddress, address);
  }

  /** A successful login clears the username's failures (not the address's). */
  succeeded(username: string): void {
    this.byUsername.delete(username.toLowerCase());
  }

  private recent(map: Map<string, Failures>, key: string): Failures {
    const since = this.now() - this.windowMs;
    const list = (map.get(key) ?? []).filter((t) => t > since);
    if (list.length === 0) map.delete(key);
    else map.set(key, list);
    return list;
  }

  private waitMs(map: Map<string, Failures>, key: string, limit: number): number {
    const list = this.recent(map, key);
    if (list.length < limit) return 0;
    // Free again once the oldest failure that keeps it at the limit leaves the window.
    return list[list.length - limit] + this.windowMs - this.now();
  }

  private add(map: Map<string, Failures>, key: string): void {
    map.set(key, [...this.recent(map, key), this.now()]);
  }
}
