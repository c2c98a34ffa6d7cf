// The dashboard: a header, a banner when the daemon is gone, the current view (or the help), and
// the prompt line, laid out for the terminal's size.

import {Box} from 'ink';
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

export type DashboardProps = FrameOptions;

/**
 * @example
 * render(<Dashboard connection={connection} refreshMs={2000} readOnly={false} />);
 */
export function Dashboard(props: DashboardProps) {
  return (
    <KeyboardProvider>
      <Frame {...props} />
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

function Frame(props: DashboardProps) {
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
