// Loopback TCP servers that accept connections and then say nothing: one stands for a server
// that never greets, the other for one that stalls the TLS handshake (it reads the ClientHello
// and never answers). They track their sockets so tests can check that probes hang up.
import net, { type AddressInfo } from 'node:net';

export interface SilentServer {
  host: string;
  port: number;
  /** Connections that are still open on the server side. */
  openSockets(): number;
  /** Connections accepted since the server started. */
  acceptedConnections(): number;
  /** Whether any connection sent a TLS handshake record (a ClientHello). */
  sawClientHello(): boolean;
  stop(): Promise<void>;
}

const TLS_HANDSHAKE_RECORD = 0x16;

async function startSilentServer(host: string): Promise<SilentServer> {
  const sockets = new Set<net.Socket>();
  let clientHello = false;
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      if (chunk[0] === TLS_HANDSHAKE_RECORD) clientHello = true;
    });
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('error', () => undefined);
  // Many probes may connect at once; the default backlog is plenty, but say so explicitly.
  await new Promise<void>((resolve) => server.listen({ port: 0, host, backlog: 1024 }, resolve));
  return {
    host,
    port: (server.address() as AddressInfo).port,
    openSockets: () => sockets.size,
    acceptedConnections: () => accepted,
    sawClientHello: () => clientHello,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Accepts and never sends a greeting. */
export function startNeverGreetingServer(host = '127.0.0.1'): Promise<SilentServer> {
  return startSilentServer(host);
}

/** Accepts, reads the TLS ClientHello and never answers it. */
export function startStalledTlsServer(host = '127.0.0.1'): Promise<SilentServer> {
  return startSilentServer(host);
}
