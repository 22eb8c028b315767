// Runs a built command (dist/, built once by the global setup) as its own process, the way an
// operator does after `npm run build`, with only PATH and the given variables in its
// environment and a scratch working directory.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { projectPath } from '../../src/project-root.js';
import { refuseLookups, TEST_KEY_RING } from '../support/test-app.js';

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runDist(script: string, args: string[], env: Record<string, string>, cwd: string): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [projectPath(script), ...args], { cwd, env: { PATH: process.env.PATH!, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += String(chunk)));
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A temporary SQLite database file and the environment that points the commands at it. */
export interface ScratchDatabase {
  dir: string;
  url: string;
  env: Record<string, string>;
  /** The application on this database (not listening; use app.http.inject). */
  openApp(): Promise<App>;
  remove(): Promise<void>;
}

export async function scratchDatabase(): Promise<ScratchDatabase> {
  const dir = await mkdtemp(join(tmpdir(), 'pca-devx-'));
  const url = `file:${join(dir, 'app.db')}`;
  const env = { NODE_ENV: 'development', DATABASE_URL: url, CREDENTIALS_ENCRYPTION_KEYS: TEST_KEY_RING };
  return {
    dir,
    url,
    env,
    openApp: () => createApp(loadConfig({ ...env, NODE_ENV: 'test', LOG_LEVEL: 'silent' }), createLogger({ level: 'silent' }), { resolveHost: refuseLookups }),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
