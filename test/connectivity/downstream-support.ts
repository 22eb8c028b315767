// Loopback servers that count connections, for proving that a refused downstream use opened
// none: a TCP proxy in front of Dovecot, and an SMTP server (smtp-server) that accepts and
// captures mail, unlike the connectivity fixtures, which refuse every MAIL FROM.
import net, { type AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { TestCertificates } from '../support/mail-servers/certificates.js';

export interface CountingProxy {
  host: string;
  port: number;
  /** Connections accepted since the start. */
  accepted(): number;
  /** Connections still open. */
  open(): number;
  stop(): Promise<void>;
}

export async function startCountingProxy(targetHost: string, targetPort: number): Promise<CountingProxy> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.once('close', () => sockets.delete(socket));
  };
  const server = net.createServer((client) => {
    accepted += 1;
    const upstream = net.connect({ host: targetHost, port: targetPort });
    track(client);
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: '127.0.0.1',
    port: (server.address() as AddressInfo).port,
    accepted: () => accepted,
    // Each proxied connection is two sockets.
    open: () => sockets.size / 2,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface CapturedMessage {
  from: string | null;
  to: string[];
  data: string;
}

export interface CaptureSmtp {
  host: string;
  securePort: number;
  starttlsPort: number;
  messages: CapturedMessage[];
  connections(): number;
  stop(): Promise<void>;
}

/** Two smtp-server instances (implicit TLS, STARTTLS) that accept mail from signed-in users. */
export async function startCaptureSmtp(certificates: TestCertificates, users: Record<string, string>): Promise<CaptureSmtp> {
  const messages: CapturedMessage[] = [];
  let connections = 0;
  const make = (secure: boolean) => {
    const server = new SMTPServer({
      secure,
      key: certificates.server.keyPem,
      cert: certificates.server.certPem,
      authMethods: ['PLAIN', 'LOGIN'],
      allowInsecureAuth: false,
      // Otherwise every connection triggers a reverse DNS lookup that leaves the machine.
      disableReverseLookup: true,
      logger: false,
      closeTimeout: 500,
      size: 1024 * 1024,
      onConnect(_session, callback) {
        connections += 1;
        callback();
      },
      onAuth(auth, _session, callback) {
        if (auth.username && users[auth.username] !== undefined && auth.password === users[auth.username]) return callback(null, { user: auth.username });
        return callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          messages.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
            to: session.envelope.rcptTo.map((recipient) => recipient.address),
            data: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    server.on('error', () => undefined);
    return server;
  };
  const secure = make(true);
  const starttls = make(false);
  const listen = (server: SMTPServer) =>
    new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.server.address() as AddressInfo).port)));
  const [securePort, starttlsPort] = await Promise.all([listen(secure), listen(starttls)]);
  return {
    host: '127.0.0.1',
    securePort,
    starttlsPort,
    messages,
    connections: () => connections,
    stop: async () => {
      await Promise.all([secure, starttls].map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    },
  };
}
