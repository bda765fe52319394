import { IpList } from './ip-list';

describe('IpList', () => {
  it('matches included ranges minus excluded ones, with spaces tolerated', () => {
    const list = IpList.parse(' 10.0.0.0/8 , !10.0.0.5, 192.168.1.1 ');
    expect(['10.200.0.1', '192.168.1.1'].map((ip) => list.matches(ip))).toEqual([true, true]);
    expect(['10.0.0.5', '192.168.1.2', '11.0.0.1'].map((ip) => list.matches(ip))).toEqual([false, false, false]);
  });
  it('excludes ranges inside included ranges and IPv6 ranges', () => {
    const list = IpList.parse('2001:db8::/32, !2001:db8:1::/48');
    expect(list.matches('2001:db8:2::1')).toBe(true);
    expect(list.matches('2001:db8:1::1')).toBe(false);
  });
  it('rejects non-decimal and out-of-range forms that ipaddr.js would otherwise accept', () => {
    expect(() => IpList.parse('10')).toThrow(/not a valid IP address/);
    expect(() => IpList.parse('0x0a.0.0.1')).toThrow(/not a valid IP address/);
    expect(() => IpList.parse('2001:db8::/129')).toThrow(/not a valid CIDR range/);
    expect(() => IpList.parse('!')).toThrow(/not a valid IP address/);
  });
});
