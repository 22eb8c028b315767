// What both downstream sessions do before they dial, with the connectivity probe's own parts:
// the private-address guard resolves the host once and the checked IP is what gets dialled
// (TLS still verifies the name), certificates are verified with the operator's extra CA, and
// every wait is bounded.
import { guardHost } from '../connectivity/address-guard.js';
import type { ProbeContext } from '../connectivity/probe-context.js';
import { ProbeRun } from '../connectivity/probe-run.js';
import { SocketRegistry } from '../connectivity/socket-registry.js';
import { secureContextFor } from '../connectivity/tls-settings.js';
import { classifyContextOf, timeoutFailure } from '../connectivity/transport-errors.js';
import type { ProbeOptions, ProbeTarget } from '../connectivity/types.js';
import { mailServerError } from './mail-errors.js';

/** The connectivity settings of the server (timeouts, allow-list, extra CA, resolver). */
export type MailSettings = ProbeOptions;

export class DeadlineExpired extends Error {
  override name = 'DeadlineExpired';
}

/** Resolves or rejects with `work`, or rejects with DeadlineExpired after `ms` (then runs onExpire). */
export function withinDeadline<T>(work: Promise<T>, ms: number, onExpire: () => void = () => undefined): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      onExpire();
      reject(new DeadlineExpired(`deadline of ${ms} ms passed`));
    }, ms);
  });
  // A late rejection of the losing promise must not become an unhandled rejection.
  work.catch(() => undefined);
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

export interface MailConnection {
  /** What the probe helpers (openSocket, startTls, classifiers) expect. */
  ctx: ProbeContext;
  /** Aborts the signal and destroys every socket of the connection. */
  destroy(): void;
}

/**
 * Refuses what a connectivity test refuses before dialling, then guards the host. Throws
 * MAIL_SERVER_ERROR (HOST_NOT_ALLOWED, DNS_NOT_FOUND, TIMEOUT, …) without opening a socket.
 */
export async function prepareConnection(target: ProbeTarget, settings: MailSettings): Promise<MailConnection> {
  const run = new ProbeRun(target);
  if (target.securityMode === 'none' && !settings.allowInsecureTransport) {
    throw mailServerError(
      {
        code: 'PROTOCOL_ERROR',
        message: 'Unencrypted connections (security mode none) are disabled on this server, so the credentials were not sent.',
        hint: 'Use starttls or ssl_tls, or ask the operator to set ALLOW_INSECURE_TRANSPORT.',
      },
      'dns',
    );
  }
  let guard;
  try {
    guard = await withinDeadline(guardHost(target.host, settings.allowedHosts, settings.resolver), settings.timeoutMs);
  } catch (error) {
    if (error instanceof DeadlineExpired) throw mailServerError(timeoutFailure(classifyContextOf(target, 'dns')), 'dns');
    throw error;
  }
  if (!guard.ok) throw mailServerError(guard.error, 'dns');

  const abort = new AbortController();
  const sockets = new SocketRegistry();
  const ctx: ProbeContext = {
    target,
    dial: guard.target,
    run,
    sockets,
    secureContext: secureContextFor(settings.extraCa),
    signal: abort.signal,
    libraryTimeoutMs: settings.timeoutMs,
  };
  return {
    ctx,
    destroy: () => {
      abort.abort();
      sockets.destroyAll();
    },
  };
}
