// Throughput rounds with autocannon: a warm-up, then interleaved rounds over several targets so
// that drift (thermal, page cache, JIT) hits every target alike. Every figure is bounded by
// its duration; a round with errors or non-2xx answers fails the benchmark.
import autocannon from 'autocannon';
import { median, percentile, round } from './stats.js';

export interface LoadTarget {
  name: string;
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** The server process, to measure its CPU time per request. */
  server?: { cpuMs(): number };
}

export interface RoundResult {
  rps: number;
  /** Server CPU time per request in microseconds (its process only: not the database's). */
  cpuUsPerRequest: number | null;
  latencyP50Ms: number;
  latencyP99Ms: number;
  requests: number;
}

export interface TargetSummary {
  name: string;
  rounds: RoundResult[];
  /** Median over rounds of the round's requests per second. */
  medianRps: number;
  /** 1st percentile (worst) of the rounds' requests per second. */
  minRps: number;
  /** Median over rounds of each round's p50 latency; p99: the worst round's p99. */
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** Median over rounds of the server's CPU time per request, in microseconds. */
  cpuUsPerRequest: number | null;
}

async function runOnce(target: LoadTarget, connections: number, durationSeconds: number): Promise<RoundResult> {
  const cpuBefore = target.server?.cpuMs();
  const result = await autocannon({
    url: target.url,
    method: target.method,
    headers: target.headers,
    body: target.body,
    connections,
    duration: durationSeconds,
    timeout: 10,
  });
  if (result.errors > 0 || result.timeouts > 0 || result.non2xx > 0) {
    throw new Error(`${target.name}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx answers in one round`);
  }
  const cpuUsPerRequest = cpuBefore === undefined ? null : round(((target.server!.cpuMs() - cpuBefore) * 1000) / Math.max(1, result.requests.total), 1);
  return { rps: result.requests.average, cpuUsPerRequest, latencyP50Ms: result.latency.p50, latencyP99Ms: result.latency.p99, requests: result.requests.total };
}

export interface InterleavedOptions {
  connections: number;
  durationSeconds: number;
  rounds: number;
  warmupSeconds: number;
  onRound?: (target: string, round: number, result: RoundResult) => void;
}

export async function interleavedRounds(targets: LoadTarget[], options: InterleavedOptions): Promise<TargetSummary[]> {
  for (const target of targets) await runOnce(target, options.connections, options.warmupSeconds);
  const rounds = new Map<string, RoundResult[]>(targets.map((target) => [target.name, []]));
  for (let index = 0; index < options.rounds; index++) {
    // Rotate the order each round so that no target always runs first.
    const order = targets.map((_, i) => targets[(i + index) % targets.length]!);
    for (const target of order) {
      const result = await runOnce(target, options.connections, options.durationSeconds);
      rounds.get(target.name)!.push(result);
      options.onRound?.(target.name, index + 1, result);
    }
  }
  return targets.map((target) => {
    const list = rounds.get(target.name)!;
    return {
      name: target.name,
      rounds: list,
      medianRps: round(median(list.map((r) => r.rps)), 0),
      minRps: round(Math.min(...list.map((r) => r.rps)), 0),
      latencyP50Ms: round(median(list.map((r) => r.latencyP50Ms)), 2),
      latencyP99Ms: round(percentile(list.map((r) => r.latencyP99Ms), 100), 2),
      cpuUsPerRequest: list[0]!.cpuUsPerRequest === null ? null : round(median(list.map((r) => r.cpuUsPerRequest!)), 1),
    };
  });
}
