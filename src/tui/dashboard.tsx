// The dashboard: a header, a banner when the daemon is gone, the current view (or the help), and
// the prompt line, laid out for the terminal's size.

import {useRef, useState} from 'react';
import {Box} from 'ink';
import type {Connection} from './connection.js';
import type {KeptTable} from './model/table.js';
import {Banner} from './components/banner.js';
import {Header} from './components/header.js';
import {PromptLine} from './components/prompt-line.js';
import {DashboardContext} from './context.js';
import {useFrame, type FrameOptions} from './hooks/use-frame.js';
import {KeyboardProvider} from './hooks/use-keys.js';
import {useTerminalSize} from './hooks/use-terminal-size.js';
import type {ViewName} from './model/views.js';
import {HelpScreen} from './screens/help.js';
import {GroupsScreen} from './screens/groups.js';
import {PoliciesScreen} from './screens/policies.js';
import {RecordScreen} from './screens/record.js';
import {SessionsScreen} from './screens/sessions.js';
import {TenantsScreen} from './screens/tenants.js';
import {UsersScreen} from './screens/users.js';

export interface DashboardProps extends Omit<FrameOptions, 'kept' | 'switchProfile'> {
  /** Connects to another profile's daemon with its kept login (`:profile NAME`); absent where profiles do not apply. */
  switchProfile?: (name: string) => Promise<Connection>;
}

/**
 * @example
 * render(<Dashboard connection={connection} refreshMs={2000} readOnly={false} />);
 */
export function Dashboard({switchProfile, ...props}: DashboardProps) {
  // What outlives a switch of profile: each table's sort and filter, and the view shown.
  const keptTables = useRef(new Map<string, KeptTable>()).current;
  const [linked, setLinked] = useState<{connection: Connection; view: ViewName; status?: string; generation: number}>({
    connection: props.connection,
    view: 'sessions',
    generation: 0,
  });
  const switchTo =
    switchProfile &&
    (async (name: string, view: ViewName) => {
      const connection = await switchProfile(name);
      setLinked((was) => ({connection, view, status: `Profile ${name}: ${connection.client.url}`, generation: was.generation + 1}));
    });
  return (
    <KeyboardProvider>
      <Frame
        key={linked.generation}
        {...props}
        connection={linked.connection}
        kept={{tables: keptTables, view: linked.view, status: linked.status}}
        switchProfile={switchTo}
      />
    </KeyboardProvider>
  );
}

const SCREENS: Record<ViewName, typeof SessionsScreen> = {
  sessions: SessionsScreen,
  policies: PoliciesScreen,
  users: UsersScreen,
  tenants: TenantsScreen,
  groups: GroupsScreen,
};

function Frame(props: FrameOptions) {
  const frame = useFrame(props);
  const {columns, rows} = useTerminalSize();
  const height = Math.max(8, rows);
  const screenHeight = height - 2 - (frame.link.kind === 'up' ? 0 : 1);
  const Screen = SCREENS[frame.view];
  // The help or a row's YAML, shown over the view: the view stays mounted, as it was.
  const over = frame.help || frame.record !== undefined;
  return (
    <DashboardContext.Provider value={frame.services}>
      <Box flexDirection="column" width={columns} height={height}>
        <Header url={frame.services.connection.client.url} tenantName={frame.tenantName} view={frame.view} readOnly={props.readOnly} />
        <Banner link={frame.link} width={columns} />
        <Box display={over ? 'none' : 'flex'} flexDirection="column">
          <Screen key={frame.view} height={screenHeight} width={columns} active={!over} />
        </Box>
        {frame.help ? (
          <HelpScreen height={screenHeight} readOnly={props.readOnly} onClose={frame.closeHelp} />
        ) : frame.record ? (
          <RecordScreen title={frame.record.title} value={frame.record.value} height={screenHeight} onClose={frame.closeRecord} />
        ) : null}
        <PromptLine prompt={frame.prompt} status={frame.status} />
      </Box>
    </DashboardContext.Provider>
  );
}
