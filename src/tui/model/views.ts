// The dashboard's views, how `:` names them, and every key binding (the `?` screen lists these).

export const VIEWS = ['sessions', 'policies', 'users', 'tenants', 'groups'] as const;
export type ViewName = (typeof VIEWS)[number];

export type Command = {view: ViewName} | {quit: true} | {profile: string};

/**
 * What the text typed after `:` asks for: a view, by its name or a prefix of it (`:pol`),
 * another profile (`:profile lab`), or quitting (`:q`, `:quit`).
 *
 * @example
 * parseCommand('pol') // {view: 'policies'}
 * parseCommand('profile lab') // {profile: 'lab'}
 */
export function parseCommand(text: string): Command | {problem: string} {
  const [first = '', ...rest] = text.trim().split(/\s+/);
  if (first.toLowerCase() === 'profile') {
    if (rest.length !== 1) return {problem: 'one profile name: :profile NAME'};
    return /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(rest[0]!) ? {profile: rest[0]!} : {problem: 'a profile name is letters, digits, ".", "_" and "-"'};
  }
  const word = text.trim().toLowerCase();
  if (word === 'q' || word === 'quit') return {quit: true};
  if (!word) return {problem: `a view: ${VIEWS.join(', ')}`};
  const matches = VIEWS.filter((view) => view.startsWith(word));
  if (matches.length === 1) return {view: matches[0]!};
  if (matches.length > 1) return {problem: `${matches.join(' or ')}?`};
  return {problem: `no view "${word}" (${VIEWS.join(', ')})`};
}

export interface Binding {
  keys: string;
  does: string;
  /** A change to the daemon's data: refused by --read-only. */
  changes?: boolean;
}

export const BINDINGS: {title: string; bindings: Binding[]}[] = [
  {
    title: 'Everywhere',
    bindings: [
      {keys: ':name', does: 'switch view (:sessions :policies :users :tenants :groups; a prefix is enough), :q quits'},
      {keys: '1 2 3 4 5', does: 'sessions, policies, users, tenants, groups'},
      {keys: ':profile NAME', does: "switch to another profile's daemon and login (the views keep their sort and filter)"},
      {keys: 'esc', does: 'back: close the prompt, the detail, or return to the previous view'},
      {keys: '?', does: 'this help'},
      {keys: 'q  ctrl-c', does: 'quit'},
    ],
  },
  {
    title: 'Tables',
    bindings: [
      {keys: '↑ ↓  k j', does: 'move'},
      {keys: 'pgup pgdn  home end  g G', does: 'move by a page, to the first, to the last'},
      {keys: 's  S', does: 'sort by the next column, reverse the order'},
      {keys: '/text  /!text', does: 'show the rows containing text, or those not containing it; esc clears'},
      {keys: 'y', does: 'show the selected row as YAML, every field (esc closes)'},
    ],
  },
  {
    title: 'Prompts',
    bindings: [
      {keys: '← →  home end', does: 'move the cursor (ctrl-a ctrl-e, alt-b alt-f by word)'},
      {keys: 'ctrl-w  alt-backspace', does: 'delete the word before the cursor (up to a space, up to punctuation)'},
      {keys: 'ctrl-u  ctrl-k', does: 'delete up to the start, up to the end'},
      {keys: 'enter  esc', does: 'submit, cancel'},
    ],
  },
  {
    title: 'Sessions',
    bindings: [
      {keys: 'd', does: 'revoke the selected session', changes: true},
      {keys: 'D', does: "revoke all of the selected user's sessions", changes: true},
    ],
  },
  {
    title: 'Policies',
    bindings: [
      {keys: 'enter', does: 'open the policy: its ACL'},
      {keys: 'n', does: 'new policy', changes: true},
      {keys: 'r', does: 'rename the policy', changes: true},
      {keys: 'e', does: 'edit the policy in $VISUAL or $EDITOR (as YAML), applied when the editor quits', changes: true},
      {keys: 'a', does: 'in a policy: add an access', changes: true},
      {keys: 'd', does: 'in a policy: remove the selected access', changes: true},
      {keys: 't', does: 'in a policy: try an access: granted or not, and by which pattern'},
    ],
  },
  {
    title: 'Users',
    bindings: [
      {keys: 'enter', does: 'open the user: its policies, groups and failed logins'},
      {keys: 'a', does: 'attach a policy', changes: true},
      {keys: 'u', does: 'clear the failed logins counted against the user (LOGINS)', changes: true},
      {keys: 'd', does: 'in a user: detach the selected policy', changes: true},
    ],
  },
  {
    title: 'Tenants',
    bindings: [{keys: 'enter', does: 'scope the other views to the selected tenant (and those below it)'}],
  },
];

/** The help screen's lines: each group's title, then its bindings (without the changes when read-only). */
export function helpLines(readOnly: boolean): {text: string; title: boolean}[] {
  return BINDINGS.flatMap((group) => {
    const bindings = group.bindings.filter((b) => !(readOnly && b.changes));
    return bindings.length ? [{text: group.title, title: true}, ...bindings.map((b) => ({text: `  ${b.keys.padEnd(26)}${b.does}`, title: false}))] : [];
  });
}
