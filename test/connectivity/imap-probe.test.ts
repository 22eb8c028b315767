// IMAP probes against a real Dovecot on 127.0.0.2 and a few scripted loopback servers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConnectivityProbe } from '../../src/modules/connectivity/probe.js';
import type { ConnectivityResult, ProbeTarget } from '../../src/modules/connectivity/types.js';
import { createTestCertificates } from '../support/mail-servers/certificates.js';
import { isDovecotInstalled, startDovecot, type DovecotServer } from '../support/mail-servers/dovecot.js';
import { startFakeImapServer, type FakeImapServer } from '../support/mail-servers/fake-imap-server.js';
import { startNeverGreetingServer, startStalledTlsServer, type SilentServer } from '../support/mail-servers/silent-servers.js';
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
let dovecot: DovecotServer;
let noStarttls: FakeImapServer;
let selfSigned: FakeImapServer;
let neverGreets: SilentServer;
let stallsTls: SilentServer;

beforeAll(async () => {
  if (!isDovecotInstalled()) throw new Error('Dovecot is missing: apt-get install -y --no-install-recommends dovecot-imapd');
  [dovecot, noStarttls, selfSigned, neverGreets, stallsTls] = await Promise.all([
    startDovecot({ users: { [ALICE.username]: ALICE.password }, certificates }),
    startFakeImapServer({ capabilities: 'IMAP4rev1 AUTH=PLAIN' }),
    startFakeImapServer({ tls: certificates.selfSigned }),
    startNeverGreetingServer(),
    startStalledTlsServer(),
  ]);
});

afterAll(async () => {
  await Promise.all([dovecot?.stop(), noStarttls?.stop(), selfSigned?.stop(), neverGreets?.stop(), stallsTls?.stop()]);
});

const trusted = () => loopbackOptions({ extraCa: certificates.caPem });
const imaps = (overrides: Partial<ProbeTarget> = {}) => passwordTarget({ host: dovecot.host, port: dovecot.imapsPort, ...overrides });
const imapStarttls = (overrides: Partial<ProbeTarget> = {}) =>
  passwordTarget({ host: dovecot.host, port: dovecot.imapPort, securityMode: 'starttls', ...overrides });

async function timed(target: ProbeTarget, timeoutMs = SHORT_TIMEOUT_MS): Promise<{ result: ConnectivityResult; elapsed: number }> {
  const started = Date.now();
  const result = await runConnectivityProbe(target, loopbackOptions({ timeoutMs, extraCa: certificates.caPem }));
  return { result, elapsed: Date.now() - started };
}

