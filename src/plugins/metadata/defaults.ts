// The metadata every token gets from its user's purpose: default_user, default_internal and
// default_external_api, upstream's fields in upstream's order.

import type {User} from '../../domain/types.js';
import type {MetadataPlugin} from '../types.js';

function identity(user: User, xivoUuid: string, pbxUserUuid: string | null, purpose: string): Record<string, unknown> {
  return {uuid: user.uuid, tenant_uuid: user.tenantUuid, auth_id: user.uuid, pbx_user_uuid: pbxUserUuid, xivo_uuid: xivoUuid, purpose};
}

/** A person: the user is also the PBX user of its tokens. */
export const defaultUser: MetadataPlugin = {
  name: 'default_user',
  load: ({xivoUuid}) => ({tokenMetadata: (user) => identity(user, xivoUuid, user.uuid, 'user')}),
};

/** A Wazo service's account. */
export const defaultInternal: MetadataPlugin = {
  name: 'default_internal',
  load: ({xivoUuid}) => ({tokenMetadata: (user) => identity(user, xivoUuid, null, 'internal')}),
};

/** An external application's account. */
export const defaultExternalApi: MetadataPlugin = {
  name: 'default_external_api',
  load: ({xivoUuid}) => ({tokenMetadata: (user) => identity(user, xivoUuid, null, 'external_api')}),
};
