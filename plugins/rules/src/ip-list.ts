import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Range = [Address, number];

/**
 * A client-IP condition: comma-separated addresses and CIDR ranges, `!` marking exclusions,
 * e.g. `10.0.0.0/8,!10.0.0.5`. An address matches when it lies in at least one included range
 * (or there are only exclusions) and in no excluded range. IPv4-mapped IPv6 addresses and ranges
 * (`::ffff:10.0.0.5`) are treated as the IPv4 they carry.
 *
 * @example
 * ```ts
 * const list = IpList.parse('10.0.0.0/8, !10.0.0.5');
 * list.matches('10.1.2.3');        // true
 * list.matches('::ffff:10.0.0.5'); // false (excluded)
 * ```
 */
export class IpList {
  private constructor(
    private readonly include: readonly Range[],
    private readonly exclude: readonly Range[],
  ) {}

  /** @throws Error naming the first entry that is not an address or CIDR range. */
  static parse(value: string): IpList {
    const include: Range[] = [];
    const exclude: Range[] = [];
    for (const raw of value.split(',')) {
      let entry = raw.trim();
      if (entry === '') continue;
      const negated = entry.startsWith('!');
      if (negated) entry = entry.slice(1).trim();
      (negated ? exclude : include).push(parseRange(entry));
    }
    if (include.length === 0 && exclude.length === 0) throw new Error('lists no address or range');
    return new IpList(include, exclude);
  }

  /** False for a missing or unparsable address. */
  matches(ip: string | undefined): boolean {
    const address = parseAddress(ip);
    if (address === undefined) return false;
    if (this.include.length > 0 && !this.include.some((r) => inRange(address, r))) return false;
    return !this.exclude.some((r) => inRange(address, r));
  }
}

function parseRange(entry: string): Range {
  let range: Range;
  if (entry.includes('/')) {
    if (!ipaddr.IPv4.isValidCIDRFourPartDecimal(entry) && !ipaddr.IPv6.isValidCIDR(entry)) {
      throw new Error(`${JSON.stringify(entry)} is not a valid CIDR range (e.g. 10.0.0.0/8 or 2001:db8::/32)`);
    }
    range = ipaddr.parseCIDR(entry);
  } else {
    if (!ipaddr.IPv4.isValidFourPartDecimal(entry) && !ipaddr.IPv6.isValid(entry)) {
      throw new Error(`${JSON.stringify(entry)} is not a valid IP address (e.g. 10.0.0.5 or ::1)`);
    }
    const address = ipaddr.parse(entry);
    range = [address, address.kind() === 'ipv4' ? 32 : 128];
  }
  const [address, bits] = range;
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
    return [(address as ipaddr.IPv6).toIPv4Address(), bits - 96];
  }
  return range;
}

// One event is checked against many rules with the same client address: parsing it once
// instead of once per rule is most of the cost of the client_ip condition.
let lastIp: string | undefined;
let lastAddress: Address | undefined;

function parseAddress(ip: string | undefined): Address | undefined {
  if (ip === undefined) return undefined;
  if (ip === lastIp) return lastAddress;
  const address = parseFresh(ip);
  lastIp = ip;
  lastAddress = address;
  return address;
}

function parseFresh(ip: string): Address | undefined {
  const trimmed = ip.trim();
  if (!ipaddr.IPv4.isValidFourPartDecimal(trimmed) && !ipaddr.IPv6.isValid(trimmed)) return undefined;
  // process() turns IPv4-mapped IPv6 into IPv4 so `::ffff:10.0.0.5` meets `10.0.0.0/8`.
  return ipaddr.process(trimmed);
}

function inRange(address: Address, range: Range): boolean {
  // ipaddr's match() throws when the families differ; a v6 address is simply not in a v4 range.
  if (address.kind() !== range[0].kind()) return false;
  return address.match(range);
}
