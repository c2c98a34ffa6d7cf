// Profiles: how to reach a daemon and as whom, one per name, in the user's config folder
// (~/.config/wazo-auth/config.json on Linux). No secret is ever kept here: the refresh token is in
// the credential store (credentials.ts). Every command reads the file with a plain JSON read,
// since importing conf alone costs ~115 ms; the rare writes go through conf (atomic, mode 0600).

import {accessSync, constants, readFileSync} from 'node:fs';
import {homedir} from 'node:os';
import {join, resolve} from 'node:path';
import {normalizeUrl} from '../client/url.js';
import {usageError} from './failure.js';
import {currentFactory} from './factory.js';
import {FORMATS, isFormat, type Format} from './output.js';

export interface Profile {
  /** The daemon's root, as normalizeUrl gives it. */
  url?: string;
  username?: string;
  /** false: accept any TLS certificate. */
  verify?: boolean;
  /** A PEM file with the CA that signed the daemon's certificate. */
  ca_file?: string;
  format?: Format;
  /** The client_id naming the login's refresh token; set by `login` only. */
  client_id?: string;
  /** Where the refresh token is kept; set by `login` only. */
  credentials?: 'keychain' | 'file';
}

interface ProfileFile {
  profiles?: Record<string, Profile>;
}

export const DEFAULT_PROFILE = 'default';

/** What `config set` may change, each with the parser of the value typed on the command line. */
export const SETTABLE_KEYS = {
  url: (value: string) => normalizeUrl(value),
  username: (value: string) => value,
  verify: parseSwitch,
  ca_file: (value: string) => {
    const path = resolve(value);
    try {
      accessSync(path, constants.R_OK);
    } catch {
      throw usageError(`ca_file: cannot read ${path}`);
    }
    return path;
  },
  format: (value: string) => {
    if (!isFormat(value)) throw usageError(`format must be one of ${FORMATS.join(', ')}, not ${JSON.stringify(value)}`);
    return value;
  },
} satisfies {[K in keyof Profile]?: (value: string) => Profile[K]};

export type SettableKey = keyof typeof SETTABLE_KEYS;

/** Every key a profile may hold, those `login` sets included, in the order they are listed. */
export const PROFILE_KEYS = ['url', 'username', 'verify', 'ca_file', 'format', 'client_id', 'credentials'] as const satisfies readonly (keyof Profile)[];

/** Where profiles and the opt-in credentials file live, as conf's env-paths would put them. */
export function configDir(env: NodeJS.ProcessEnv = currentFactory().env, platform: NodeJS.Platform = process.platform): string {
  const home = env.HOME || homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Preferences', 'wazo-auth');
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'wazo-auth', 'Config');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'wazo-auth');
}

const configFile = (dir = configDir()) => join(dir, 'config.json');

/** A profile name as typed: it becomes part of a keychain account, so it stays a plain word. */
export function checkProfileName(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(name)) {
    throw usageError(`a profile name is letters, digits, '.', '_' and '-' (at most 64), not ${JSON.stringify(name)}`);
  }
  return name;
}

/** Every stored profile by name; none when the file does not exist yet. */
export function readProfiles(dir = configDir()): Record<string, Profile> {
  const path = configFile(dir);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw usageError(`cannot read ${path}: ${(error as Error).message}`);
  }
  let parsed: ProfileFile;
  try {
    parsed = JSON.parse(text) as ProfileFile;
  } catch (error) {
    throw usageError(`${path} is not valid JSON (${(error as Error).message}): fix or remove it`);
  }
  return parsed.profiles ?? {};
}

/** Changes one profile: `change` gets it (empty when new) and returns it, or undefined to delete it. */
export async function updateProfile(name: string, change: (profile: Profile) => Profile | undefined, dir = configDir()): Promise<void> {
  const {default: Conf} = await import('conf');
  const conf = new Conf<ProfileFile>({
    cwd: dir,
    configName: 'config',
    configFileMode: 0o600,
    // Profile names may hold dots: they are keys, not paths.
    accessPropertiesByDotNotation: false,
  });
  const profiles = {...conf.get('profiles')};
  const changed = change({...profiles[name]});
  if (changed) profiles[name] = changed;
  else delete profiles[name];
  conf.set('profiles', profiles);
}

function parseSwitch(value: string): boolean {
  const word = value.toLowerCase();
  if (['true', 'on', 'yes', '1'].includes(word)) return true;
  if (['false', 'off', 'no', '0'].includes(word)) return false;
  throw usageError(`verify is on or off (true/false, yes/no, 1/0), not ${JSON.stringify(value)}`);
}
