// The built server as a real process: start-up errors, migrations on start, graceful shutdown.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, spawnServer, waitReady } from '../support/server-process.js';

describe('the server process', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'pca-proc-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://somewhere/db' }, 'DATABASE_URL'],
    [{ CREDENTIALS_ENCRYPTION_KEYS: 'k1:tooshort', PORT: '1' }, 'CREDENTIALS_ENCRYPTION_KEYS'],
  ])('stops on a bad setting %o with one readable line naming %s', async (env, variable) => {
    const running = spawnServer({ DATABASE_URL: `file:${join(dataDir, 'bad.db')}`, ...env });
    expect(await running.exited).toBe(1);
    const lines = running.output().trim().split('\n');
    expect(lines.at(-1)).toContain(variable);
    expect(running.output()).not.toMatch(/\n\s+at /);
    // Configuration is checked before the database is touched: nothing was migrated.
    expect(running.output()).not.toMatch(/migration/);
  });

  it('migrates an empty ./data on first start, applies nothing on the second, and shuts down gracefully', async () => {
    const env = { DATABASE_URL: `file:${join(dataDir, 'app.db')}`, CREDENTIALS_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}` };
    const first = spawnServer(env, await freePort());
    await waitReady(first);
    expect(first.output()).toMatch(/applied 1 migration/);

    // A request in flight when SIGTERM arrives still gets its answer. Sign-up hashes a password
    // (tens of ms), so the signal lands while the handler runs; a first sign-up warms up.
    const signUp = (email: string) =>
      fetch(`${first.baseUrl}/api/auth/sign-up`, {
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

    const second = spawnServer(env, await freePort());
    await waitReady(second);
    expect(second.output()).toMatch(/database schema is up to date/);
    expect(await second.stop('SIGINT')).toBe(0);
  }, 60_000);

  it('starts a second server process beside a running one on the same SQLite file', async () => {
    // The start-up migration step once took an exclusive lock even with nothing pending, so the
    // second process failed with "Socket timeout".
    const env = { DATABASE_URL: `file:${join(dataDir, 'shared.db')}`, CREDENTIALS_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 9).toString('base64')}` };
    const first = spawnServer(env, await freePort());
    await waitReady(first);
    const signUp = await fetch(`${first.baseUrl}/api/auth/sign-up`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'shared@example.test', password: 'a long enough password', account_name: 'x' }),
    });
    expect(signUp.status).toBe(201);
    const second = spawnServer(env, await freePort());
    try {
      await waitReady(second);
      expect(second.output()).toMatch(/database schema is up to date/);
    } finally {
      expect(await second.stop()).toBe(0);
      expect(await first.stop()).toBe(0);
    }
  }, 60_000);
});

