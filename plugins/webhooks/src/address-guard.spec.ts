import { AddressGuard } from './address-guard';
import { realmAllows } from './realms';

describe('AddressGuard.verdict', () => {
  const guard = new AddressGuard();

  it.each([
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['169.254.169.254', 'linkLocal'],
    ['fe80::1', 'linkLocal'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['::ffff:192.168.1.1', 'private'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['fc00::1', 'uniqueLocal'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
  ])('refuses %s (%s) by default', (address, range) => {
    expect(guard.verdict(address)).toMatchObject({ allowed: false, range });
    expect(() => guard.checkAddress(address)).toThrow(expect.objectContaining({ code: 'PB_WEBHOOK_ADDRESS_REFUSED' }));
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '172.32.0.1'])('allows public unicast %s', (address) => {
    expect(guard.verdict(address).allowed).toBe(true);
  });

  it('allows what the allow list names: single addresses, CIDRs (IPv4-mapped too) and host names', () => {
    const g = new AddressGuard({ allow: ['127.0.0.1', '10.0.0.0/8', '::ffff:192.168.0.0/112', 'hooks.internal', '*.corp.example'] });
    expect(g.verdict('127.0.0.1').allowed).toBe(true);
    expect(g.verdict('::ffff:127.0.0.1').allowed).toBe(true);
    expect(g.verdict('127.0.0.2').allowed).toBe(false);
    expect(g.verdict('10.9.9.9').allowed).toBe(true);
    expect(g.verdict('192.168.5.5').allowed).toBe(true);
    expect(g.isAllowedHost('HOOKS.internal')).toBe(true);
    expect(g.isAllowedHost('a.corp.example')).toBe(true);
    expect(g.isAllowedHost('corp.example.evil')).toBe(false);
  });

  it('rejects a malformed CIDR in the allow list', () => {
    expect(() => new AddressGuard({ allow: ['10.0.0.0/99'] })).toThrow(/not a valid CIDR/);
  });
});

describe('realmAllows (eventhooks realms)', () => {
  it('fires for every call when no realms are configured', () => {
    expect(realmAllows([], undefined)).toBe(true);
    expect(realmAllows(undefined, 'x')).toBe(true);
  });
  it('fires only for a listed realm, and never for a call without realm', () => {
    expect(realmAllows(['tags'], 'tags')).toBe(true);
    expect(realmAllows(['tags'], 'commits')).toBe(false);
    expect(realmAllows(['tags'], undefined)).toBe(false);
  });
});

describe('AddressGuard.lookup (the resolver handed to the socket)', () => {
  const lookup = (guard: AddressGuard, all: boolean): Promise<unknown> =>
    new Promise((resolve, reject) => {
      guard.lookup('localhost', { all }, (err, address) => (err ? reject(err) : resolve(address)));
    });

  it('refuses a name resolving to a loopback address, in single and all-addresses mode', async () => {
    await expect(lookup(new AddressGuard(), false)).rejects.toMatchObject({ code: 'PB_WEBHOOK_ADDRESS_REFUSED', hostname: 'localhost' });
    await expect(lookup(new AddressGuard(), true)).rejects.toMatchObject({ code: 'PB_WEBHOOK_ADDRESS_REFUSED' });
  });

  it('hands the socket only the checked addresses when they are allowed', async () => {
    const guard = new AddressGuard({ allow: ['127.0.0.0/8', '::1'] });
    expect(await lookup(guard, false)).toMatch(/^(127\.0\.0\.1|::1)$/);
    const all = (await lookup(guard, true)) as { address: string }[];
    expect(all.length).toBeGreaterThan(0);
    for (const a of all) expect(guard.verdict(a.address).allowed).toBe(true);
  });
});
