import {readFile} from 'node:fs/promises';
import {Flags} from '@oclif/core';
import type {LdapConfigEdit} from '../../src/client/index.js';
import {withExitCodes} from '../../src/cli/exit-codes.js';
import {usageError} from '../../src/cli/failure.js';
import {ldapRecord, ldapRow} from '../../src/cli/ldap.js';
import {passwordFromStdin, promptHidden} from '../../src/cli/password.js';
import {ResourceCommand} from '../../src/cli/resource-command.js';
import {actIn, tenantFlag} from '../../src/cli/tenant-scope.js';

const SECURITY = ['none', 'ldaps', 'tls'] as const;

export default class LdapSet extends ResourceCommand<typeof LdapSet> {
  static override summary = "Set a tenant's LDAP directory, or change some of its fields.";
  static override description = withExitCodes(
    "Sets the LDAP directory the users of the token's tenant (or of --tenant) log in against, or changes only the " +
      'fields given. A new directory needs --host, --port, --user-base-dn, --login-attribute and --email-attribute. ' +
      'With --bind-dn, the daemon binds as that service account to search for users (with --search-filter, default ' +
      '"{user_login_attribute}={username}"); its password comes from standard input with --bind-password-stdin, ' +
      'or from a hidden prompt on a terminal, never from the command line, and is kept sealed by the daemon. ' +
      'Without a service account (--no-bind) users bind straight away as <login-attribute>=<login>,<user-base-dn>. ' +
      "--security ldaps or tls (StartTLS) verifies the directory's certificate, against --ca-file when given. " +
      "A user logs in with it when its method is ldap (`user update --authentication-method ldap`, or the tenant's " +
      'default) and its login names the tenant (`token create --domain-name`). Prints the directory as it is now.',
  );
  static override examples = [
    {
      description: 'A directory with a service account, its password from a file',
      command:
        '<%= config.bin %> ldap set --tenant acme --host ldap.acme.example.com --port 389 --security tls --ca-file acme-ca.pem ' +
        '--bind-dn cn=wazo-auth,dc=acme,dc=example,dc=com --bind-password-stdin --user-base-dn ou=people,dc=acme,dc=example,dc=com ' +
        '--login-attribute uid --email-attribute mail < bind-password.txt',
    },
    {description: 'Another host, all else kept', command: '<%= config.bin %> ldap set --host ldap2.acme.example.com'},
    {description: 'Only people', command: "<%= config.bin %> ldap set --search-filter '(&({user_login_attribute}={username})(employeeType=staff))'"},
  ];
  static override flags = {
    tenant: tenantFlag,
    host: Flags.string({summary: 'Host name or address of the directory', helpValue: 'HOST'}),
    port: Flags.integer({summary: 'Its port (389; 636 for ldaps)', min: 1, max: 65535, helpValue: 'PORT'}),
    security: Flags.option({summary: 'none, ldaps (TLS from the start) or tls (StartTLS)', options: SECURITY})(),
    'ca-file': Flags.string({summary: "PEM file of the CA certificates the directory's must chain to; '' for the system's", helpValue: 'FILE'}),
    'bind-dn': Flags.string({summary: 'The service account that searches for users', helpValue: 'DN', exclusive: ['no-bind']}),
    'bind-password-stdin': Flags.boolean({summary: "Read the service account's password from standard input", exclusive: ['no-bind']}),
    'no-bind': Flags.boolean({summary: 'No service account: users bind straight away'}),
    'user-base-dn': Flags.string({summary: 'Where users are', helpValue: 'DN'}),
    'login-attribute': Flags.string({summary: 'The attribute users log in with, e.g. uid', helpValue: 'NAME'}),
    'email-attribute': Flags.string({summary: 'The attribute with the address of the wazo user, e.g. mail', helpValue: 'NAME'}),
    'search-filter': Flags.string({summary: "The service account's search filter; '' for the default", helpValue: 'FILTER'}),
    'protocol-version': Flags.integer({summary: 'LDAP protocol version (2 or 3)', min: 2, max: 3, helpValue: 'N'}),
  };

  async run() {
    const {flags} = this;
    const client = await this.authenticatedClient();
    await actIn(client, flags.tenant);
    const current = await client.ldap.get();
    const edit: Partial<LdapConfigEdit> = {
      host: flags.host ?? current.host ?? undefined,
      port: flags.port ?? current.port ?? undefined,
      protocol_version: flags['protocol-version'] ?? current.protocol_version ?? 3,
      protocol_security: flags.security === undefined ? current.protocol_security : flags.security === 'none' ? null : flags.security,
      user_base_dn: flags['user-base-dn'] ?? current.user_base_dn ?? undefined,
      user_login_attribute: flags['login-attribute'] ?? current.user_login_attribute ?? undefined,
      user_email_attribute: flags['email-attribute'] ?? current.user_email_attribute ?? undefined,
      search_filters: flags['search-filter'] === undefined ? current.search_filters : flags['search-filter'] || null,
      ca_certificates: flags['ca-file'] === undefined ? current.ca_certificates : flags['ca-file'] ? await readCa(flags['ca-file']) : null,
    };
    const missing = (['host', 'port', 'user_base_dn', 'user_login_attribute', 'user_email_attribute'] as const).filter((field) => edit[field] === undefined);
    if (missing.length) {
      const names = {
        host: '--host',
        port: '--port',
        user_base_dn: '--user-base-dn',
        user_login_attribute: '--login-attribute',
        user_email_attribute: '--email-attribute',
      };
      throw usageError(`the tenant has no directory yet: give ${missing.map((field) => names[field]).join(', ')}`);
    }
    if (flags['no-bind']) {
      edit.bind_dn = null;
      edit.bind_password = null;
    } else {
      if (flags['bind-dn'] !== undefined) edit.bind_dn = flags['bind-dn'];
      const password = await this.bindPassword(flags['bind-dn'] ?? current.bind_dn);
      // Left out, the daemon keeps the password it has.
      if (password !== undefined) edit.bind_password = password;
    }
    return this.showRecord(await client.ldap.update(edit as LdapConfigEdit), ldapRecord, ldapRow);
  }

  /** From stdin with --bind-password-stdin; prompted for on a terminal when --bind-dn is given; else kept. */
  private async bindPassword(bindDn: string | null): Promise<string | undefined> {
    if (this.flags['bind-password-stdin']) {
      const password = await passwordFromStdin();
      if (!password) throw usageError('--bind-password-stdin: standard input is empty');
      return password;
    }
    if (this.flags['bind-dn'] === undefined || !this.factory.io.stdin.isTTY) return undefined;
    const answer = await promptHidden(`Password of ${bindDn} (empty: keep the current one): `);
    return answer || undefined;
  }
}

async function readCa(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw usageError(`--ca-file: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}
