// SIGTERM while many requests are in flight: each of them is answered in full with its normal
// status, no acknowledged write is lost, requests after the listener closed are refused, and the
// process exits 0. "In flight" is proved, not guessed: the probing tests have connected to a
// mail server that never greets, and the held requests have had their headers acknowledged with
// 100 Continue; their bodies are sent only after the listener has closed, so their handlers run
// entirely during shutdown.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdRequest, sendRequest, type RawRequest, type RawResponse } from '../support/held-request.js';
import { call } from '../support/http-call.js';
import { startNeverGreetingServer, type SilentServer } from '../support/mail-servers/silent-servers.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { TEST_KEY_RING } from '../support/test-app.js';
import { createTestDatabase, testProviders, type TestDatabase } from '../support/test-database.js';

const SHUTDOWN_TIMEOUT_MS = 10_000;
const PROBING_TESTS = 8;
const CREATE_MUTATION = 'mutation ($accountId: ID!, $input: CreateProviderCredentialInput!) { createProviderCredential(accountId: $accountId, input: $input) { id label } }';
const READ_QUERY = 'query ($id: ID!) { providerCredential(id: $id) { id } }';

interface InFlight {
  kind: 'write' | 'read' | 'test';
  /** Also sent as x-request-id, so the audit log can be matched to the request. */
  label: string;
  request: RawRequest;
  check(answer: RawResponse): void;
  /** A create: the id of the credential its (checked) answer acknowledged. */
  createdId?(answer: RawResponse): string;
}

interface Fixture {
  token: string;
  accountId: string;
  /** A credential on the never-greeting server: each test of it runs until the probe deadline. */
  slowId: string;
  silentPort: number;
}

const credentialBody = (silentPort: number, label: string) => ({ provider_kind: 'imap', host: '127.0.0.1', port: silentPort, security_mode: 'ssl_tls', auth_kind: 'password', username: 'u@example.com', secret: 's3cret', label });

const slowTest = ({ token, slowId }: Fixture, label: string): InFlight => ({
  kind: 'test',
  label,
  // The test route takes no input; the empty object is a body a held request can hold back.
  request: { method: 'POST', path: `/api/provider-credentials/${slowId}/test`, token, requestId: label, body: {} },
  check: (answer) => {
    expect({ status: answer.status, ok: answer.body?.ok, code: answer.body?.error?.code }, label).toEqual({ status: 200, ok: false, code: 'TIMEOUT' });
  },
});

/** Writes and reads over REST and GraphQL, and tests that start probing during shutdown. */
function heldMix(fixture: Fixture): InFlight[] {
  const { token, accountId, slowId, silentPort } = fixture;
  const times = <T>(count: number, make: (i: number) => T) => Array.from({ length: count }, (_, i) => make(i));
  const restCreate = (label: string): InFlight => ({
    kind: 'write',
    label,
    request: { method: 'POST', path: `/api/accounts/${accountId}/provider-credentials`, token, requestId: label, body: credentialBody(silentPort, label) },
    check: (answer) => {
      expect({ status: answer.status, label: answer.body?.label }, label).toEqual({ status: 201, label });
    },
    createdId: (answer) => answer.body.id,
  });
  const graphqlCreate = (label: string): InFlight => ({
    kind: 'write',
    label,
    request: {
      method: 'POST', path: '/graphql', token, requestId: label,
      body: { query: CREATE_MUTATION, variables: { accountId, input: { providerKind: 'IMAP', host: '127.0.0.1', port: silentPort, securityMode: 'SSL_TLS', authKind: 'PASSWORD', username: 'u@example.com', secret: 's3cret', label } } },
    },
    check: (answer) => {
      expect({ status: answer.status, errors: answer.body?.errors, label: answer.body?.data?.createProviderCredential.label }, label).toEqual({ status: 200, errors: undefined, label });
    },
    createdId: (answer) => answer.body.data.createProviderCredential.id,
  });
  const restRead = (label: string): InFlight => ({
    kind: 'read',
    label,
    request: { method: 'POST', path: `/api/accounts/${accountId}/provider-credentials/search`, token, requestId: label, body: { filter: { label_contains: 'slow' } } },
    check: (answer) => {
      expect({ status: answer.status, ids: answer.body?.data?.map((c: { id: string }) => c.id) }, label).toEqual({ status: 200, ids: [slowId] });
    },
  });
  const graphqlRead = (label: string): InFlight => ({
    kind: 'read',
    label,
    request: { method: 'POST', path: '/graphql', token, requestId: label, body: { query: READ_QUERY, variables: { id: slowId } } },
    check: (answer) => {
      expect({ status: answer.status, body: answer.body }, label).toEqual({ status: 200, body: { data: { providerCredential: { id: slowId } } } });
    },
  });
  return [
    ...times(24, (i) => restCreate(`held-rest-create-${i}`)),
    ...times(4, (i) => graphqlCreate(`held-graphql-create-${i}`)),
    ...times(6, (i) => restRead(`held-rest-read-${i}`)),
    ...times(2, (i) => graphqlRead(`held-graphql-read-${i}`)),
    ...times(4, (i) => slowTest(fixture, `held-test-${i}`)),
  ];
}

