// What probe.ts hands to a protocol probe, and how a protocol probe reports a failure it
// detected itself (rather than one the mail library raised).
import type tls from 'node:tls';
import type { CheckedAddress } from './address-guard.js';
import type { ProbeRun } from './probe-run.js';
import type { SocketRegistry } from './socket-registry.js';
import type { ConnectivityError, ProbeTarget } from './types.js';

export interface ProbeContext {
  target: ProbeTarget;
  /** The address the guard checked: dialled as is, TLS verified against its servername. */
  dial: CheckedAddress;
  run: ProbeRun;
  sockets: SocketRegistry;
  secureContext: tls.SecureContext;
  /** Aborted when the overall deadline passes: the probe must then drop its connection. */
  signal: AbortSignal;
  /** Value for each of the library's own timeouts (the overall deadline still rules). */
  libraryTimeoutMs: number;
}

export class ProbeFailure extends Error {
  constructor(readonly failure: ConnectivityError) {
    super(failure.message);
    this.name = 'ProbeFailure';
  }
}
