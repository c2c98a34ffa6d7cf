// Which address a failed login is counted under.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {addressKey} from '../../src/services/login-throttle.js';

test('IPv4 as is; an IPv4 client of a dual-stack socket as its IPv4 address, in either spelling', () => {
  assert.equal(addressKey('203.0.113.7'), '203.0.113.7');
  assert.equal(addressKey('::ffff:203.0.113.7'), '203.0.113.7');
  assert.equal(addressKey('::FFFF:cb00:7107'), '203.0.113.7');
});

test('IPv6 by its /64 network, however it is written', () => {
  assert.equal(addressKey('2001:db8:1:2:3:4:5:6'), '2001:db8:1:2::/64');
  assert.equal(addressKey('2001:db8:1:2:ffff::1'), '2001:db8:1:2::/64');
  assert.equal(addressKey('2001:0DB8:0001:0002::'), '2001:db8:1:2::/64');
  assert.equal(addressKey('2001:db8::1'), '2001:db8:0:0::/64');
  assert.equal(addressKey('fe80::1%eth0'), 'fe80:0:0:0::/64');
  assert.equal(addressKey('64:ff9b::192.0.2.1'), '64:ff9b:0:0::/64');
});

test('anything else as given, cut', () => {
  assert.equal(addressKey(''), '');
  assert.equal(addressKey('unix-socket'), 'unix-socket');
  assert.equal(addressKey('x'.repeat(100)), 'x'.repeat(64));
});
