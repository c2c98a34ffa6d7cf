// user_admin_status: `admin` in a token's metadata, true when its user holds Wazo's default
// administrators' policy itself or belongs to their group, both known by slug as upstream.

import type {MetadataPlugin} from '../types.js';

export const ADMIN_POLICY_SLUG = 'wazo_default_admin_policy';
export const ADMIN_GROUP_SLUG = 'wazo_default_admin_group';

export const userAdminStatus: MetadataPlugin = {
  name: 'user_admin_status',
  load: ({services}) => ({
    async tokenMetadata(user) {
      const all = {limit: null};
      // Upstream's slug filters are exact; ours of groups ignore case, so the slug is compared again.
      const policies = await services.users.listPolicies(user.tenantUuid, user.uuid, all, {});
      if (policies.items.some((policy) => policy.slug === ADMIN_POLICY_SLUG)) return {admin: true};
      const groups = await services.groups.listOfUser(user.tenantUuid, user.uuid, all, {slug: ADMIN_GROUP_SLUG});
      return {admin: groups.items.some((group) => group.slug === ADMIN_GROUP_SLUG)};
    },
  }),
};
