// In-process SMTP servers (the smtp-server package) on 127.0.0.1, one per behaviour the
// connectivity tests need. Every instance refuses MAIL FROM, so a probe that tried to send
// would fail loudly, and counts the attempts.
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { createTestCertificates, type TestCertificates } from './certificates.js';

export const SMTP_HOST = '127.0.0.1';

export interface SmtpServers {
  host: string;
  /** Implicit TLS, CA-signed certificate. */
  securePort: number;
  /** Plain with STARTTLS, CA-signed certificate. */
  starttlsPort: number;
  /** Plain, STARTTLS neither offered nor accepted. */
  noStarttlsPort: number;
  /** STARTTLS offered, but no AUTH at all (like an MX on port 25). */
  noAuthPort: number;
  /** Implicit TLS with a self-signed certificate. */
  selfSignedPort: number;
  caPem: string;
  /** MAIL FROM commands received by any instance (a probe must send none). */
  mailFromCount(): number;
  stop(): Promise<void>;
}

export interface SmtpServersOptions {
  /** user name → password; the password is also the user's valid XOAUTH2 access token. */
  users: Record<string, string>;
  certificates?: TestCertificates;
}

function listen(server: SMTPServer): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, SMTP_HOST, () => {
      server.off('error', reject);
      resolve((server.server.address() as AddressInfo).port);
    });
  });
}

function close(server: SMTPServer): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

export async function startSmtpServers(options: SmtpServersOptions): Promise<SmtpServers> {
  const certificates = options.certificates ?? createTestCertificates();
  let mailFrom = 0;

  const base: SMTPServerOptions = {
    key: certificates.server.keyPem,
    cert: certificates.server.certPem,
    authMethods: ['PLAIN', 'LOGIN', 'XOAUTH2'],
    allowInsecureAuth: false,
    // Otherwise every connection triggers a reverse DNS lookup that leaves the machine.
    disableReverseLookup: true,
    logger: false,
    closeTimeout: 500,
    onAuth(auth, _session, callback) {
      const expected = auth.username ? options.users[auth.username] : undefined;
      if (auth.method === 'XOAUTH2') {
        if (expected !== undefined && auth.accessToken === expected) return callback(null, { user: auth.username });
        // Like Gmail: a 334 challenge with the error details, then 535 after the client's empty line.
        return callback(null, { data: { status: '401', schemes: 'bearer', scope: 'https://mail.example.test/' } });
      }
      if (expected !== undefined && auth.password === expected) return callback(null, { user: auth.username });
      return callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onMailFrom(_address, _session, callback) {
      mailFrom += 1;
      callback(Object.assign(new Error('This test server accepts no mail'), { responseCode: 550 }));
    },
  };

  const servers = {
    secure: new SMTPServer({ ...base, secure: true }),
    starttls: new SMTPServer({ ...base }),
    noStarttls: new SMTPServer({ ...base, hideSTARTTLS: true, disabledCommands: ['STARTTLS'] }),
    noAuth: new SMTPServer({ ...base, authOptional: true, disabledCommands: ['AUTH'] }),
    selfSigned: new SMTPServer({ ...base, secure: true, key: certificates.selfSigned.keyPem, cert: certificates.selfSigned.certPem }),
  };
  for (const server of Object.values(servers)) server.on('error', () => undefined);

  const [securePort, starttlsPort, noStarttlsPort, noAuthPort, selfSignedPort] = await Promise.all([
    listen(servers.secure),
    listen(servers.starttls),
    listen(servers.noStarttls),
    listen(servers.noAuth),
    listen(servers.selfSigned),
  ]);

  return {
    host: SMTP_HOST,
    securePort,
    starttlsPort,
    noStarttlsPort,
    noAuthPort,
    selfSignedPort,
    caPem: certificates.caPem,
    mailFromCount: () => mailFrom,
    stop: async () => {
      await Promise.all(Object.values(servers).map(close));
    },
  };
}
