// Shared bits of the connectivity tests: loopback-only options and quick target builders.
import { expect } from 'vitest';
import type { ConnectivityResult, ProbeOptions, ProbeTarget } from '../../src/modules/connectivity/types.js';

export const LOOPBACK_ALLOWED = ['127.0.0.0/8', '::1'];
export const SHORT_TIMEOUT_MS = 1500;
/** How much later than its deadline a probe may report. */
export const DEADLINE_SLACK_MS = 1000;

export const ALICE = { username: 'alice@example.test', password: 'alice-password-2718' };

export function loopbackOptions(overrides: Partial<ProbeOptions> = {}): ProbeOptions {
  return {
    timeoutMs: 5000,
    allowedHosts: LOOPBACK_ALLOWED,
    // Any name lookup in a test must be answered here: tests never ask a real resolver.
    resolver: async (host) => {
      throw Object.assign(new Error(`unexpected lookup of ${host}`), { code: 'ENOTFOUND' });
    },
    ...overrides,
  };
}

export function passwordTarget(overrides: Partial<ProbeTarget>): ProbeTarget {
  return {
    providerKind: 'imap',
    host: '127.0.0.1',
    port: 1,
    securityMode: 'ssl_tls',
    authKind: 'password',
    username: ALICE.username,
    secret: ALICE.password,
    ...overrides,
  };
}

export function expectFailure(result: ConnectivityResult, code: string, stage: string): void {
  expect({ ok: result.ok, code: result.error?.code, stage: result.stage }).toEqual({ ok: false, code, stage });
}

/** Polls a condition for at most `totalMs`; returns its last value. */
export async function eventually(check: () => boolean, totalMs = 1000): Promise<boolean> {
  const deadline = Date.now() + totalMs;
  for (let attempt = 0; attempt < 100 && Date.now() < deadline; attempt++) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return check();
}
