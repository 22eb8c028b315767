// SMTP probe on nodemailer's SMTPConnection: greeting, EHLO, (STARTTLS, EHLO), AUTH, QUIT.
// No MAIL FROM is ever sent. The probe dials the socket itself (connect and tls stages) and
// hands it over; nodemailer's transaction log is the hook that shows the greeting and the
// moment STARTTLS starts.
import type net from 'node:net';
import tls from 'node:tls';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import XOAuth2 from 'nodemailer/lib/xoauth2';
import { loginNeedsTls, mechanismMissing } from './auth-messages.js';
import { classifySmtpError, TOKEN_REJECTED } from './classify-smtp-error.js';
import { openSocket } from './open-socket.js';
import { ProbeFailure, type ProbeContext } from './probe-context.js';
import { tlsConnectOptions } from './tls-settings.js';
import { summariseTls } from './tls-summary.js';
import { classifyContextOf, starttlsUnavailable, timeoutFailure } from './transport-errors.js';
import type { ConnectivityError, ProbeTarget } from './types.js';

const PASSWORD_MECHANISMS = ['PLAIN', 'LOGIN', 'CRAM-MD5'];
/** How long a successful probe waits for the QUIT reply before dropping the connection. */
const QUIT_GRACE_MS = 1000;

/** The text of a (possibly multi-line) reply without its reply codes. */
function replyLines(reply: string): string[] {
  return reply
    .split(/\r?\n/)
    .map((line) => line.replace(/^\d{3}[ -]?/, '').trim())
    .filter((line) => line.length > 0);
}

/** EHLO extensions; the first reply line is the server's hello, not an extension. */
function ehloCapabilities(reply: string): string[] {
  return replyLines(reply).slice(1);
}

function authMechanisms(capabilities: string[]): string[] {
  return capabilities
    .filter((line) => /^AUTH[ =]/i.test(line))
    .flatMap((line) => line.slice(5).trim().split(/[\s=]+/))
    .filter(Boolean)
    .map((name) => name.toUpperCase());
}

/** Why nodemailer could not log in with these credentials, or null if it can. */
function unusableLogin(capabilities: string[], target: ProbeTarget, encrypted: boolean): ConnectivityError | null {
  const offered = authMechanisms(capabilities);
  if (offered.length === 0) {
    if (!encrypted) return loginNeedsTls(target.securityMode);
    return {
      ...mechanismMissing(target.authKind, offered),
      hint: 'This port may be for server-to-server mail (25); mail submission usually uses 587 with starttls or 465 with ssl_tls.',
    };
  }
  const usable = target.authKind === 'oauth2' ? offered.includes('XOAUTH2') : PASSWORD_MECHANISMS.some((name) => offered.includes(name));
  return usable ? null : mechanismMissing(target.authKind, offered);
}

function credentialsFor(target: ProbeTarget): SMTPConnection.AuthenticationType {
  if (target.authKind === 'password') return { user: target.username, pass: target.secret };
  // nodemailer retries a rejected token once with a "renewed" one; there is nothing to renew
  // here, and a second failed login only counts against the account.
  const oauth2 = new XOAuth2({
    user: target.username,
    accessToken: target.secret,
    provisionCallback: (_user, _renew, callback) => callback(Object.assign(new Error('token rejected'), { code: TOKEN_REJECTED })),
  });
  return { user: target.username, oauth2 };
}

/** Resolves with the connected socket, rejects with the raw socket error. */
function dial(ctx: ProbeContext, implicitTls: boolean): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = openSocket(ctx, implicitTls, () => {
      socket.off('error', reject);
      socket.off('close', onClose);
      resolve(socket);
    });
    const onClose = () => reject(new Error('socket closed before it was connected'));
    socket.once('error', reject);
    socket.once('close', onClose);
  });
}

export async function probeSmtp(ctx: ProbeContext): Promise<ConnectivityError | null> {
  const { target, run } = ctx;
  const implicitTls = target.securityMode === 'ssl_tls';
  const abortDial = () => ctx.sockets.destroyAll();
  ctx.signal.addEventListener('abort', abortDial, { once: true });
  let socket: net.Socket;
  try {
    socket = await dial(ctx, implicitTls);
  } catch (error) {
    ctx.sockets.destroyAll();
    return classifySmtpError(error, classifyContextOf(target, run.stage));
  } finally {
    ctx.signal.removeEventListener('abort', abortDial);
  }
  return converse(ctx, socket);
}

