// SMTP probes against in-process smtp-server instances and silent servers, all on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConnectivityProbe } from '../../src/modules/connectivity/probe.js';
import type { ConnectivityResult, ProbeTarget } from '../../src/modules/connectivity/types.js';
import { createTestCertificates } from '../support/mail-servers/certificates.js';
import { startNeverGreetingServer, startStalledTlsServer, type SilentServer } from '../support/mail-servers/silent-servers.js';
import { startSmtpServers, type SmtpServers } from '../support/mail-servers/smtp-servers.js';
import {
  ALICE,
  DEADLINE_SLACK_MS,
  eventually,
  expectFailure,
  loopbackOptions,
  passwordTarget,
  SHORT_TIMEOUT_MS,
} from './probe-helpers.js';

const certificates = createTestCertificates();
let smtp: SmtpServers;
let neverGreets: SilentServer;
let stallsTls: SilentServer;

beforeAll(async () => {
  [smtp, neverGreets, stallsTls] = await Promise.all([
    startSmtpServers({ users: { [ALICE.username]: ALICE.password }, certificates }),
    startNeverGreetingServer(),
    startStalledTlsServer(),
  ]);
});

afterAll(async () => {
  await Promise.all([smtp?.stop(), neverGreets?.stop(), stallsTls?.stop()]);
});

const trusted = () => loopbackOptions({ extraCa: certificates.caPem });
const smtpTarget = (overrides: Partial<ProbeTarget>) => passwordTarget({ providerKind: 'smtp', host: smtp.host, ...overrides });
const implicitTls = (overrides: Partial<ProbeTarget> = {}) => smtpTarget({ port: smtp.securePort, ...overrides });
const starttls = (overrides: Partial<ProbeTarget> = {}) => smtpTarget({ port: smtp.starttlsPort, securityMode: 'starttls', ...overrides });

async function timed(target: ProbeTarget): Promise<{ result: ConnectivityResult; elapsed: number }> {
  const started = Date.now();
  const result = await runConnectivityProbe(target, loopbackOptions({ timeoutMs: SHORT_TIMEOUT_MS, extraCa: certificates.caPem }));
  return { result, elapsed: Date.now() - started };
}