type Outcome = RawResponse | { failed: string };
const asFailure = (error: Error): Outcome => ({ failed: error.message });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The exit code, or a description if the process is still running after `ms`. */
async function exitCodeWithin(server: ServerProcess, ms: number): Promise<number | null | string> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`still running after ${ms} ms`), ms)));
  try {
    return await Promise.race([server.exited, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves once a new TCP connection to the port is refused: the listener has closed. */
async function waitUntilRefused(port: number): Promise<void> {
  for (let attempt = 0; attempt < 250; attempt += 1) {
    const refused = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
    });
    if (refused) return;
    await sleep(20);
  }
  throw new Error(`port ${port} still accepts connections after SIGTERM`);
}

/** Every page of a list route (at most 10), newest first. */
async function readAll(baseUrl: string, token: string, path: string): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 10; page += 1) {
    const response = await call(baseUrl, 'GET', `${path}?limit=200${cursor ? `&cursor=${cursor}` : ''}`, token);
    expect(response.status).toBe(200);
    items.push(...response.body.data);
    cursor = response.body.page_info.next_cursor;
    if (!cursor) return items;
  }
  throw new Error(`${path} has more than 10 pages`);
}

describe.each(testProviders())('SIGTERM under load on %s', (provider) => {
  let database: TestDatabase;
  let silent: SilentServer;
  const servers: ServerProcess[] = [];
  beforeAll(async () => {
    database = await createTestDatabase(provider);
    silent = await startNeverGreetingServer();
  });
  afterAll(async () => {
    for (const server of servers) if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    await silent?.stop();
    await database?.drop();
  });

  it('answers every in-flight request in full, starts none after, loses no acknowledged write, and exits 0', async () => {
    const env = {
      DATABASE_URL: database.url,
      CREDENTIALS_ENCRYPTION_KEYS: TEST_KEY_RING,
      LOG_LEVEL: 'warn',
      SIGN_UP_RATE_LIMIT_PER_IP: '1000/60',
      TEST_RATE_LIMIT_PER_ACCOUNT: '1000/60',
      CONNECTIVITY_ALLOWED_HOSTS: '127.0.0.1',
      CONNECTIVITY_TIMEOUT_MS: '1500',
      SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
    };
    const first = await startServerProcess(env);
    servers.push(first);
    const signUp = await call(first.baseUrl, 'POST', '/api/auth/sign-up', undefined, { email: `load-${provider}@example.test`, password: 'a long enough password', account_name: 'load' });
    expect(signUp.status).toBe(201);
    const { token } = signUp.body;
    const accountId: string = signUp.body.account.id;
    const slow = await call(first.baseUrl, 'POST', `/api/accounts/${accountId}/provider-credentials`, token, credentialBody(silent.port, 'slow'));
    expect(slow.status).toBe(201);
    const fixture: Fixture = { token, accountId, slowId: slow.body.id, silentPort: silent.port };

    // Held first: they wait without a deadline, while the probes' deadline starts at once.
    const held = heldMix(fixture);
    const holds = await Promise.all(held.map((item) => holdRequest(first.baseUrl, item.request)));
    const probing = Array.from({ length: PROBING_TESTS }, (_, i) => slowTest(fixture, `probing-test-${i}`));
    const probingAnswers = probing.map((item) => sendRequest(first.baseUrl, item.request).catch(asFailure));
    for (let waited = 0; silent.acceptedConnections() < PROBING_TESTS && waited < 1000; waited += 10) await sleep(10);
    expect(silent.acceptedConnections()).toBe(PROBING_TESTS);

    first.child.kill('SIGTERM');
    const exitCode = exitCodeWithin(first, SHUTDOWN_TIMEOUT_MS + 5000);
    await waitUntilRefused(first.port);
    const late = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        sendRequest(first.baseUrl, { method: 'POST', path: `/api/accounts/${accountId}/provider-credentials`, token, body: credentialBody(silent.port, `late-${i}`) }).then(
          (response) => response.status,
          (error: NodeJS.ErrnoException) => error.code ?? error.message,
        ),
      ),
    );
    for (const outcome of late) expect([503, 'ECONNREFUSED']).toContain(outcome);
    const answers = [...(await Promise.all(probingAnswers)), ...(await Promise.all(holds.map((hold) => hold.release().catch(asFailure))))];
    expect(await exitCode, first.output()).toBe(0);

    const acknowledged = new Map<string, string>([['slow', fixture.slowId]]);
    [...probing, ...held].forEach((item, i) => {
      const answer = answers[i]!;
      if ('failed' in answer) expect.fail(`${item.label}: ${answer.failed}`);
      // Answered during shutdown, so each tells its keep-alive client to drop the connection.
      expect(answer.headers.connection, item.label).toBe('close');
      item.check(answer);
      if (item.createdId) acknowledged.set(item.label, item.createdId(answer));
    });

    // A fresh process on the same database finds every acknowledged write, and nothing else.
    const second = await startServerProcess(env);
    servers.push(second);
    const stored = await readAll(second.baseUrl, token, `/api/accounts/${accountId}/provider-credentials`);
    expect(new Map(stored.map((credential) => [credential.label, credential.id]))).toEqual(acknowledged);
    const events = await readAll(second.baseUrl, token, `/api/accounts/${accountId}/audit-events`);
    const auditedIds = (action: string, field: string) => events.filter((event) => event.action === action).map((event) => event[field]).sort();
    expect(auditedIds('credential.created', 'target_id')).toEqual([...acknowledged.values()].sort());
    expect(auditedIds('credential.tested', 'request_id')).toEqual([...probing, ...held].filter((item) => item.kind === 'test').map((item) => item.label).sort());
    expect(await second.stop()).toBe(0);
  }, 60_000);
});
