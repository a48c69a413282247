import { expect, test } from 'vitest';
import { cidrContains, parseCidr } from './cidr.ts';

test.each([
  ['10.0.0.0/24', '10.0.0.255', true],
  ['10.0.0.0/24', '10.0.1.0', false],
  ['0.0.0.0/0', '192.168.1.1', true],
  ['192.168.1.7/32', '192.168.1.7', true],
  ['2001:db8::/32', '2001:db8:ffff::1', true],
  ['2001:db8::/32', '2001:db9::1', false],
  ['::ffff:10.0.0.0/120', '::ffff:10.0.0.9', true],
  ['fe80::/10', 'fe80::1', true],
  ['10.0.0.0/8', '::1', false],
  ['10.0.0.0/8', 'not-an-ip', false],
])('%s contains %s: %s', (block, ip, expected) => {
  expect(cidrContains(parseCidr(block)!, ip)).toBe(expected);
});

test.each(['10.0.0.0', '10.0.0.0/33', '10.0.0.256/8', '2001:db8::/129', '1:2:3:4:5:6:7:8:9/64', 'abc/8', '10.0.0.0/x'])('%s is not a CIDR block', (text) => {
  expect(parseCidr(text)).toBeUndefined();
});
