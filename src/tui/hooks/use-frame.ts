// The dashboard around the views: which view shows, the way back, help, the `:` command line,
// the status line, the tenant scope, quitting; and the services every view gets from context.

import {useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore} from 'react';
import {useApp} from 'ink';
import type {Tenant} from '../../client/index.js';
import type {Connection, LinkState} from '../connection.js';
import type {DashboardServices, PolicyEditor, SessionEvents, Tone} from '../context.js';
import {errorText} from '../error-text.js';
import {parseCommand, VIEWS, type ViewName} from '../model/views.js';
import {Directory} from '../operations.js';
import {Layer, useKeys} from './use-keys.js';
import {usePrompt, type PromptState} from './use-prompt.js';
import type {KeptTable} from '../model/table.js';

export interface FrameOptions {
  connection: Connection;
  /** How often the views reload, in milliseconds. */
  refreshMs: number;
  readOnly: boolean;
  /** The bus's session events, when followed; the views poll all the same. */
  sessionEvents?: SessionEvents;
  /** Edits a policy in the operator's editor (`e`) and applies it; absent where there is no editor to run. */
  editPolicy?: PolicyEditor;
  /** What the dashboard keeps across a switch of profile, which draws a new frame: tables, view, a status message. */
  kept?: {tables: Map<string, KeptTable>; view: ViewName; status?: string};
  /** `:profile NAME`: the dashboard connects to that profile, showing `view`; absent where profiles do not apply. */
  switchProfile?: (name: string, view: ViewName) => Promise<void>;
}

export interface Frame {
  services: DashboardServices;
  view: ViewName;
  help: boolean;
  closeHelp: () => void;
  /** The row shown as YAML over the view (`y`), if any. */
  record: {title: string; value: unknown} | undefined;
  closeRecord: () => void;
  link: LinkState;
  prompt: PromptState | undefined;
  status: {message: string; tone: Tone} | undefined;
  tenantName: string;
}

export function useFrame({connection, refreshMs, readOnly, sessionEvents, editPolicy, kept, switchProfile}: FrameOptions): Frame {
  const {exit} = useApp();
  const directory = useMemo(() => new Directory(connection), [connection]);
  const [view, setView] = useState<ViewName>(kept?.view ?? 'sessions');
  const [history, setHistory] = useState<ViewName[]>([]);
  const [help, setHelp] = useState(false);
  const [record, setRecord] = useState<{title: string; value: unknown}>();
  const [status, setStatus] = useState<{message: string; tone: Tone} | undefined>(kept?.status ? {message: kept.status, tone: 'info'} : undefined);
  const [tenant, setTenant] = useState(connection.homeTenant);
  const [, setTenantsKnown] = useState(0);
  const link = useSyncExternalStore(connection.subscribe, () => connection.link);
  const ownTables = useRef(new Map<string, KeptTable>()).current;
  const keptTables = kept?.tables ?? ownTables;

  // The header names the tenant; a failure here shows in the banner, and the views load it again.
  useEffect(() => {
    directory.loadTenants().then(
      () => setTenantsKnown((n) => n + 1),
      () => undefined,
    );
  }, [directory]);

  const notify = useCallback((message: string, tone: Tone = 'info') => setStatus({message, tone}), []);
  const {state: prompt, prompts} = usePrompt(() => notify('Cancelled'));

  // A status message is about the view it was given in.
  const go = (next: ViewName) => {
    setHelp(false);
    setRecord(undefined);
    if (next === view) return;
    setHistory((h) => [...h, view]);
    setView(next);
    setStatus(undefined);
  };

  const back = () => {
    if (help) setHelp(false);
    else if (history.length) {
      setView(history[history.length - 1]!);
      setHistory((h) => h.slice(0, -1));
      setStatus(undefined);
    }
  };

  useKeys(Layer.global, (input, key) => {
    if (input === 'q') exit();
    else if (input === '?') setHelp((shown) => !shown);
    else if (/^[1-9]$/.test(input) && VIEWS[Number(input) - 1]) go(VIEWS[Number(input) - 1]!);
    else if (key.escape) back();
    else if (input === ':') {
      prompts.ask({
        label: ':',
        problem: (text) => {
          const command = parseCommand(text);
          return 'problem' in command ? command.problem : null;
        },
        onSubmit: (text) => {
          const command = parseCommand(text);
          if ('quit' in command) exit();
          else if ('view' in command) go(command.view);
          else if (!('profile' in command)) return;
          else if (!switchProfile) notify('profiles do not apply here (WAZO_AUTH_TOKEN is set)', 'error');
          else {
            notify(`Connecting with profile ${command.profile}…`);
            switchProfile(command.profile, view).catch((error: Error) => notify(`profile ${command.profile}: ${errorText(error)}`, 'error'));
          }
        },
      });
    } else return false;
    return true;
  });

  const services = useMemo<DashboardServices>(() => {
    const mayChange = () => {
      if (readOnly) notify('read-only dashboard (--read-only): changes are disabled', 'error');
      return !readOnly;
    };
    const change = async (action: () => Promise<string>) => {
      if (!mayChange()) return false;
      try {
        notify(await action());
        return true;
      } catch (error) {
        notify(errorText(error as Error), 'error');
        return false;
      }
    };
    return {
      connection,
      directory,
      refreshMs,
      readOnly,
      sessionEvents,
      tenant,
      prompts,
      keptTables,
      showRecord: (title, value) => setRecord({title, value}),
      notify,
      mayChange,
      scopeTo: (picked: Tenant) => {
        connection.scopeTo(picked.uuid);
        setTenant(picked.uuid);
        notify(`Views scoped to tenant ${picked.name ?? picked.slug} and those below it`);
      },
      change,
      editPolicy: (policy, done) => {
        if (!mayChange()) return;
        if (policy.read_only) notify(`policy ${policy.name} is read-only: it cannot be changed here`, 'error');
        else if (!editPolicy) notify('no editor here: use `wazo-auth policy edit` in a terminal', 'error');
        // Not through connection.run: a retry after a renewal would open the editor again.
        else
          void change(async () => {
            const changed = await editPolicy(connection.client, policy.uuid);
            done();
            return changed ? `Edited policy ${policy.name}` : `No change to policy ${policy.name}: nothing sent`;
          });
      },
    };
  }, [connection, directory, refreshMs, readOnly, sessionEvents, tenant, prompts, keptTables, notify, editPolicy]);

  return {
    services,
    view,
    help,
    closeHelp: () => setHelp(false),
    record,
    closeRecord: () => setRecord(undefined),
    link,
    prompt,
    status,
    tenantName: directory.tenantName(tenant),
  };
}