function converse(ctx: ProbeContext, socket: net.Socket): Promise<ConnectivityError | null> {
  const { target, run } = ctx;
  const implicitTls = target.securityMode === 'ssl_tls';
  const timeout = ctx.libraryTimeoutMs;
  let greetingSeen = false;
  let settled = false;
  let conn: SMTPConnection;

  return new Promise<ConnectivityError | null>((resolve) => {
    const settle = (outcome: ConnectivityError | null) => {
      if (settled) return;
      settled = true;
      ctx.signal.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const fail = (error: unknown) => {
      settle(classifySmtpError(error, classifyContextOf(target, run.stage)));
      conn.close();
      ctx.sockets.destroyAll();
    };
    const onAbort = () => {
      settle(timeoutFailure(classifyContextOf(target, run.stage)));
      conn.close();
      ctx.sockets.destroyAll();
    };

    const onStarttls = () => {
      run.enter('tls');
      const ehlo = String(conn.lastServerResponse || '');
      run.recordCapabilities(ehloCapabilities(ehlo));
      // nodemailer's requireTLS sends STARTTLS even when it was not offered; the probe refuses
      // the session instead (after the write nodemailer is in the middle of).
      if (!/^\d{3}[ -]STARTTLS\b/im.test(ehlo)) queueMicrotask(() => fail(new ProbeFailure(starttlsUnavailable(target))));
    };
    const transactionLog = (entry: { tnx?: string } | undefined, message: unknown) => {
      if (typeof message !== 'string') return;
      if (entry?.tnx === 'server' && !greetingSeen) {
        greetingSeen = true;
        run.recordGreeting(replyLines(message).join(' '));
      } else if (entry?.tnx === 'client' && message === 'STARTTLS') {
        onStarttls();
      }
    };
    const ignore = () => undefined;

    conn = new SMTPConnection({
      connection: socket,
      secure: implicitTls,
      secured: implicitTls,
      host: ctx.dial.address,
      port: target.port,
      ...(ctx.dial.servername ? { servername: ctx.dial.servername } : {}),
      requireTLS: target.securityMode === 'starttls',
      ignoreTLS: target.securityMode === 'none',
      tls: tlsConnectOptions(ctx.dial, ctx.secureContext),
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
      dnsTimeout: timeout,
      socketCloseTimeout: 0,
      transactionLog: true,
      // Every level is defined: nodemailer sends levels a logger lacks to another level.
      logger: { trace: ignore, debug: transactionLog, info: ignore, warn: ignore, error: ignore, fatal: ignore },
    });
    conn.on('error', fail);
    conn.on('end', () => {
      if (!settled) fail(Object.assign(new Error('connection ended'), { code: 'ECONNECTION' }));
    });
    ctx.signal.addEventListener('abort', onAbort, { once: true });

    conn.connect((connectError) => {
      if (connectError) return fail(connectError);
      // After STARTTLS nodemailer's own socket carries the TLS session.
      if (!implicitTls && conn._socket instanceof tls.TLSSocket) run.recordTls(summariseTls(conn._socket));
      run.enter('auth');
      const capabilities = ehloCapabilities(String(conn.lastServerResponse || ''));
      run.recordCapabilities(capabilities);
      const unusable = unusableLogin(capabilities, target, conn.secure);
      if (unusable) return fail(new ProbeFailure(unusable));
      conn.login(credentialsFor(target), (loginError) => {
        if (loginError) return fail(loginError);
        settle(null);
        quitQuietly(conn, ctx);
      });
    });
  });
}

/** QUIT, then drop the connection once the server answered or after a short grace. */
function quitQuietly(conn: SMTPConnection, ctx: ProbeContext): void {
  const timer = setTimeout(() => {
    conn.close();
    ctx.sockets.destroyAll();
  }, QUIT_GRACE_MS);
  timer.unref();
  conn.once('end', () => {
    clearTimeout(timer);
    ctx.sockets.destroyAll();
  });
  conn.quit();
}
