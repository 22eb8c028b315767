// `npm run bench`: runs the benchmarks in turn, prints a table for each, writes
// bench/results/<name>.json, and ends with one verdict line per target. Flags: lib/options.ts.
import 'reflect-metadata';
import { loadavg } from 'node:os';
import { BENCHMARKS, DEFAULT_SCALE, parseOptions, type BenchmarkName, type BenchOptions } from './lib/options.js';
import { setExtraServerEnv, stopAllChildren } from './lib/processes.js';
import { writeResult } from './lib/results.js';
import { printTable, type Verdict } from './lib/stats.js';
import { runNPlusOne } from './n-plus-one.js';
import { runReadPath } from './read-path.js';
import { runScale } from './scale.js';
import { runTestEndpoint } from './test-endpoint.js';

type Runner = (options: BenchOptions) => Promise<{ verdicts: Verdict[] } & Record<string, unknown>>;

const RUNNERS: Record<BenchmarkName, Runner> = {
  'read-path': runReadPath,
  'n-plus-one': runNPlusOne,
  scale: runScale,
  'test-endpoint': runTestEndpoint,
};

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  setExtraServerEnv(options.serverEnv);
  const started = Date.now();
  const verdicts: Verdict[] = [];
  const timings: Record<string, number> = {};
  process.stdout.write(`Benchmarks: ${options.only.join(', ')} on ${options.providers.join(' and ')}; scale ${options.scale.toLocaleString('en')}\n`);
  // The machine may be shared: the load average before and after each benchmark is recorded.
  const load: Record<string, { before: number[]; after: number[] }> = {};
  process.stdout.write(`load average before: ${loadavg().map((v) => v.toFixed(2)).join(' ')}\n`);
  for (const name of options.only) {
    const benchStarted = Date.now();
    const before = loadavg();
    const { verdicts: found, ...data } = await RUNNERS[name](options);
    timings[name] = Math.round((Date.now() - benchStarted) / 100) / 10;
    load[name] = { before: before.map((v) => Math.round(v * 100) / 100), after: loadavg().map((v) => Math.round(v * 100) / 100) };
    // A non-default scale keeps its own file, so the default run's figures stay beside it.
    const resultName = name === 'scale' && options.scale !== DEFAULT_SCALE ? `scale-${options.scale}` : name;
    const file = writeResult(resultName, { options: { ...options, serverEntry: undefined }, seconds: timings[name], loadAverage: load[name], ...data, verdicts: found });
    process.stdout.write(`\n${name}: ${timings[name]} s → ${file}\n`);
    verdicts.push(...found);
  }
  const total = Math.round((Date.now() - started) / 100) / 10;
  const partial = options.only.length !== BENCHMARKS.length || options.scale !== DEFAULT_SCALE;
  writeResult(partial ? `summary-${options.only.join('+')}${options.scale !== DEFAULT_SCALE ? `-${options.scale}` : ''}` : 'summary', { seconds: total, timings, loadAverage: load, verdicts });
  printTable(`Targets (${total} s in all)`, [['benchmark', 'target', 'measured', 'verdict'], ...verdicts.map((v) => [v.benchmark, v.target, v.measured, v.met ? 'met' : 'MISSED'])]);
}

const interrupt = () => {
  void stopAllChildren().finally(() => process.exit(130));
};
process.once('SIGINT', interrupt);
process.once('SIGTERM', interrupt);

main().then(
  async () => {
    await stopAllChildren();
    process.exit(0);
  },
  async (error: unknown) => {
    process.stderr.write(`benchmark failed: ${(error as Error).stack ?? String(error)}\n`);
    await stopAllChildren();
    process.exit(1);
  },
);
