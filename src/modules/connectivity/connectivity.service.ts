// Runs connectivity probes for the credentials service with the server's connectivity
// settings, and caps the number of tests in flight in this process.
import { readFileSync } from 'node:fs';
import type { Config } from '../../config.js';
import { AppError } from '../../errors.js';
import { runConnectivityProbe } from './probe.js';
import type { ConnectivityResult, ProbeOptions, ProbeTarget } from './types.js';

export { secretUnreadableResult } from './probe.js';

export type HostResolver = NonNullable<ProbeOptions['resolver']>;

/** A probe whose budget is spent still gets this long: it then ends as TIMEOUT, at once. */
const MIN_PROBE_BUDGET_MS = 1;

export class ConnectivityTester {
  private inFlight = 0;
  private readonly options: ProbeOptions;

  constructor(
    private readonly config: Config,
    resolver?: HostResolver,
  ) {
    const { timeoutMs, allowedHosts, extraCaFile } = config.connectivity;
    this.options = {
      timeoutMs,
      allowedHosts,
      extraCa: extraCaFile ? readExtraCa(extraCaFile) : undefined,
      resolver,
      allowInsecureTransport: config.allowInsecureTransport,
    };
  }

  /**
   * Runs one probe; refuses with RATE_LIMITED when the process already runs its maximum.
   * `startedAt` (epoch ms) is when the operation asking for the test began: the deadline counts
   * from there, so time spent queueing for the database under load comes out of the probe's
   * budget instead of making the answer late.
   */
  async run(target: ProbeTarget, startedAt = Date.now()): Promise<ConnectivityResult> {
    if (this.inFlight >= this.config.connectivity.maxInFlight) {
      throw new AppError('RATE_LIMITED', 'Too many connectivity tests are running on this server; try again in a moment.', undefined, 1);
    }
    this.inFlight += 1;
    try {
      const timeoutMs = Math.max(MIN_PROBE_BUDGET_MS, this.options.timeoutMs - (Date.now() - startedAt));
      return await runConnectivityProbe(target, { ...this.options, timeoutMs });
    } finally {
      this.inFlight -= 1;
    }
  }
}

function readExtraCa(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`CONNECTIVITY_EXTRA_CA_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}
