// The ImapFlow options shared by the connectivity probe and downstream IMAP sessions: dial the
// checked address, verify TLS against the host name, refuse to continue in clear text, and set
// every library timeout.
import type { ImapFlowOptions, ImapTransport } from 'imapflow';
import type { ProbeContext } from './probe-context.js';
import type { ProbeTarget } from './types.js';

export function imapClientOptions(dial: ProbeContext['dial'], target: ProbeTarget, timeoutMs: number, transport: ImapTransport): ImapFlowOptions {
  return {
    host: dial.address,
    port: target.port,
    ...(dial.servername ? { servername: dial.servername } : {}),
    secure: target.securityMode === 'ssl_tls',
    // true: fail rather than continue in clear text when STARTTLS is missing.
    doSTARTTLS: target.securityMode === 'starttls',
    auth: target.authKind === 'oauth2' ? { user: target.username, accessToken: target.secret } : { user: target.username, pass: target.secret },
    logger: false,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    disableAutoIdle: true,
    transport,
  };
}
