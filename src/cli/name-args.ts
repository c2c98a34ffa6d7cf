// The arguments that name users, tenants, groups, policies and sessions (see names.ts for how a
// name becomes a uuid). Never read from standard input: oclif would otherwise take a missing
// argument from a pipe, where a password may be waiting.

import {Args} from '@oclif/core';

const one = (description: string) => Args.string({description, required: true, ignoreStdin: true});
const several = (description: string) => Args.string({description, required: true, multiple: true, ignoreStdin: true});

export const userArgument = one('The user: its uuid or username');
export const usersArgument = several('Users: uuids or usernames');
export const tenantArgument = one('The tenant: its uuid or slug');
export const tenantsArgument = several('Tenants: uuids or slugs');
export const groupArgument = one('The group: its uuid or name');
export const groupsArgument = several('Groups: uuids or names');
export const policiesArgument = several('Policies: uuids or slugs (a slug of the tenant acted in)');
