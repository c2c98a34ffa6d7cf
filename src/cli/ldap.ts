// What the ldap commands share: how a tenant's directory is shown, and the --tenant scope.

import type {LdapConfig} from '../client/index.js';
import type {RecordView} from './output.js';

export const ldapRecord: RecordView = {
  fields: [
    'tenant_uuid',
    'host',
    'port',
    'protocol_version',
    'protocol_security',
    'bind_dn',
    'user_base_dn',
    'user_login_attribute',
    'user_email_attribute',
    'search_filters',
    'ca_certificates',
  ],
  plain: ['host'],
};

/** In a table, the CA certificates by their count, not their PEM. */
export function ldapRow(config: LdapConfig): Record<string, unknown> {
  const count = config.ca_certificates?.match(/-----BEGIN CERTIFICATE-----/g)?.length ?? 0;
  return {...config, ca_certificates: config.ca_certificates === null ? null : `${count} certificate${count === 1 ? '' : 's'} (PEM)`};
}
