// Shared pieces of the API-level connectivity tests: the loopback mail servers, the app's
// connectivity settings, one client per interface (REST and GraphQL) that speaks the same
// small vocabulary, and the leak check.
import { convertKeys, snakeToCamel } from '../../src/http/rest/case-conversion.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import {
  AuditEventsDocument,
  CreateProviderCredentialDocument,
  ProviderCredentialDocument,
  RotateProviderCredentialDocument,
  SearchProviderCredentialsDocument,
  TestProviderCredentialDocument,
  UpdateProviderCredentialDocument,
  type LastTestStatus,
} from '../gql/graphql.js';
import { graphqlFailure } from '../support/graphql-errors.js';
import { createTestCertificates, type TestCertificates } from '../support/mail-servers/certificates.js';
import { isDovecotInstalled, startDovecot, type DovecotServer } from '../support/mail-servers/dovecot.js';
import { startFakeImapServer, type FakeImapServer } from '../support/mail-servers/fake-imap-server.js';
import { findFreePort } from '../support/mail-servers/free-port.js';
import { startNeverGreetingServer, startStalledTlsServer, type SilentServer } from '../support/mail-servers/silent-servers.js';
import { startSmtpServers, type SmtpServers } from '../support/mail-servers/smtp-servers.js';
import type { TestApp } from '../support/test-app.js';
import { ALICE } from './probe-helpers.js';

export { ALICE };
export const WRONG_PASSWORD = 'not-alices-password-1618';
/** The deadline the apps of these tests run with, and how late a result may come. */
export const TIMEOUT_MS = 2000;
export const DEADLINE_SLACK_MS = 1000;

export type Kind = 'imap' | 'smtp';
export type Mode = 'ssl_tls' | 'starttls' | 'none';

export interface Endpoint {
  providerKind: Kind;
  host: string;
  port: number;
  securityMode: Mode;
}

export interface MailFixtures {
  certificates: TestCertificates;
  dovecot: DovecotServer;
  smtp: SmtpServers;
  /** Plain IMAP that offers no STARTTLS. */
  imapNoStarttls: FakeImapServer;
  /** Implicit-TLS IMAP with a self-signed certificate. */
  imapSelfSigned: FakeImapServer;
  neverGreets: SilentServer;
  stallsTls: SilentServer;
  /** A loopback port nothing listens on. */
  closedPort: number;
  /** The per-run test CA as a PEM file, for CONNECTIVITY_EXTRA_CA_FILE. */
  caFile: string;
  stop(): Promise<void>;
}

export async function startMailFixtures(): Promise<MailFixtures> {
  if (!isDovecotInstalled()) throw new Error('Dovecot is missing: apt-get install -y --no-install-recommends dovecot-imapd');
  const certificates = createTestCertificates();
  const users = { [ALICE.username]: ALICE.password };
  const [dovecot, smtp, imapNoStarttls, imapSelfSigned, neverGreets, stallsTls, closedPort] = await Promise.all([
    startDovecot({ users, certificates }),
    startSmtpServers({ users, certificates }),
    startFakeImapServer({ capabilities: 'IMAP4rev1 AUTH=PLAIN' }),
    startFakeImapServer({ tls: certificates.selfSigned }),
    startNeverGreetingServer(),
    startStalledTlsServer(),
    findFreePort('127.0.0.1'),
  ]);
  const caDir = mkdtempSync(join(tmpdir(), 'conn-ca-'));
  const caFile = join(caDir, 'ca.pem');
  writeFileSync(caFile, certificates.caPem);
  return {
    certificates,
    dovecot,
    smtp,
    imapNoStarttls,
    imapSelfSigned,
    neverGreets,
    stallsTls,
    closedPort,
    caFile,
    async stop() {
      await Promise.all([dovecot.stop(), smtp.stop(), imapNoStarttls.stop(), imapSelfSigned.stop(), neverGreets.stop(), stallsTls.stop()]);
      rmSync(caDir, { recursive: true, force: true });
    },
  };
}

/** The app settings of these tests: loopback allowed, the test CA trusted, a short deadline. */
export function connectivityEnv(fixtures: MailFixtures, extra: Record<string, string> = {}): Record<string, string> {
  return {
    CONNECTIVITY_ALLOWED_HOSTS: '127.0.0.0/8,::1',
    CONNECTIVITY_EXTRA_CA_FILE: fixtures.caFile,
    CONNECTIVITY_TIMEOUT_MS: String(TIMEOUT_MS),
    TEST_RATE_LIMIT_PER_ACCOUNT: '10000/60',
    ...extra,
  };
}

export function endpoints(f: MailFixtures) {
  const at = (providerKind: Kind, host: string, port: number, securityMode: Mode): Endpoint => ({ providerKind, host, port, securityMode });
  return {
    imaps: at('imap', f.dovecot.host, f.dovecot.imapsPort, 'ssl_tls'),
    imapStarttls: at('imap', f.dovecot.host, f.dovecot.imapPort, 'starttls'),
    smtps: at('smtp', f.smtp.host, f.smtp.securePort, 'ssl_tls'),
    smtpStarttls: at('smtp', f.smtp.host, f.smtp.starttlsPort, 'starttls'),
  };
}