describe('IMAP', () => {
  it('logs in over implicit TLS and reports greeting, capabilities and certificate', async () => {
    const result = await runConnectivityProbe(imaps(), trusted());
    expect(result).toMatchObject({ ok: true, providerKind: 'imap', stage: 'ready', error: null });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(Date.parse(result.testedAt)).not.toBeNaN();
    expect(result.server?.greeting).toMatch(/Dovecot/);
    expect(result.server?.capabilities).toContain('IMAP4rev1');
    expect(result.server?.tls).toMatchObject({ protocol: expect.stringMatching(/^TLSv1\.[23]$/), authorized: true });
    expect(result.server?.tls?.cipher).toBeTruthy();
    expect(result.server?.tls?.certificate).toMatchObject({
      subject: 'localhost',
      issuer: 'Connectivity Test CA',
      fingerprint256: expect.stringMatching(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/),
    });
    expect(Date.parse(result.server!.tls!.certificate!.validTo)).toBeGreaterThan(Date.now());
  });

  it('logs in after STARTTLS', async () => {
    const result = await runConnectivityProbe(imapStarttls(), trusted());
    expect(result).toMatchObject({ ok: true, stage: 'ready' });
    expect(result.server?.tls?.authorized).toBe(true);
  });

  it('logs in with an OAuth2 access token (XOAUTH2)', async () => {
    const result = await runConnectivityProbe(imaps({ authKind: 'oauth2' }), trusted());
    expect(result).toMatchObject({ ok: true, stage: 'ready' });
  });

  it('reports a wrong password as AUTH_FAILED at stage auth', async () => {
    const result = await runConnectivityProbe(imaps({ secret: 'not-the-password' }), trusted());
    expectFailure(result, 'AUTH_FAILED', 'auth');
    expect(result.server?.capabilities).toContain('AUTH=PLAIN');
  });

  it('reports a rejected OAuth2 token as AUTH_FAILED', async () => {
    const result = await runConnectivityProbe(imaps({ authKind: 'oauth2', secret: 'expired-token' }), trusted());
    expectFailure(result, 'AUTH_FAILED', 'auth');
    expect(result.error?.message).toMatch(/OAuth2/);
  });

  it('reports a closed port as CONNECTION_REFUSED at stage connect', async () => {
    const result = await runConnectivityProbe(passwordTarget({ host: '127.0.0.1', port: 1 }), trusted());
    expectFailure(result, 'CONNECTION_REFUSED', 'connect');
  });

  it('times out at stage greeting when the server never greets', async () => {
    const { result, elapsed } = await timed(passwordTarget({ port: neverGreets.port, securityMode: 'starttls' }));
    expectFailure(result, 'TIMEOUT', 'greeting');
    expect(elapsed).toBeLessThanOrEqual(SHORT_TIMEOUT_MS + DEADLINE_SLACK_MS);
    expect(await eventually(() => neverGreets.openSockets() === 0)).toBe(true);
  });

  it('times out at stage tls when the handshake stalls', async () => {
    const { result, elapsed } = await timed(passwordTarget({ port: stallsTls.port }));
    expectFailure(result, 'TIMEOUT', 'tls');
    expect(stallsTls.sawClientHello()).toBe(true);
    expect(elapsed).toBeLessThanOrEqual(SHORT_TIMEOUT_MS + DEADLINE_SLACK_MS);
    expect(await eventually(() => stallsTls.openSockets() === 0)).toBe(true);
  });

  it('rejects a certificate from an unknown CA without extraCa', async () => {
    const result = await runConnectivityProbe(imaps(), loopbackOptions());
    expectFailure(result, 'TLS_CERTIFICATE_INVALID', 'tls');
    expect(result.error?.hint).toMatch(/CONNECTIVITY_EXTRA_CA_FILE/);
  });

  it('rejects an untrusted certificate after STARTTLS too', async () => {
    const result = await runConnectivityProbe(imapStarttls(), loopbackOptions());
    expectFailure(result, 'TLS_CERTIFICATE_INVALID', 'tls');
  });

  it('rejects a self-signed certificate', async () => {
    const result = await runConnectivityProbe(passwordTarget({ port: selfSigned.port }), trusted());
    expectFailure(result, 'TLS_CERTIFICATE_INVALID', 'tls');
    expect(result.error?.message).toMatch(/self-signed/);
    expect(selfSigned.loginAttempts()).toBe(0);
  });

  it('rejects a certificate that does not name the host', async () => {
    // The stub resolver maps a name the certificate does not carry onto Dovecot's address.
    const result = await runConnectivityProbe(
      imaps({ host: 'mail.example.test' }),
      loopbackOptions({ extraCa: certificates.caPem, resolver: async () => [dovecot.host] }),
    );
    expectFailure(result, 'TLS_CERTIFICATE_INVALID', 'tls');
    expect(result.error?.message).toMatch(/mail\.example\.test/);
  });

  it('verifies the name it was given while dialling the resolved address', async () => {
    const result = await runConnectivityProbe(
      imaps({ host: 'localhost' }),
      loopbackOptions({ extraCa: certificates.caPem, resolver: async () => [dovecot.host] }),
    );
    expect(result).toMatchObject({ ok: true, stage: 'ready' });
  });

  it('reports ssl_tls against the plain port as TLS_HANDSHAKE_FAILED with a starttls hint', async () => {
    const result = await runConnectivityProbe(imaps({ port: dovecot.imapPort }), trusted());
    expectFailure(result, 'TLS_HANDSHAKE_FAILED', 'tls');
    expect(result.error?.hint).toMatch(/starttls/);
  });

  it('reports starttls against the TLS port as a timeout with a "use ssl_tls" hint', async () => {
    const { result, elapsed } = await timed(imapStarttls({ port: dovecot.imapsPort }));
    expect(['TIMEOUT', 'PROTOCOL_ERROR']).toContain(result.error?.code);
    expect(result.error?.hint).toMatch(/ssl_tls/);
    expect(elapsed).toBeLessThanOrEqual(SHORT_TIMEOUT_MS + DEADLINE_SLACK_MS);
  });

  it('refuses to continue in clear text when STARTTLS is not offered', async () => {
    // Dovecot always offers STARTTLS, so a scripted server stands in for one that cannot.
    const result = await runConnectivityProbe(passwordTarget({ port: noStarttls.port, securityMode: 'starttls' }), trusted());
    expectFailure(result, 'STARTTLS_UNAVAILABLE', 'tls');
    expect(result.server?.greeting).toBe('fake IMAP ready');
    expect(noStarttls.loginAttempts()).toBe(0);
  });

  it('reports a server that refuses plain-text logins as AUTH_METHOD_UNSUPPORTED (security none)', async () => {
    const result = await runConnectivityProbe(
      passwordTarget({ host: dovecot.host, port: dovecot.imapPort, securityMode: 'none' }),
      loopbackOptions({ allowInsecureTransport: true }),
    );
    expectFailure(result, 'AUTH_METHOD_UNSUPPORTED', 'auth');
    expect(result.server?.capabilities).toContain('LOGINDISABLED');
    expect(result.server?.tls).toBeNull();
  });

  it('refuses security none unless insecure transport is allowed, before dialling', async () => {
    const result = await runConnectivityProbe(passwordTarget({ port: neverGreets.port, securityMode: 'none' }), loopbackOptions());
    expectFailure(result, 'PROTOCOL_ERROR', 'dns');
    expect(result.error?.hint).toMatch(/ALLOW_INSECURE_TRANSPORT/);
  });

  it('never puts the username or the secret in a result', async () => {
    const username = ALICE.username;
    const wrongSecret = 'Wr0ng-Secret-Value-4711';
    const outcomes = await Promise.all([
      runConnectivityProbe(imaps(), trusted()),
      runConnectivityProbe(imaps({ secret: wrongSecret }), trusted()),
      runConnectivityProbe(imaps({ secret: wrongSecret }), loopbackOptions()),
      runConnectivityProbe(passwordTarget({ port: noStarttls.port, securityMode: 'starttls', secret: wrongSecret }), trusted()),
      runConnectivityProbe(imaps({ port: dovecot.imapPort, secret: wrongSecret }), trusted()),
      runConnectivityProbe(imaps({ authKind: 'oauth2', secret: wrongSecret }), trusted()),
    ]);
    for (const result of outcomes) {
      const json = JSON.stringify(result).toLowerCase();
      expect(json).not.toContain(username.toLowerCase());
      expect(json).not.toContain(ALICE.password.toLowerCase());
      expect(json).not.toContain(wrongSecret.toLowerCase());
    }
  });
});
