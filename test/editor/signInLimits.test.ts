/**
 * The sign-in limits on their own: attempts counted per name with the
 * address and per address, where an address is an IPv4 address or an IPv6
 * /64 network (one household or office gets a whole /64, so counting its
 * addresses one by one would give it billions of tries).
 */
import { describe, expect, it } from 'vitest';
import { addressGroup, SignInLimits } from '../../src/editor/auth/signInLimits.js';

describe('sign-in limits', () => {
  it('count IPv6 addresses by their /64 network, and IPv4 ones (mapped into IPv6 or not) one by one', async () => {
    const limits = new SignInLimits({ perUserAndAddress: 3, perAddress: 100, windowSeconds: 900 });
    const tries = ['2001:db8:1:2::a', '2001:db8:1:2:ffff::b', '2001:DB8:1:2:0:0:0:c'];
    for (const address of tries) expect(await limits.attempt('alice', address), address).toBeNull();
    expect(await limits.attempt('alice', '2001:db8:1:2:1234:5678:9abc:def0')).not.toBeNull();
    // Another /64 has its own count; so does another name.
    expect(await limits.attempt('alice', '2001:db8:1:3::a')).toBeNull();
    expect(await limits.attempt('bob', '2001:db8:1:2::a')).toBeNull();
    for (let i = 0; i < 3; i++) expect(await limits.attempt('carol', '::ffff:192.0.2.1')).toBeNull();
    expect(await limits.attempt('carol', '192.0.2.1')).not.toBeNull();
    expect(await limits.attempt('carol', '192.0.2.2')).toBeNull();
  });

  it('the per-address limit covers a whole /64 too', async () => {
    const limits = new SignInLimits({ perUserAndAddress: 100, perAddress: 2, windowSeconds: 900 });
    expect(await limits.attempt('a', '2001:db8::1')).toBeNull();
    expect(await limits.attempt('b', '2001:db8::2')).toBeNull();
    expect(await limits.attempt('c', '2001:db8:0:0:ffff::3')).not.toBeNull();
  });

  it('name each group plainly', () => {
    expect(addressGroup('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(addressGroup('::1')).toBe('0:0:0:0::/64');
    expect(addressGroup('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressGroup('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64');
    expect(addressGroup('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(addressGroup('203.0.113.9')).toBe('203.0.113.9');
    expect(addressGroup('unknown')).toBe('unknown');
  });
});