/** A test result in camelCase, whichever interface it came from (enums lower-case). */
export interface Result {
  ok: boolean;
  providerKind: string;
  stage: string;
  error: { code: string; message: string; hint?: string | null } | null;
  latencyMs: number;
  testedAt: string;
  server?: {
    greeting: string | null;
    capabilities: string[];
    tls: { protocol: string | null; cipher: string | null; authorized: boolean; certificate: { subject: string | null; issuer: string | null; validTo: string | null; fingerprint256: string | null } | null } | null;
  } | null;
}

export interface CallFailure {
  status: number;
  code: string | undefined;
  details: any;
  retryAfter?: string | null;
}

/** One interface of the API, reduced to what these tests do with credentials. */
export interface Api {
  name: 'REST' | 'GraphQL';
  create(token: string, accountId: string, endpoint: Endpoint, secret: string, extra?: { verify?: boolean; label?: string }): Promise<{ id: string } | CallFailure>;
  test(token: string, id: string): Promise<{ result: Result; raw: any } | CallFailure>;
  get(token: string, id: string): Promise<{ secretVersion: number; label: string | null; lastTest: Result | null; raw: any } | null>;
  rotate(token: string, id: string, secret: string, verify: boolean): Promise<{ secretVersion: number } | CallFailure>;
  updateLabel(token: string, id: string, label: string): Promise<void>;
  /** The details of the newest audit event with this action for this target. */
  latestAudit(token: string, accountId: string, action: string, targetId: string): Promise<Record<string, unknown> | undefined>;
  countAudit(token: string, accountId: string, targetId: string): Promise<number>;
  searchByLastTest(token: string, accountId: string, status: 'succeeded' | 'failed' | 'never'): Promise<string[]>;
}

export const isFailure = (value: unknown): value is CallFailure => typeof value === 'object' && value !== null && 'status' in value && 'code' in value;

// The REST adapter's own key conversion, so tests compare REST and GraphQL the way it maps them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const toCamel = (value: unknown): any => convertKeys(value, snakeToCamel);

/** GraphQL enums are upper-case; results are compared in REST's lower-case spelling. */
function lowerKind<T extends { providerKind: string } | null | undefined>(value: T): T {
  return value ? { ...value, providerKind: value.providerKind.toLowerCase() } : value;
}

/** Remembers every response so a test can prove that none carried a secret or the username. */
export class Transcript {
  readonly texts: string[] = [];
  add<T>(value: T): T {
    this.texts.push(JSON.stringify(value));
    return value;
  }
}

export function restApi(t: TestApp, transcript: Transcript): Api {
  const call = async (method: string, path: string, token: string, body?: unknown) => transcript.add(await t.rest(method, path, { token, body }));
  const failure = (response: { status: number; body: any; headers: Headers }): CallFailure => ({
    status: response.status,
    code: response.body?.error?.code,
    details: response.body?.error?.details,
    retryAfter: response.headers.get('retry-after'),
  });
  const auditEvents = async (token: string, accountId: string) => {
    const response = await call('GET', `/api/accounts/${accountId}/audit-events?limit=200`, token);
    expect(response.status).toBe(200);
    return response.body.data as Array<{ action: string; target_id: string; details: Record<string, unknown> }>;
  };
  return {
    name: 'REST',
    async create(token, accountId, endpoint, secret, extra = {}) {
      const response = await call('POST', `/api/accounts/${accountId}/provider-credentials`, token, {
        provider_kind: endpoint.providerKind,
        host: endpoint.host,
        port: endpoint.port,
        security_mode: endpoint.securityMode,
        auth_kind: 'password',
        username: ALICE.username,
        secret,
        ...(extra.label !== undefined ? { label: extra.label } : {}),
        ...(extra.verify !== undefined ? { verify: extra.verify } : {}),
      });
      return response.status === 201 ? { id: response.body.id } : failure(response);
    },
    async test(token, id) {
      const response = await call('POST', `/api/provider-credentials/${id}/test`, token);
      return response.status === 200 ? { result: toCamel(response.body), raw: response.body } : failure(response);
    },
    async get(token, id) {
      const response = await call('GET', `/api/provider-credentials/${id}`, token);
      if (response.status === 404) return null;
      expect(response.status).toBe(200);
      return { secretVersion: response.body.secret_version, label: response.body.label, lastTest: toCamel(response.body.last_test), raw: response.body };
    },
    async rotate(token, id, secret, verify) {
      const response = await call('POST', `/api/provider-credentials/${id}/rotate`, token, { secret, verify });
      return response.status === 200 ? { secretVersion: response.body.secret_version } : failure(response);
    },
    async updateLabel(token, id, label) {
      const response = await call('PATCH', `/api/provider-credentials/${id}`, token, { label });
      expect(response.status).toBe(200);
    },
    async latestAudit(token, accountId, action, targetId) {
      return (await auditEvents(token, accountId)).find((event) => event.action === action && event.target_id === targetId)?.details;
    },
    async countAudit(token, accountId, targetId) {
      return (await auditEvents(token, accountId)).filter((event) => event.target_id === targetId).length;
    },
    async searchByLastTest(token, accountId, status) {
      const response = await call('POST', `/api/accounts/${accountId}/provider-credentials/search`, token, { filter: { last_test_status: status }, limit: 200 });
      expect(response.status).toBe(200);
      return response.body.data.map((credential: { id: string }) => credential.id);
    },
  };
}

