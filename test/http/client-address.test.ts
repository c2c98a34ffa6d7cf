import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {addressKey, clientAddresses} from '../../src/http/client-address.js';
import {parseCidr, plainAddress} from '../../src/ip-address.js';

describe('parseCidr', () => {
  test('takes IPv4 and IPv6 subnets and single addresses', () => {
    assert.deepEqual(parseCidr('10.0.0.0/8'), {address: '10.0.0.0', prefix: 8, family: 'ipv4'});
    assert.deepEqual(parseCidr('::1'), {address: '::1', prefix: 128, family: 'ipv6'});
    assert.deepEqual(parseCidr('192.0.2.1'), {address: '192.0.2.1', prefix: 32, family: 'ipv4'});
    assert.deepEqual(parseCidr('fd00::/8'), {address: 'fd00::', prefix: 8, family: 'ipv6'});
    assert.deepEqual(parseCidr('::ffff:127.0.0.1/32'), {address: '127.0.0.1', prefix: 32, family: 'ipv4'});
  });

  test('refuses what is not one', () => {
    for (const bad of ['', 'localhost', '10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/-1', '10.0.0.0/8/8', '300.0.0.1', '10.0.0.0/ 8']) {
      assert.equal(parseCidr(bad), undefined, bad);
    }
  });
});

describe('clientOf', () => {
  const loopback = clientAddresses(['127.0.0.0/8', '::1/128'], null);

  test('an IPv4 peer seen through a dual-stack socket is named as IPv4', () => {
    assert.equal(plainAddress('::ffff:192.0.2.9'), '192.0.2.9');
    assert.equal(loopback.clientOf('::ffff:192.0.2.9', undefined), '192.0.2.9');
    assert.equal(loopback.clientOf('::ffff:127.0.0.1', '203.0.113.7'), '203.0.113.7', 'a mapped loopback peer is trusted');
  });

  test('X-Forwarded-For is ignored from a peer that is not a trusted proxy', () => {
    assert.equal(loopback.clientOf('192.0.2.9', '203.0.113.7'), '192.0.2.9');
    assert.equal(loopback.clientOf('192.0.2.9', '127.0.0.1'), '192.0.2.9');
  });

  test('from a trusted peer, the right-most address that is not a trusted proxy', () => {
    assert.equal(loopback.clientOf('127.0.0.1', '203.0.113.7'), '203.0.113.7');
    // What nginx's $proxy_add_x_forwarded_for makes of a client that forges the header.
    assert.equal(loopback.clientOf('127.0.0.1', '127.0.0.1, 198.51.100.1, 203.0.113.7'), '203.0.113.7');
    assert.equal(loopback.clientOf('127.0.0.1', '203.0.113.7, 127.0.0.5'), '203.0.113.7');
    assert.equal(loopback.clientOf('::1', '2001:db8::7'), '2001:db8::7');
    assert.equal(loopback.clientOf('127.0.0.1', ['198.51.100.1', '203.0.113.7']), '203.0.113.7', 'repeated headers');
    assert.equal(loopback.clientOf('127.0.0.1', ' [2001:db8::7] '), '2001:db8::7');
  });

  test('all trusted: the left-most; an unreadable hop leaves the proxy that sent it', () => {
    assert.equal(loopback.clientOf('127.0.0.1', '127.0.0.9, 127.0.0.5'), '127.0.0.9');
    assert.equal(loopback.clientOf('127.0.0.1', 'unknown'), '127.0.0.1');
    assert.equal(loopback.clientOf('127.0.0.1', '203.0.113.7, 127.0.0.5, nonsense'), '127.0.0.1');
    assert.equal(loopback.clientOf('127.0.0.1', 'nonsense, 203.0.113.7'), '203.0.113.7');
    assert.equal(loopback.clientOf('127.0.0.1', ''), '127.0.0.1');
  });

  test('num_proxies: the Nth address from the right, from a trusted peer only, as upstream ProxyFix', () => {
    const two = clientAddresses(['127.0.0.1'], 2);
    assert.equal(two.clientOf('127.0.0.1', '198.51.100.1, 203.0.113.7, 192.0.2.5'), '203.0.113.7');
    assert.equal(two.clientOf('127.0.0.1', '192.0.2.5'), '127.0.0.1', 'fewer addresses than proxies: the peer');
    assert.equal(two.clientOf('192.0.2.80', '203.0.113.7, 192.0.2.5'), '192.0.2.80');
    const one = clientAddresses(['127.0.0.1'], 1);
    assert.equal(one.clientOf('127.0.0.1', '127.0.0.1, 127.0.0.1'), '127.0.0.1', 'no recursion when num_proxies is set');
    assert.equal(one.clientOf('127.0.0.1', '203.0.113.7, 198.51.100.1'), '198.51.100.1');
    const none = clientAddresses(['127.0.0.1'], 0);
    assert.equal(none.clientOf('127.0.0.1', '203.0.113.7'), '127.0.0.1');
  });

  test('no trusted proxies: the peer, always', () => {
    const direct = clientAddresses([], null);
    assert.equal(direct.clientOf('127.0.0.1', '203.0.113.7'), '127.0.0.1');
  });
});

describe('addressKey', () => {
  test('IPv4 by address, IPv6 by /64', () => {
    assert.equal(addressKey('192.0.2.9'), '192.0.2.9');
    assert.equal(addressKey('::ffff:192.0.2.9'), '192.0.2.9');
    assert.equal(addressKey('2001:db8:1:2:3:4:5:6'), '2001:db8:1:2::/64');
    assert.equal(addressKey('2001:db8:1:2::ffff'), '2001:db8:1:2::/64');
    assert.equal(addressKey('2001:db8:1:2:aaaa::'), addressKey('2001:db8:1:2::1'));
    assert.notEqual(addressKey('2001:db8:1:3::1'), addressKey('2001:db8:1:2::1'));
    assert.equal(addressKey('::1'), '0:0:0:0::/64');
    assert.equal(addressKey('fe80::1%eth0'), 'fe80:0:0:0::/64');
    assert.equal(addressKey('64:ff9b::192.0.2.1'), '64:ff9b:0:0::/64');
  });
});
