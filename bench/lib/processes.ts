// Child processes for the benchmarks: the real server (the built dist/src/main.js, as `npm start`
// runs it) and the bare floor server. Logs go to a file, as they would in production, never
// through a pipe that the benchmark process would have to drain.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../test/support/server-process.js';
import { projectPath } from '../../src/project-root.js';

/** A fixed key ring for the benchmarks (never used for real secrets). */
export const BENCH_KEY_RING = `b1:${Buffer.alloc(32, 7).toString('base64')}`;

export interface ChildServer {
  name: string;
  child: ChildProcess;
  pid: number;
  port: number;
  baseUrl: string;
  logFile: string;
  /** Peak resident set size so far (VmHWM), in MiB. */
  peakRssMiB(): number;
  /** Current resident set size (VmRSS), in MiB. */
  rssMiB(): number;
  /** CPU time (user + system) the process has used so far, in milliseconds. */
  cpuMs(): number;
  stop(): Promise<number | null>;
}

export interface StartOptions {
  name: string;
  /** The script to run; default: the real server. */
  entry: string;
  env: Record<string, string>;
  nodeArgs?: string[];
  /** The path polled until it answers 200. */
  readyPath?: string;
  readyTimeoutMs?: number;
}

/** utime + stime of a process from /proc/<pid>/stat, in milliseconds (clock ticks of 10 ms). */
export function readCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After "pid (comm) ": state is field 3, utime field 14, stime field 15.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export function readProcStatus(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

const running = new Set<ChildServer>();

export async function startChild(options: StartOptions): Promise<ChildServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'bench-log-'));
  const logFile = join(dir, `${options.name}.log`);
  const out = openSync(logFile, 'a');
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.entry], {
    cwd: projectPath(),
    env: { PATH: process.env.PATH!, ...options.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const server: ChildServer = {
    name: options.name,
    child,
    pid: child.pid!,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    logFile,
    peakRssMiB: () => readProcStatus(child.pid!, 'VmHWM'),
    rssMiB: () => readProcStatus(child.pid!, 'VmRSS'),
    cpuMs: () => readCpuMs(child.pid!),
    async stop() {
      running.delete(server);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      // A log with errors (pino level 50+) is kept in bench/results/logs/ for the post-mortem.
      try {
        if (/"level":(50|60)/.test(readFileSync(logFile, 'utf8'))) {
          const kept = projectPath('bench', 'results', 'logs');
          mkdirSync(kept, { recursive: true });
          copyFileSync(logFile, join(kept, `${options.name}-${child.pid}.log`));
        }
      } catch {
        // no log to keep
      }
      rmSync(dir, { recursive: true, force: true });
      return child.exitCode;
    },
  };
  running.add(server);
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  for (let attempt = 0; attempt < 600; attempt++) {
    try {
      if ((await fetch(`${server.baseUrl}${options.readyPath ?? '/readyz'}`)).status === 200) return server;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const log = readFileSync(logFile, 'utf8').slice(-3000);
  await server.stop();
  throw new Error(`${options.name} did not become ready:\n${log}`);
}

let extraServerEnv: Record<string, string> = {};

/** Extra environment for every real server (--server-env), for A/B runs. */
export function setExtraServerEnv(env: Record<string, string>): void {
  extraServerEnv = { ...env };
}

/** The real server with the benchmark's defaults: production mode, info logs, a fixed key ring. */
export function startRealServer(entry: string, name: string, databaseUrl: string, env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<ChildServer> {
  return startChild({
    name,
    entry,
    nodeArgs,
    env: {
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      CREDENTIALS_ENCRYPTION_KEYS: BENCH_KEY_RING,
      ALLOW_SIGNUP: 'true',
      SIGN_UP_RATE_LIMIT_PER_IP: '10000/60',
      SIGN_IN_RATE_LIMIT_PER_IP: '10000/60',
      ...extraServerEnv,
      ...env,
    },
  });
}

/** Stops every child still running (on failure or Ctrl-C). */
export async function stopAllChildren(): Promise<void> {
  await Promise.all([...running].map((server) => server.stop()));
}
