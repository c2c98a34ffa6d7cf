// The columns of each table: what a cell says, and what sorting compares.

import type {Policy, ThrottleEntry} from '../../client/index.js';
import type {GroupRow, PolicyRow, SessionRow, TenantRow, UserRow} from '../operations.js';
import type {Column} from './table.js';
import {age, countdown, parseApiTime} from './time-text.js';

const yesNo = (value: boolean) => (value ? 'yes' : 'no');

/** Countdowns and ages depend on `now`; sorting on them compares the times themselves. */
export function sessionColumns(now: number): Column<SessionRow>[] {
  return [
    {key: 'user', title: 'USER', text: (s) => (s.own ? `${s.username} (this)` : s.username), sortValue: (s) => s.username, min: 8, max: 24},
    {key: 'tenant', title: 'TENANT', text: (s) => s.tenantName, min: 6, max: 20},
    {key: 'created', title: 'CREATED', text: (s) => age(parseApiTime(s.created_at), now), sortValue: (s) => parseApiTime(s.created_at), min: 11},
    {key: 'expires', title: 'EXPIRES', text: (s) => countdown(parseApiTime(s.expires_at), now), sortValue: (s) => parseApiTime(s.expires_at), min: 8},
    {key: 'mobile', title: 'MOBILE', text: (s) => yesNo(s.mobile)},
    {key: 'remote', title: 'REMOTE ADDRESS', text: (s) => s.remote_addr, min: 9, max: 39},
    {key: 'agent', title: 'USER AGENT', text: (s) => s.user_agent, min: 10},
    {key: 'session', title: 'SESSION', text: (s) => s.uuid.slice(0, 8), min: 8},
  ];
}

export const policyColumns: Column<PolicyRow>[] = [
  {key: 'name', title: 'NAME', text: (p) => p.name, min: 8, max: 32},
  {key: 'slug', title: 'SLUG', text: (p) => p.slug, min: 8, max: 32},
  {key: 'tenant', title: 'TENANT', text: (p) => p.tenantName, min: 6, max: 20},
  {key: 'shared', title: 'SHARED', text: (p) => yesNo(p.shared)},
  {key: 'read_only', title: 'READ-ONLY', text: (p) => yesNo(p.read_only)},
  {key: 'accesses', title: 'ACCESSES', text: (p) => String(p.acl.length), sortValue: (p) => p.acl.length},
];

const names = (items: readonly {name: string}[]) => items.map((i) => i.name).join(', ');

export const userColumns: Column<UserRow>[] = [
  {key: 'username', title: 'USERNAME', text: (u) => u.username ?? '', min: 8, max: 24},
  {key: 'name', title: 'NAME', text: (u) => [u.firstname, u.lastname].filter(Boolean).join(' '), min: 4, max: 24},
  {key: 'tenant', title: 'TENANT', text: (u) => u.tenantName, min: 6, max: 20},
  {key: 'purpose', title: 'PURPOSE', text: (u) => u.purpose},
  {key: 'enabled', title: 'ENABLED', text: (u) => yesNo(u.enabled)},
  {key: 'throttle', title: 'LOGINS', text: (u) => throttleText(u.throttle), sortValue: (u) => longestWait(u.throttle), min: 11},
  {key: 'policies', title: 'POLICIES', text: (u) => names(u.policies), min: 8, max: 40},
  {key: 'groups', title: 'GROUPS', text: (u) => names(u.groups), min: 6},
];

const longestWait = (entries: readonly ThrottleEntry[] | undefined) => Math.max(0, ...(entries ?? []).map((e) => e.retry_after));

/** Each count of a user, for its detail: `alice from 203.0.113.7: 5 failed, waits 60 s; …`. */
export function throttleLine(entries: readonly ThrottleEntry[] | undefined): string {
  if (!entries) return '(not readable with this token)';
  if (!entries.length) return '(none)';
  return entries.map((e) => `${e.login} from ${e.address}: ${e.failures} failed${e.retry_after ? `, waits ${e.retry_after} s` : ''}`).join('; ');
}

/** `waits 60 s` while one of the user's logins waits somewhere, else `3 failed` when failures are counted, else nothing. */
export function throttleText(entries: readonly ThrottleEntry[] | undefined): string {
  if (!entries?.length) return '';
  const wait = longestWait(entries);
  return wait ? `waits ${wait} s` : `${entries.reduce((sum, e) => sum + e.failures, 0)} failed`;
}

export const groupColumns: Column<GroupRow>[] = [
  {key: 'name', title: 'NAME', text: (g) => g.name, min: 8, max: 40},
  {key: 'slug', title: 'SLUG', text: (g) => g.slug, min: 6, max: 32},
  {key: 'tenant', title: 'TENANT', text: (g) => g.tenantName, min: 6, max: 20},
  {key: 'members', title: 'MEMBERS', text: (g) => String(g.members), sortValue: (g) => g.members},
  {key: 'system', title: 'SYSTEM', text: (g) => yesNo(g.system_managed)},
  {key: 'policies', title: 'POLICIES', text: (g) => names(g.policies), min: 8},
];

/** The policies a user holds, in its detail. */
export const heldPolicyColumns: Column<Policy>[] = [
  {key: 'name', title: 'POLICY', text: (p) => p.name, min: 8, max: 32},
  {key: 'slug', title: 'SLUG', text: (p) => p.slug, min: 8, max: 32},
  {key: 'read_only', title: 'READ-ONLY', text: (p) => yesNo(p.read_only)},
  {key: 'accesses', title: 'ACCESSES', text: (p) => String(p.acl.length), sortValue: (p) => p.acl.length},
];

/** `scope` marks the tenant the views act in; `nameOf` gives a parent's name. */
export function tenantColumns(scope: string, nameOf: (uuid: string) => string): Column<TenantRow>[] {
  return [
    {key: 'scope', title: 'SCOPE', text: (t) => (t.uuid === scope ? '●' : '')},
    {key: 'name', title: 'NAME', text: (t) => t.name ?? '', min: 8, max: 32},
    {key: 'slug', title: 'SLUG', text: (t) => t.slug, min: 6, max: 24},
    {key: 'parent', title: 'PARENT', text: (t) => (t.parent_uuid === t.uuid ? '(top)' : nameOf(t.parent_uuid)), min: 6, max: 24},
    {key: 'uuid', title: 'UUID', text: (t) => t.uuid, min: 8},
    {key: 'method', title: 'METHOD', text: (t) => t.default_authentication_method, min: 6},
    {key: 'ldap', title: 'LDAP', text: (t) => (t.ldap === undefined ? '?' : yesNo(t.ldap))},
    {key: 'domains', title: 'DOMAINS', text: (t) => t.domain_names.join(', '), min: 7},
  ];
}
