// The built server as a real process: start-up errors, migrations on start, graceful shutdown.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectPath } from '../../src/project-root.js';

const MAIN = projectPath('dist/src/main.js');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startServer(env: Record<string, string>): Running {
  let output = '';
  const child = spawn(process.execPath, [MAIN], { cwd: projectPath(), env: { PATH: process.env.PATH!, NODE_ENV: 'development', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (chunk) => (output += String(chunk)));
  child.stderr!.on('data', (chunk) => (output += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitReady(port: number, running: Running): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    if (running.child.exitCode !== null) throw new Error(`server exited: ${running.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`server not ready: ${running.output()}`);
}

describe('the server process', () => {
  let dataDir: string;
  beforeAll(() => {
    const build = spawnSync('npm', ['run', 'build'], { cwd: projectPath(), encoding: 'utf8' });
    expect(build.status, build.stdout + build.stderr).toBe(0);
    dataDir = mkdtempSync(join(tmpdir(), 'pca-proc-'));
  }, 120_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://somewhere/db' }, 'DATABASE_URL'],
    [{ CREDENTIALS_ENCRYPTION_KEYS: 'k1:tooshort', PORT: '1' }, 'CREDENTIALS_ENCRYPTION_KEYS'],
  ])('stops on a bad setting %o with one readable line naming %s', async (env, variable) => {
    const running = startServer({ DATABASE_URL: `file:${join(dataDir, 'bad.db')}`, ...env });
    expect(await running.exited).toBe(1);
    const lines = running.output().trim().split('\n');
    expect(lines.at(-1)).toContain(variable);
    expect(running.output()).not.toMatch(/\n\s+at /);
  });

  it('migrates an empty ./data on first start, applies nothing on the second, and shuts down gracefully', async () => {
    const port = await freePort();
    const env = { PORT: String(port), DATABASE_URL: `file:${join(dataDir, 'app.db')}`, CREDENTIALS_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}` };
    const first = startServer(env);
    await waitReady(port, first);
    expect(first.output()).toMatch(/applied 1 migration/);

    // A request in flight when SIGTERM arrives still gets its answer. Sign-up hashes a password
    // (tens of ms), so the signal lands while the handler runs; a first sign-up warms up.
    const signUp = (email: string) =>
      fetch(`http://127.0.0.1:${port}/api/auth/sign-up`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'a long enough password', account_name: 'x' }),
      });
    expect((await signUp('warmup@example.test')).status).toBe(201);
    const inFlight = signUp('inflight@example.test');
    await new Promise((resolve) => setTimeout(resolve, 25));
    first.child.kill('SIGTERM');
    expect((await inFlight).status).toBe(201);
    expect(await first.exited).toBe(0);
    expect(first.output()).toMatch(/shutdown complete/);

    const second = startServer(env);
    await waitReady(port, second);
    expect(second.output()).toMatch(/database schema is up to date/);
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  }, 60_000);
});
