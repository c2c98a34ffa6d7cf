import {hostname} from 'node:os';
import {resolve} from 'node:path';
import {Command, Flags} from '@oclif/core';
import {samlKeygen} from '../../src/cli/saml-keygen.js';
import {failureOf} from '../../src/cli/failure.js';

export default class SamlKeygen extends Command {
  static override summary = "Make the SAML service provider's key pair.";
  static override description =
    'Writes a new RSA key (readable by its owner only) and a self-signed certificate for it, where the daemon reads ' +
    "them (saml.key_file and saml.cert_file; by default upstream's paths). The daemon signs its SAML requests with " +
    'the key; identity providers learn the certificate from `saml metadata`. Existing files are kept unless --force. ' +
    'Run it as the user the daemon runs as, or give it the files.\n\nExit codes: 0 done, 1 openssl failed, 2 usage ' +
    '(files exist, bad flags).';
  static override examples = [
    '<%= config.bin %> saml keygen',
    '<%= config.bin %> saml keygen --key-file /etc/wazo-auth/saml.key --cert-file /etc/wazo-auth/saml.crt --common-name pbx.example.com',
  ];
  static override enableJsonFlag = true;
  static override flags = {
    'key-file': Flags.string({summary: 'Where the private key goes', default: '/var/lib/wazo-auth/saml/server.key', helpValue: 'FILE'}),
    'cert-file': Flags.string({summary: 'Where the certificate goes', default: '/var/lib/wazo-auth/saml/server.crt', helpValue: 'FILE'}),
    'common-name': Flags.string({summary: "The certificate's subject CN (default: this host's name)", helpValue: 'NAME'}),
    days: Flags.integer({summary: 'Validity of the certificate', default: 3650, min: 1, max: 36500}),
    force: Flags.boolean({summary: 'Replace existing files'}),
  };

  async run(): Promise<{key_file: string; cert_file: string}> {
    const {flags} = await this.parse(SamlKeygen);
    const result = await samlKeygen({
      keyFile: resolve(flags['key-file']),
      certFile: resolve(flags['cert-file']),
      commonName: flags['common-name'] ?? hostname(),
      days: flags.days,
      force: flags.force,
    });
    if (!this.jsonEnabled()) this.logToStderr(`Wrote ${result.key_file} and ${result.cert_file}.`);
    return result;
  }

  override async catch(error: Error & {exitCode?: number}): Promise<unknown> {
    const failure = failureOf(error);
    if (!failure) return super.catch(error);
    this.logToStderr(failure.message);
    return this.exit(failure.exitCode);
  }
}
