// A TCP relay between a daemon and its database that a test can cut: refuse connections (the
// database is down), swallow bytes (the database hangs), then relay again.
import {connect, createServer, type Server, type Socket} from 'node:net';

export type ProxyMode = 'relay' | 'refuse' | 'blackhole';

export interface TcpProxy {
  port: number;
  /** How many connections it has accepted. */
  accepted: number;
  /** refuse: closes every connection and stops listening; blackhole: accepts, never answers; relay: back to normal. */
  set(mode: ProxyMode): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: {host: string; port: number}): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let mode: ProxyMode = 'relay';
  let port = 0;
  let accepted = 0;
  let server: Server | undefined;

  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };

  const accept = (client: Socket) => {
    accepted++;
    track(client);
    if (mode === 'blackhole') return; // read nothing, answer nothing
    const upstream = connect(target.port, target.host);
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  };

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = createServer(accept);
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as {port: number}).port;
        resolve();
      });
    });

  const cutAll = () => {
    for (const socket of sockets) socket.destroy();
  };

  await listen();
  return {
    get port() {
      return port;
    },
    get accepted() {
      return accepted;
    },
    async set(next) {
      cutAll();
      if (next === 'refuse' && server) {
        await new Promise<void>((resolve) => server!.close(() => resolve()));
        server = undefined;
      }
      mode = next;
      if (next !== 'refuse' && !server) await listen();
    },
    async close() {
      cutAll();
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
      server = undefined;
    },
  };
}
