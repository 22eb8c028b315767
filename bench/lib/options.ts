// Command-line flags of `npm run bench`, parsed once.
//   --pg                 also run on PostgreSQL (TEST_DATABASE_URL or postgres@127.0.0.1:5432/test)
//   --scale=N            credentials seeded by the scale benchmark (default 100000)
//   --only=a,b           run only these benchmarks (read-path, n-plus-one, scale, test-endpoint)
//   --rounds=N           measured rounds per target (default 5)
//   --duration=S         seconds per throughput round (default 3)
//   --connections=N      autocannon connections (default 32)
//   --profile            read path: also record a CPU profile of the real server and summarise it
//   --server=PATH        main.js of the server to benchmark (default dist/src/main.js): for A/B
//                        runs against a scratch copy of the project
//   --server-env=K=V,…   extra environment for every real server process (A/B switches)
import { projectPath } from '../../src/project-root.js';

export const BENCHMARKS = ['read-path', 'n-plus-one', 'scale', 'test-endpoint'] as const;
export type BenchmarkName = (typeof BENCHMARKS)[number];
export const DEFAULT_SCALE = 100_000;

export interface BenchOptions {
  providers: Array<'sqlite' | 'postgresql'>;
  pgAdminUrl: string;
  scale: number;
  only: BenchmarkName[];
  rounds: number;
  durationSeconds: number;
  connections: number;
  profile: boolean;
  serverEntry: string;
  serverEnv: Record<string, string>;
}

function intFlag(value: string | undefined, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) throw new Error(`--${name}: expected a whole number from ${min} to ${max}, got "${value}"`);
  return parsed;
}

export function parseOptions(argv: string[]): BenchOptions {
  const flags = new Map<string, string | true>();
  for (const arg of argv) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match) throw new Error(`unknown argument "${arg}" (flags look like --name or --name=value)`);
    flags.set(match[1]!, match[2] ?? true);
  }
  const known = new Set(['pg', 'scale', 'only', 'rounds', 'duration', 'connections', 'profile', 'server', 'server-env']);
  for (const name of flags.keys()) if (!known.has(name)) throw new Error(`unknown flag --${name}`);
  const text = (name: string) => {
    const value = flags.get(name);
    return typeof value === 'string' ? value : undefined;
  };
  const only = (text('only') ?? BENCHMARKS.join(',')).split(',').map((name) => name.trim()).filter(Boolean);
  for (const name of only) if (!(BENCHMARKS as readonly string[]).includes(name)) throw new Error(`--only: unknown benchmark "${name}" (known: ${BENCHMARKS.join(', ')})`);
  return {
    providers: flags.has('pg') ? ['sqlite', 'postgresql'] : ['sqlite'],
    pgAdminUrl: process.env.TEST_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/test',
    scale: intFlag(text('scale'), 'scale', 1000, 5_000_000, DEFAULT_SCALE),
    only: only as BenchmarkName[],
    rounds: intFlag(text('rounds'), 'rounds', 1, 50, 5),
    durationSeconds: intFlag(text('duration'), 'duration', 1, 60, 3),
    connections: intFlag(text('connections'), 'connections', 1, 500, 32),
    profile: flags.has('profile'),
    serverEntry: text('server') ?? projectPath('dist/src/main.js'),
    serverEnv: Object.fromEntries(
      (text('server-env') ?? '')
        .split(',')
        .filter(Boolean)
        .map((pair) => {
          const at = pair.indexOf('=');
          if (at < 1) throw new Error(`--server-env: expected NAME=value, got "${pair}"`);
          return [pair.slice(0, at), pair.slice(at + 1)];
        }),
    ),
  };
}
