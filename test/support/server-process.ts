// Runs the built server (dist/src/main.js, built by global-setup.ts) as a real child process.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { projectPath } from '../../src/project-root.js';

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  baseUrl: string;
  output(): string;
  exited: Promise<number | null>;
  /** SIGTERM (or the given signal), then the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Spawns the server with only PATH, NODE_ENV=development and `env` in its environment. */
export function spawnServer(env: Record<string, string>, port = Number(env.PORT ?? 0)): ServerProcess {
  let output = '';
  const child = spawn(process.execPath, [projectPath('dist/src/main.js')], {
    cwd: projectPath(),
    env: { PATH: process.env.PATH!, NODE_ENV: 'development', ...env, PORT: env.PORT ?? String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => (output += String(chunk)));
  child.stderr!.on('data', (chunk) => (output += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    output: () => output,
    exited,
    stop: async (signal = 'SIGTERM') => {
      child.kill(signal);
      return exited;
    },
  };
}

/** Resolves once /readyz answers 200; fails if the process exits or 20 s pass. */
export async function waitReady(server: ServerProcess): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      if ((await fetch(`${server.baseUrl}/readyz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    if (server.child.exitCode !== null || Date.now() > deadline) throw new Error(`server did not become ready:\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const server = spawnServer(env, await freePort());
  await waitReady(server);
  return server;
}

/**
 * Two server processes sharing the database at `databaseUrl`, with the test key ring. The first
 * is ready before the second starts, so only one of them applies the migrations.
 */
export async function startServerPair(databaseUrl: string, keyRing: string): Promise<[ServerProcess, ServerProcess]> {
  const env = { DATABASE_URL: databaseUrl, CREDENTIALS_ENCRYPTION_KEYS: keyRing, LOG_LEVEL: 'warn', SIGN_UP_RATE_LIMIT_PER_IP: '1000/60' };
  const first = await startServerProcess(env);
  return [first, await startServerProcess(env)];
}
