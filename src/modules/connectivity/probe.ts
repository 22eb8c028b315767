// Entry point of the connectivity module: one probe, all stages under one deadline, a result
// every time (this function never throws).
import { guardHost } from './address-guard.js';
import { probeImap } from './imap-probe.js';
import type { ProbeContext } from './probe-context.js';
import { ProbeRun } from './probe-run.js';
import { probeSmtp } from './smtp-probe.js';
import { SocketRegistry } from './socket-registry.js';
import { secureContextFor } from './tls-settings.js';
import { classifyContextOf, timeoutFailure } from './transport-errors.js';
import type { ConnectivityError, ConnectivityResult, ProbeOptions, ProbeTarget, ProviderKind } from './types.js';

const DEFAULT_TIMEOUT_MS = 15_000;

function refuseBeforeDialling(target: ProbeTarget, options: ProbeOptions): ConnectivityError | null {
  if (target.securityMode === 'none' && !options.allowInsecureTransport) {
    return {
      code: 'PROTOCOL_ERROR',
      message: 'Unencrypted connections (security mode none) are disabled on this server, so the credentials were not sent.',
      hint: 'Use starttls or ssl_tls, or ask the operator to set ALLOW_INSECURE_TRANSPORT.',
    };
  }
  if (!Number.isInteger(target.port) || target.port < 1 || target.port > 65535) {
    return { code: 'PROTOCOL_ERROR', message: 'The port must be a whole number from 1 to 65535.' };
  }
  return null;
}

async function runStages(target: ProbeTarget, options: ProbeOptions, run: ProbeRun, signal: AbortSignal, timeoutMs: number): Promise<ConnectivityError | null> {
  const refusal = refuseBeforeDialling(target, options);
  if (refusal) return refusal;

  const guard = await guardHost(target.host, options.allowedHosts, options.resolver);
  if (!guard.ok) return guard.error;
  // The deadline may have passed while DNS was still answering: then nothing may be dialled.
  if (signal.aborted) return null;

  let secureContext;
  try {
    secureContext = secureContextFor(options.extraCa);
  } catch {
    return {
      code: 'TLS_HANDSHAKE_FAILED',
      message: 'The extra CA bundle configured for connectivity tests could not be loaded.',
      hint: 'Check that CONNECTIVITY_EXTRA_CA_FILE holds PEM certificates.',
    };
  }
  const ctx: ProbeContext = {
    target,
    dial: guard.target,
    run,
    sockets: new SocketRegistry(),
    secureContext,
    signal,
    libraryTimeoutMs: timeoutMs,
  };
  return target.providerKind === 'imap' ? probeImap(ctx) : probeSmtp(ctx);
}

async function runWithinDeadline(target: ProbeTarget, options: ProbeOptions, run: ProbeRun): Promise<ConnectivityResult> {
  const timeoutMs = Number.isFinite(options.timeoutMs) && options.timeoutMs > 0 ? options.timeoutMs : DEFAULT_TIMEOUT_MS;
  const deadline = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'expired'>((resolve) => {
    timer = setTimeout(() => resolve('expired'), timeoutMs);
  });
  const work = runStages(target, options, run, deadline.signal, timeoutMs);
  try {
    const outcome = await Promise.race([work, expired]);
    if (outcome !== 'expired') return run.finish(outcome);
    // Finish first so the stage that stalled is what gets reported, then tear the sockets down.
    const result = run.finish(timeoutFailure(classifyContextOf(target, run.stage)));
    deadline.abort();
    work.catch(() => undefined);
    return result;
  } finally {
    clearTimeout(timer);
  }
}

/** Tests the target's connectivity and credentials. Never throws. */
export async function runConnectivityProbe(target: ProbeTarget, options: ProbeOptions): Promise<ConnectivityResult> {
  const run = new ProbeRun(target);
  try {
    return await runWithinDeadline(target, options, run);
  } catch {
    return run.finish({ code: 'PROTOCOL_ERROR', message: 'The connectivity test failed unexpectedly.' });
  }
}

/** The result for a credential whose stored secret cannot be decrypted: nothing was dialled. */
export function secretUnreadableResult(providerKind: ProviderKind): ConnectivityResult {
  return {
    ok: false,
    providerKind,
    stage: 'dns',
    error: {
      code: 'SECRET_UNREADABLE',
      message: 'The stored secret cannot be decrypted with the current encryption keys.',
      hint: 'Rotate the secret, or restore the encryption key it was stored with to CREDENTIALS_ENCRYPTION_KEYS.',
    },
    latencyMs: 0,
    testedAt: new Date().toISOString(),
    server: null,
  };
}
