// IMAP probe on imapflow: connect, (STARTTLS), log in, LOGOUT. `verifyOnly` makes imapflow stop
// after NAMESPACE and log out, so no mailbox is selected or changed.
import type net from 'node:net';
import { ImapFlow, type ImapTransport } from 'imapflow';
import { loginNeedsTls, mechanismMissing } from './auth-messages.js';
import { classifyImapError } from './classify-imap-error.js';
import { imapClientOptions } from './imap-client-options.js';
import { openSocket, startTls } from './open-socket.js';
import { ProbeFailure, type ProbeContext } from './probe-context.js';
import { classifyContextOf, starttlsUnavailable } from './transport-errors.js';
import type { ConnectivityError, ProbeTarget } from './types.js';

const OAUTH_MECHANISMS = ['AUTH=OAUTHBEARER', 'AUTH=XOAUTH2', 'AUTH=XOAUTH'];
const PASSWORD_MECHANISMS = ['AUTH=PLAIN', 'AUTH=LOGIN'];

function capabilityNames(client: ImapFlow): string[] {
  return [...client.capabilities.keys()];
}

/** Why imapflow would not be able to log in with these credentials, or null if it can. */
function unusableLogin(capabilities: Map<string, unknown>, target: ProbeTarget): ConnectivityError | null {
  const offered = [...capabilities.keys()].filter((name) => name.startsWith('AUTH=')).map((name) => name.slice(5));
  if (target.authKind === 'oauth2') {
    return OAUTH_MECHANISMS.some((name) => capabilities.has(name)) ? null : mechanismMissing('oauth2', offered);
  }
  // imapflow uses AUTHENTICATE PLAIN/LOGIN when offered, else LOGIN unless LOGINDISABLED.
  if (PASSWORD_MECHANISMS.some((name) => capabilities.has(name)) || !capabilities.has('LOGINDISABLED')) return null;
  return target.securityMode === 'none' ? loginNeedsTls('none') : mechanismMissing('password', offered);
}

/** Dials the checked address itself, so the probe sees the connect and tls stages happen. */
function probeTransport(ctx: ProbeContext): ImapTransport {
  return {
    connect: (options, onConnect) => openSocket(ctx, options.secure, onConnect),
    upgrade: (socket, _options, onSecure) => startTls(ctx, socket as net.Socket, onSecure),
  };
}

/**
 * imapflow calls upgradeToSTARTTLS() right after the first CAPABILITY and before any credential
 * is sent; wrapping it marks the end of the greeting stage and lets the probe refuse a session
 * that would stay in clear text or could not log in at all.
 */
function watchSessionSetup(client: ImapFlow, ctx: ProbeContext): void {
  const upgrade = client.upgradeToSTARTTLS.bind(client);
  client.upgradeToSTARTTLS = async () => {
    const { run, target } = ctx;
    if (client.greeting) run.recordGreeting(client.greeting);
    run.recordCapabilities(capabilityNames(client));
    if (client.authenticated) {
      throw new ProbeFailure({
        code: 'PROTOCOL_ERROR',
        message: 'The server logged the connection in without credentials (PREAUTH), so the credentials could not be checked.',
      });
    }
    if (target.securityMode === 'starttls') {
      run.enter('tls');
      if (!client.capabilities.has('STARTTLS')) throw new ProbeFailure(starttlsUnavailable(target));
    }
    const upgraded = await upgrade();
    run.enter('auth');
    run.recordCapabilities(capabilityNames(client));
    const unusable = unusableLogin(client.capabilities, target);
    if (unusable) throw new ProbeFailure(unusable);
    return upgraded;
  };
}

export async function probeImap(ctx: ProbeContext): Promise<ConnectivityError | null> {
  const { target, run } = ctx;
  const timeout = ctx.libraryTimeoutMs;
  const client = new ImapFlow({ ...imapClientOptions(ctx.dial, target, timeout, probeTransport(ctx)), verifyOnly: true });
  // Failures reach connect()'s rejection; the event must still have a listener.
  client.on('error', () => undefined);
  watchSessionSetup(client, ctx);
  const abort = () => client.close();
  ctx.signal.addEventListener('abort', abort, { once: true });
  try {
    await client.connect();
    run.recordCapabilities(capabilityNames(client));
    return null;
  } catch (error) {
    if (client.greeting) run.recordGreeting(client.greeting);
    return classifyImapError(error, classifyContextOf(target, run.stage));
  } finally {
    ctx.signal.removeEventListener('abort', abort);
    client.close();
    ctx.sockets.destroyAll();
  }
}
