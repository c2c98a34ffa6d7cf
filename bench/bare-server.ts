// The reference server: plain node:http answering 204 to every request, in a process of its
// own like the daemon. Run directly, it serves on 127.0.0.1 and prints `{"port": N}` once
// listening; imported, it gives the parent the function that starts it.

import {createServer} from 'node:http';
import {pathToFileURL} from 'node:url';
import {startChild, stopChild, tsxArgs, type Child} from './children.js';

export interface BareServer {
  url: string;
  child: Child;
  stop(): Promise<void>;
}

/** Starts the bare server in a child process; resolves once it listens. */
export async function startBareServer(timeoutMs = 30_000): Promise<BareServer> {
  const child = startChild('bare node:http server', process.execPath, tsxArgs('bench/bare-server.ts'));
  child.process.stdin?.end();
  const port = await new Promise<number>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`the bare server did not start in ${timeoutMs} ms:\n${child.output()}`)), timeoutMs);
    child.process.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      const line = /^\{"port":\d+\}$/m.exec(seen);
      if (line) {
        clearTimeout(timer);
        resolve((JSON.parse(line[0]) as {port: number}).port);
      }
    });
    void child.exited.then(({code, signal}) => {
      clearTimeout(timer);
      reject(new Error(`the bare server exited (${signal ?? code}) before listening:\n${child.output()}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    async stop() {
      await stopChild(child, 5_000);
    },
  };
}

function serve(): void {
  const server = createServer((_req, res) => {
    res.writeHead(204);
    res.end();
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(JSON.stringify({port: typeof address === 'object' && address ? address.port : 0}) + '\n');
  });
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) serve();
