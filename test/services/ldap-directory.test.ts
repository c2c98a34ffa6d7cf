// The values a login puts into an LDAP filter or DN stay values (RFC 4515, RFC 4514), and
// upstream's search_filters placeholders are filled with escaped values.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {directoryUrl, escapeDnValue, escapeFilterValue, searchFilter, validSearchFilters} from '../../src/services/ldap-directory.js';

test('filter values: *, (, ), \\, NUL and non-ASCII bytes are escaped', () => {
  assert.equal(escapeFilterValue('*)(uid=*'), '\\2a\\29\\28uid=\\2a');
  assert.equal(escapeFilterValue('a\\b\0'), 'a\\5cb\\00');
  assert.equal(escapeFilterValue('é'), '\\c3\\a9');
  assert.equal(escapeFilterValue('alice'), 'alice');
});

test('DN values: separators, quotes and leading or trailing specials are escaped', () => {
  assert.equal(escapeDnValue('alice,ou=people'), 'alice\\,ou\\=people');
  assert.equal(escapeDnValue('a+b;c<d>"e\\'), 'a\\+b\\;c\\<d\\>\\"e\\\\');
  assert.equal(escapeDnValue('#x '), '\\#x\\ ');
  assert.equal(escapeDnValue(' x'), '\\ x');
});

test("search filters: upstream's default and placeholders, parenthesized", () => {
  const directory = {searchFilters: null, userLoginAttribute: 'uid', userEmailAttribute: 'mail'};
  assert.equal(searchFilter(directory, 'alice'), '(uid=alice)');
  assert.equal(searchFilter(directory, '*'), '(uid=\\2a)');
  assert.equal(
    searchFilter({...directory, searchFilters: '(&({user_login_attribute}={username})(|({user_email_attribute}={username})(x=1)))'}, 'a)(b'),
    '(&(uid=a\\29\\28b)(|(mail=a\\29\\28b)(x=1)))',
  );
});

test('search_filters that make no filter are told apart', () => {
  assert.equal(validSearchFilters(null), true);
  assert.equal(validSearchFilters('{user_login_attribute}={username}'), true);
  assert.equal(validSearchFilters('(&({user_login_attribute}={username})(employeeType=human))'), true);
  assert.equal(validSearchFilters('(&(uid={username})'), false);
  assert.equal(validSearchFilters('uid={username})('), false);
});

test('URLs: ldaps only for ldaps; IPv6 in brackets', () => {
  assert.equal(directoryUrl({host: 'ldap.example.com', port: 389, protocolSecurity: 'tls'}), 'ldap://ldap.example.com:389');
  assert.equal(directoryUrl({host: '::1', port: 636, protocolSecurity: 'ldaps'}), 'ldaps://[::1]:636');
});
