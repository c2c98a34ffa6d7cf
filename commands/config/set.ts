import {Args} from '@oclif/core';
import {BaseCommand} from '../../src/cli/base-command.js';
import {withExitCodes} from '../../src/cli/exit-codes.js';
import {SETTABLE_KEYS, type SettableKey, updateProfile} from '../../src/cli/profiles.js';

export default class ConfigSet extends BaseCommand<typeof ConfigSet> {
  static override summary = 'Change one setting of a profile.';
  static override description = withExitCodes(
    'Sets KEY in the profile, creating the profile if needed; an empty VALUE removes the setting. Keys: url (the ' +
      "daemon's root, e.g. https://pbx.example.com/api/auth), username, verify (on/off: check the daemon's TLS " +
      'certificate), ca_file (a PEM file with the CA that signed it), format (table, json, yaml or plain). A login ' +
      'stays tied to the URL it was made for: after changing url, log in again. Prints nothing but under --json.',
  );
  static override examples = [
    {description: 'Trust a private CA', command: '<%= config.bin %> config set ca_file /etc/ssl/private-ca.pem'},
    {description: 'A profile for a lab daemon with a self-signed certificate', command: '<%= config.bin %> config set verify off --profile lab'},
    {description: 'JSON output by default', command: '<%= config.bin %> config set format json'},
  ];
  static override baseFlags = BaseCommand.localFlags;
  static override args = {
    key: Args.string({description: 'The setting', required: true, options: Object.keys(SETTABLE_KEYS)}),
    value: Args.string({description: 'Its new value; empty to remove it', required: true}),
  };

  async run() {
    const key = this.args.key as SettableKey;
    const value = this.args.value === '' ? undefined : SETTABLE_KEYS[key](this.args.value);
    await updateProfile(this.profileName, (profile) => {
      const {[key]: _old, ...others} = profile;
      return value === undefined ? others : {...others, [key]: value};
    });
    return {profile: this.profileName, key, value: value ?? null};
  }
}
