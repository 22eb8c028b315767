// A tiny scripted IMAP server for what the Dovecot fixture cannot easily do: greet and list
// capabilities WITHOUT STARTTLS (a plain IMAP server that cannot encrypt), to test that a
// starttls probe refuses to go on in clear text, or serve implicit TLS with a self-signed
// certificate. It answers CAPABILITY and LOGOUT; every other command gets NO, and it counts
// logins so a test can prove none were attempted.
import net, { type AddressInfo } from 'node:net';
import tls from 'node:tls';
import type { KeyPair } from './certificates.js';

export interface FakeImapOptions {
  capabilities?: string;
  /** Serve implicit TLS with this key and certificate. */
  tls?: KeyPair;
  host?: string;
}

export interface FakeImapServer {
  host: string;
  port: number;
  loginAttempts(): number;
  stop(): Promise<void>;
}

export async function startFakeImapServer(options: FakeImapOptions = {}): Promise<FakeImapServer> {
  const { capabilities = 'IMAP4rev1 AUTH=PLAIN', host = '127.0.0.1' } = options;
  const sockets = new Set<net.Socket>();
  let logins = 0;
  const session = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => sockets.delete(socket));
    socket.write('* OK fake IMAP ready\r\n');
    let buffered = '';
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      let newline = buffered.indexOf('\n');
      for (let lines = 0; newline !== -1 && lines < 100; lines++) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        newline = buffered.indexOf('\n');
        const [tag = '*', command = ''] = line.split(' ');
        const verb = command.toUpperCase();
        if (verb === 'CAPABILITY') socket.write(`* CAPABILITY ${capabilities}\r\n${tag} OK done\r\n`);
        else if (verb === 'LOGOUT') socket.end(`* BYE bye\r\n${tag} OK done\r\n`);
        else {
          if (verb === 'LOGIN' || verb === 'AUTHENTICATE') logins += 1;
          socket.write(`${tag} NO not supported here\r\n`);
        }
      }
    });
  };
  const server = options.tls
    ? tls.createServer({ key: options.tls.keyPem, cert: options.tls.certPem }, session)
    : net.createServer(session);
  server.on('error', () => undefined);
  // A client that rejects the certificate aborts the handshake; that is expected here.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    host,
    port: (server.address() as AddressInfo).port,
    loginAttempts: () => logins,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
