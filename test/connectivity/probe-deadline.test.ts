// The overall deadline under load: every probe ends on time and leaves no socket behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ConnectivityTester } from '../../src/modules/connectivity/connectivity.service.js';
import { runConnectivityProbe } from '../../src/modules/connectivity/probe.js';
import { startNeverGreetingServer, type SilentServer } from '../support/mail-servers/silent-servers.js';
import { DEADLINE_SLACK_MS, eventually, loopbackOptions, passwordTarget, SHORT_TIMEOUT_MS } from './probe-helpers.js';

const CONCURRENT_PROBES = 200;
let neverGreets: SilentServer;

beforeAll(async () => {
  neverGreets = await startNeverGreetingServer();
});

afterAll(async () => {
  await neverGreets?.stop();
});

describe('probe deadline', () => {
  it(`ends ${CONCURRENT_PROBES} concurrent probes on time and closes every socket`, async () => {
    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: CONCURRENT_PROBES }, (_, index) =>
        runConnectivityProbe(
          passwordTarget({ providerKind: index % 2 === 0 ? 'imap' : 'smtp', port: neverGreets.port, securityMode: 'starttls' }),
          loopbackOptions({ timeoutMs: SHORT_TIMEOUT_MS }),
        ),
      ),
    );
    const elapsed = Date.now() - started;

    expect(elapsed).toBeLessThanOrEqual(SHORT_TIMEOUT_MS + DEADLINE_SLACK_MS);
    expect(new Set(results.map((result) => `${result.error?.code}@${result.stage}`))).toEqual(new Set(['TIMEOUT@greeting']));
    expect(neverGreets.acceptedConnections()).toBe(CONCURRENT_PROBES);
    expect(await eventually(() => neverGreets.openSockets() === 0, 1000)).toBe(true);
  });

  it('dials nothing when DNS answers only after the deadline', async () => {
    const before = neverGreets.acceptedConnections();
    const lateResolver = () => new Promise<string[]>((resolve) => setTimeout(() => resolve(['127.0.0.1']), 300));
    const result = await runConnectivityProbe(
      passwordTarget({ host: 'late.example.test', port: neverGreets.port, securityMode: 'starttls' }),
      loopbackOptions({ timeoutMs: 100, resolver: lateResolver }),
    );
    expect(result).toMatchObject({ ok: false, stage: 'dns', error: { code: 'TIMEOUT' } });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(neverGreets.acceptedConnections()).toBe(before);
  });

  it('counts the deadline from when the operation began, not from when the probe starts', async () => {
    const timeoutMs = 6000;
    const tester = new ConnectivityTester(loadConfig({ CONNECTIVITY_TIMEOUT_MS: String(timeoutMs), CONNECTIVITY_ALLOWED_HOSTS: '127.0.0.1' }));
    const target = passwordTarget({ port: neverGreets.port, securityMode: 'starttls' });
    // The operation queued for 5.7 s before its probe could start: 0.3 s of budget is left.
    const late = await tester.run(target, Date.now() - (timeoutMs - 300));
    expect(late).toMatchObject({ ok: false, stage: 'greeting', error: { code: 'TIMEOUT' } });
    expect(late.latencyMs).toBeLessThan(timeoutMs / 2);
    // Budget already spent: the probe still answers (TIMEOUT), without waiting a full deadline.
    const spent = await tester.run(target, Date.now() - 2 * timeoutMs);
    expect(spent).toMatchObject({ ok: false, error: { code: 'TIMEOUT' } });
    expect(spent.latencyMs).toBeLessThan(timeoutMs / 2);
  });

  it('returns a result instead of throwing for malformed targets', async () => {
    const port = await runConnectivityProbe(passwordTarget({ port: 70000 }), loopbackOptions());
    expect(port).toMatchObject({ ok: false, error: { code: 'PROTOCOL_ERROR' } });
    const host = await runConnectivityProbe(passwordTarget({ host: '' }), loopbackOptions());
    expect(host).toMatchObject({ ok: false, error: { code: 'HOST_NOT_ALLOWED' } });
  });
});