describe('SMTP', () => {
  it('authenticates over implicit TLS and reports greeting, extensions and certificate', async () => {
    const result = await runConnectivityProbe(implicitTls(), trusted());
    expect(result).toMatchObject({ ok: true, providerKind: 'smtp', stage: 'ready', error: null });
    expect(result.server?.greeting).toMatch(/ESMTP/);
    expect(result.server?.capabilities).toContain('AUTH PLAIN LOGIN XOAUTH2');
    expect(result.server?.tls).toMatchObject({ authorized: true, protocol: expect.stringMatching(/^TLSv1\.[23]$/) });
    expect(result.server?.tls?.certificate).toMatchObject({
      subject: 'localhost',
      issuer: 'Connectivity Test CA',
      fingerprint256: expect.stringMatching(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/),
    });
  });

  it('authenticates after STARTTLS and reports the upgraded session', async () => {
    const result = await runConnectivityProbe(starttls(), trusted());
    expect(result).toMatchObject({ ok: true, stage: 'ready' });
    expect(result.server?.tls?.authorized).toBe(true);
    expect(result.server?.capabilities).not.toContain('STARTTLS');
  });

  it('authenticates with an OAuth2 access token (XOAUTH2)', async () => {
    const result = await runConnectivityProbe(implicitTls({ authKind: 'oauth2' }), trusted());
    expect(result).toMatchObject({ ok: true, stage: 'ready' });
  });

  it('reports a wrong password as AUTH_FAILED at stage auth', async () => {
    const result = await runConnectivityProbe(implicitTls({ secret: 'not-the-password' }), trusted());
    expectFailure(result, 'AUTH_FAILED', 'auth');
  });

  it('reports a rejected OAuth2 token as AUTH_FAILED', async () => {
    const result = await runConnectivityProbe(starttls({ authKind: 'oauth2', secret: 'expired-token' }), trusted());
    expectFailure(result, 'AUTH_FAILED', 'auth');
    expect(result.error?.message).toMatch(/OAuth2/);
  });

  it('reports a closed port as CONNECTION_REFUSED at stage connect', async () => {
    const result = await runConnectivityProbe(smtpTarget({ port: 1 }), trusted());
    expectFailure(result, 'CONNECTION_REFUSED', 'connect');
  });

  it('times out at stage greeting when the server never greets', async () => {
    const { result, elapsed } = await timed(smtpTarget({ port: neverGreets.port, securityMode: 'starttls' }));
    expectFailure(result, 'TIMEOUT', 'greeting');
    expect(elapsed).toBeLessThanOrEqual(SHORT_TIMEOUT_MS + DEADLINE_SLACK_MS);
    expect(await eventually(() => neverGreets.openSockets() === 0)).toBe(true);
  });

  it('times out at stage tls when the handshake stalls', async () => {
    const { result, elapsed } = await timed(smtpTarget({ port: stallsTls.port }));
    expectFailure(result, 'TIMEOUT', 'tls');
    expect(stallsTls.sawClientHello()).toBe(true);
    expect(elapsed).toBeLessThanOrEqual(SHORT_TIMEOUT_MS + DEADLINE_SLACK_MS);
    expect(await eventually(() => stallsTls.openSockets() === 0)).toBe(true);
  });

  it('rejects a certificate from an unknown CA without extraCa', async () => {
    const result = await runConnectivityProbe(implicitTls(), loopbackOptions());
    expectFailure(result, 'TLS_CERTIFICATE_INVALID', 'tls');
    expect(result.error?.hint).toMatch(/CONNECTIVITY_EXTRA_CA_FILE/);
  });

  it('rejects an untrusted certificate after STARTTLS too', async () => {
    const result = await runConnectivityProbe(starttls(), loopbackOptions());
    expectFailure(result, 'TLS_CERTIFICATE_INVALID', 'tls');
  });

  it('rejects a self-signed certificate', async () => {
    const result = await runConnectivityProbe(smtpTarget({ port: smtp.selfSignedPort }), trusted());
    expectFailure(result, 'TLS_CERTIFICATE_INVALID', 'tls');
    expect(result.error?.message).toMatch(/self-signed/);
  });

  it('rejects a certificate that does not name the host', async () => {
    const result = await runConnectivityProbe(
      implicitTls({ host: 'smtp.example.test' }),
      loopbackOptions({ extraCa: certificates.caPem, resolver: async () => ['127.0.0.1'] }),
    );
    expectFailure(result, 'TLS_CERTIFICATE_INVALID', 'tls');
    expect(result.error?.message).toMatch(/smtp\.example\.test/);
  });

  it('reports ssl_tls against the plain port as TLS_HANDSHAKE_FAILED with a starttls hint', async () => {
    const result = await runConnectivityProbe(implicitTls({ port: smtp.starttlsPort }), trusted());
    expectFailure(result, 'TLS_HANDSHAKE_FAILED', 'tls');
    expect(result.error?.hint).toMatch(/starttls/);
  });

  it('reports starttls against the TLS port as a timeout with a "use ssl_tls" hint', async () => {
    const { result, elapsed } = await timed(starttls({ port: smtp.securePort }));
    expect(['TIMEOUT', 'PROTOCOL_ERROR']).toContain(result.error?.code);
    expect(result.error?.hint).toMatch(/ssl_tls/);
    expect(elapsed).toBeLessThanOrEqual(SHORT_TIMEOUT_MS + DEADLINE_SLACK_MS);
  });

  it('refuses to continue in clear text when STARTTLS is not offered', async () => {
    const result = await runConnectivityProbe(starttls({ port: smtp.noStarttlsPort }), trusted());
    expectFailure(result, 'STARTTLS_UNAVAILABLE', 'tls');
    expect(result.server?.capabilities).not.toContain('STARTTLS');
  });

  it('reports a server without AUTH as AUTH_METHOD_UNSUPPORTED', async () => {
    const result = await runConnectivityProbe(starttls({ port: smtp.noAuthPort }), trusted());
    expectFailure(result, 'AUTH_METHOD_UNSUPPORTED', 'auth');
    expect(result.server?.tls?.authorized).toBe(true);
  });

  it('reports a login refused before STARTTLS as AUTH_METHOD_UNSUPPORTED (security none)', async () => {
    const result = await runConnectivityProbe(
      smtpTarget({ port: smtp.starttlsPort, securityMode: 'none' }),
      loopbackOptions({ allowInsecureTransport: true }),
    );
    expectFailure(result, 'AUTH_METHOD_UNSUPPORTED', 'auth');
    expect(result.error?.hint).toMatch(/starttls/);
  });

  it('never sends a message', () => {
    expect(smtp.mailFromCount()).toBe(0);
  });

  it('never puts the username or the secret in a result', async () => {
    const wrongSecret = 'Wr0ng-Secret-Value-4711';
    const outcomes = await Promise.all([
      runConnectivityProbe(implicitTls(), trusted()),
      runConnectivityProbe(starttls({ secret: wrongSecret }), trusted()),
      runConnectivityProbe(implicitTls({ secret: wrongSecret }), loopbackOptions()),
      runConnectivityProbe(starttls({ port: smtp.noStarttlsPort, secret: wrongSecret }), trusted()),
      runConnectivityProbe(starttls({ port: smtp.noAuthPort, secret: wrongSecret }), trusted()),
      runConnectivityProbe(implicitTls({ authKind: 'oauth2', secret: wrongSecret }), trusted()),
    ]);
    for (const result of outcomes) {
      const json = JSON.stringify(result).toLowerCase();
      expect(json).not.toContain(ALICE.username.toLowerCase());
      expect(json).not.toContain(ALICE.password.toLowerCase());
      expect(json).not.toContain(wrongSecret.toLowerCase());
    }
  });
});