export function graphqlApi(t: TestApp, transcript: Transcript): Api {
  const upper = <T extends string>(value: string) => value.toUpperCase() as T;
  const failed = async (call: Promise<unknown>): Promise<CallFailure> => {
    const failure = await graphqlFailure(call);
    transcript.add(failure);
    return { status: failure.status, code: failure.code, details: failure.details };
  };
  const auditEvents = async (token: string, accountId: string) =>
    transcript.add(await t.graphql(token).request(AuditEventsDocument, { accountId, first: 200 })).auditEvents.edges.map((edge) => edge.node);
  return {
    name: 'GraphQL',
    async create(token, accountId, endpoint, secret, extra = {}) {
      const call = t.graphql(token).request(CreateProviderCredentialDocument, {
        accountId,
        input: {
          providerKind: upper(endpoint.providerKind),
          host: endpoint.host,
          port: endpoint.port,
          securityMode: upper(endpoint.securityMode),
          authKind: 'PASSWORD',
          username: ALICE.username,
          secret,
          ...(extra.label !== undefined ? { label: extra.label } : {}),
          ...(extra.verify !== undefined ? { verify: extra.verify } : {}),
        },
      });
      try {
        return { id: transcript.add(await call).createProviderCredential.id };
      } catch {
        return failed(call);
      }
    },
    async test(token, id) {
      const call = t.graphql(token).request(TestProviderCredentialDocument, { id });
      try {
        const raw = transcript.add(await call).testProviderCredential;
        return { result: lowerKind(raw) as Result, raw };
      } catch {
        return failed(call);
      }
    },
    async get(token, id) {
      const credential = transcript.add(await t.graphql(token).request(ProviderCredentialDocument, { id })).providerCredential;
      if (!credential) return null;
      return { secretVersion: credential.secretVersion, label: credential.label, lastTest: lowerKind(credential.lastTest) as Result | null, raw: credential };
    },
    async rotate(token, id, secret, verify) {
      const call = t.graphql(token).request(RotateProviderCredentialDocument, { id, input: { secret, verify } });
      try {
        return { secretVersion: transcript.add(await call).rotateProviderCredential.secretVersion };
      } catch {
        return failed(call);
      }
    },
    async updateLabel(token, id, label) {
      transcript.add(await t.graphql(token).request(UpdateProviderCredentialDocument, { id, input: { label } }));
    },
    async latestAudit(token, accountId, action, targetId) {
      return (await auditEvents(token, accountId)).find((event) => event.action === action && event.targetId === targetId)?.details as Record<string, unknown> | undefined;
    },
    async countAudit(token, accountId, targetId) {
      return (await auditEvents(token, accountId)).filter((event) => event.targetId === targetId).length;
    },
    async searchByLastTest(token, accountId, status) {
      const data = transcript.add(
        await t.graphql(token).request(SearchProviderCredentialsDocument, { accountId, filter: { lastTestStatus: upper<LastTestStatus>(status) }, first: 200 }),
      );
      return data.searchProviderCredentials.edges.map((edge) => edge.node.id);
    },
  };
}

export const apis = (t: TestApp, transcript: Transcript): Api[] => [restApi(t, transcript), graphqlApi(t, transcript)];

/** Fails when any text contains one of the values (case-insensitive). */
export function expectNoneContains(texts: readonly string[], values: readonly string[]): void {
  for (const value of values) {
    const needle = value.toLowerCase();
    const hits = texts.filter((text) => text.toLowerCase().includes(needle));
    expect(hits.map((text) => text.slice(0, 300)), `"${value}" appeared`).toEqual([]);
  }
}

/** Every audit row of the database, as stored. */
export async function auditRows(t: TestApp): Promise<string[]> {
  const rows = await t.app.services.db.prisma.auditEvent.findMany();
  return rows.map((row) => JSON.stringify(row));
}

export function expectOk(result: Result): void {
  expect(result).toMatchObject({ ok: true, stage: 'ready', error: null });
}

/** A result as `last_test` shows it: the same, without `server`. */
export function withoutServer(result: Result): Omit<Result, 'server'> {
  const { server: _server, ...rest } = result;
  return rest;
}
