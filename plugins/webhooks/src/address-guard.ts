import dns from 'node:dns';
import type { LookupAddress } from 'node:dns';
import ipaddr from 'ipaddr.js';
import { AddressRefusedError, WebhookError } from './errors';

/** Configuration of the outbound address guard. */
export interface AddressGuardOptions {
  /**
   * Destinations allowed although they are not public unicast addresses: CIDRs
   * (`10.1.0.0/16`, `fd00::/8`), single addresses (`127.0.0.1`, `::1`) or host names
   * (`hooks.internal`, `*.corp.example`). A host name entry trusts whatever it resolves to.
   */
  readonly allow?: readonly string[];
}

/** Callback shape of `dns.lookup` as `net.connect` calls it (single or `all` form). */
type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** The `lookup` function accepted by `http.request` / `net.connect`. */
export type GuardedLookup = (hostname: string, options: dns.LookupOptions, callback: LookupCallback) => void;

/** Result of classifying one address. */
export interface AddressVerdict {
  readonly allowed: boolean;
  /** The address with IPv4-mapped IPv6 forms unwrapped (`::ffff:127.0.0.1` → `127.0.0.1`). */
  readonly address: string;
  /** ipaddr.js range name (`unicast` for public addresses). */
  readonly range: string;
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/**
 * Refuses outbound connections to anything but public unicast addresses — loopback,
 * link-local (169.254/16 incl. cloud metadata 169.254.169.254, fe80::/10), private
 * (10/8, 172.16/12, 192.168/16), CGNAT 100.64/10, unique-local fc00::/7, unspecified,
 * multicast, reserved, IPv4-mapped IPv6 forms of those, and host names resolving to
 * them — unless allowed by configuration.
 *
 * The check runs on the addresses actually connected to: {@link AddressGuard.lookup}
 * resolves every address, refuses the host if any of them is refused, and hands only
 * checked addresses to the socket; literal IPs are checked by {@link AddressGuard.checkHost}.
 *
 * @example
 * ```ts
 * const guard = new AddressGuard({ allow: ['127.0.0.1'] });   // tests opt in to loopback
 * guard.verdict('169.254.169.254');   // { allowed: false, range: 'linkLocal', … }
 * http.request(url, { lookup: guard.lookup });
 * ```
 */
export class AddressGuard {
  private readonly cidrs: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [];
  private readonly hosts = new Set<string>();
  private readonly wildcards: string[] = [];

  constructor(options: AddressGuardOptions = {}) {
    for (const raw of options.allow ?? []) {
      const entry = stripBrackets(raw.trim()).toLowerCase();
      if (entry === '') continue;
      if (entry.includes('/')) {
        if (!ipaddr.isValidCIDR(entry)) {
          throw new WebhookError('PB_WEBHOOK_INVALID_OPTION', `Allow-list entry "${raw}" is not a valid CIDR; write e.g. "10.0.0.0/8" or "fd00::/8".`);
        }
        const [addr, bits] = ipaddr.parseCIDR(entry);
        this.cidrs.push(this.normalizeCidr(addr, bits));
      } else if (ipaddr.isValid(entry)) {
        const addr = ipaddr.process(entry);
        this.cidrs.push([addr, addr.kind() === 'ipv4' ? 32 : 128]);
      } else if (entry.startsWith('*.')) {
        this.wildcards.push(entry.slice(1));
      } else {
        this.hosts.add(entry);
      }
    }
  }

  private normalizeCidr(addr: ipaddr.IPv4 | ipaddr.IPv6, bits: number): [ipaddr.IPv4 | ipaddr.IPv6, number] {
    // ::ffff:a.b.c.d/104+ is an IPv4 range: store it as IPv4 so unwrapped addresses match.
    if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
      return [(addr as ipaddr.IPv6).toIPv4Address(), bits - 96];
    }
    return [addr, bits];
  }

  /** True when the host name itself is on the allow list (its addresses are then trusted). */
  isAllowedHost(hostname: string): boolean {
    const host = stripBrackets(hostname).toLowerCase().replace(/\.$/, '');
    return this.hosts.has(host) || this.wildcards.some((suffix) => host.endsWith(suffix));
  }

  /** Classifies one IP address. Throws a {@link WebhookError} if `address` is not an IP. */
  verdict(address: string): AddressVerdict {
    const literal = stripBrackets(address).split('%')[0] ?? '';
    if (!ipaddr.isValid(literal)) {
      throw new WebhookError('PB_WEBHOOK_INVALID_OPTION', `"${address}" is not an IP address.`);
    }
    const addr = ipaddr.process(literal);
    const range = addr.range();
    const shown = addr.toString();
    const listed = this.cidrs.some(([net, bits]) => net.kind() === addr.kind() && addr.match(net, bits));
    return { allowed: listed || range === 'unicast', address: shown, range };
  }

  /** Throws {@link AddressRefusedError} unless `address` may be connected to. */
  checkAddress(address: string, hostname?: string): void {
    const v = this.verdict(address);
    if (!v.allowed) throw new AddressRefusedError(v.address, v.range, hostname);
  }

  /**
   * Checks a URL's host before connecting: a literal IP is checked here (sockets skip
   * `lookup` for literals); a name is checked later by {@link AddressGuard.lookup}.
   */
  checkHost(hostname: string): void {
    const host = stripBrackets(hostname);
    if (ipaddr.isValid(host)) this.checkAddress(host);
  }

  /**
   * A `lookup` for `http.request`/`net.connect`: resolves all addresses of the host and
   * fails with {@link AddressRefusedError} if any of them is refused, so a name with one
   * public and one private address cannot be used to reach the private one.
   */
  readonly lookup: GuardedLookup = (hostname, options, callback) => {
    const family = typeof options.family === 'number' ? options.family : 0;
    dns.lookup(hostname, { all: true, family, hints: options.hints ?? 0 }, (err, addresses) => {
      if (err) {
        callback(err, options.all === true ? [] : '');
        return;
      }
      const trusted = this.isAllowedHost(hostname);
      const checked: LookupAddress[] = [];
      for (const entry of addresses) {
        if (!trusted) {
          const v = this.verdict(entry.address);
          if (!v.allowed) {
            callback(new AddressRefusedError(v.address, v.range, hostname), options.all === true ? [] : '');
            return;
          }
        }
        checked.push(entry);
      }
      const first = checked[0];
      if (first === undefined) {
        const e: NodeJS.ErrnoException = new Error(`No address found for "${hostname}".`);
        e.code = 'ENOTFOUND';
        callback(e, options.all === true ? [] : '');
        return;
      }
      if (options.all === true) callback(null, checked);
      else callback(null, first.address, first.family);
    });
  };
}
