// The secret is write-only: (a) no GraphQL output type has a field that could carry a secret,
// a cipher text, a key id or the clear username, and the REST payloads have exactly the
// spec's keys; (b) a canary secret and a canary username, sent through every operation over
// REST and GraphQL (successes, refusals and failed verifications alike), never come back in a
// response, never reach a log line or an audit row, and are never stored in clear: not in any
// row of any table and, on SQLite, not in any byte of the database file or its WAL.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { getNamedType, isInterfaceType, isObjectType, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSchema } from '../../src/graphql/schema.js';
import { openCredential, readSecretRow } from '../../src/modules/vault/credential-secrets.js';
import {
  AuditEventsDocument,
  CreateProviderCredentialDocument,
  ProviderCredentialDocument,
  ProviderCredentialsDocument,
  RotateProviderCredentialDocument,
  SearchProviderCredentialsDocument,
  TestProviderCredentialDocument,
  UpdateProviderCredentialDocument,
  type CreateProviderCredentialInput,
  type UpdateProviderCredentialInput,
} from '../gql/graphql.js';
import { CREDENTIAL_KEYS, LAST_TEST_KEYS, closedPort, graphqlRaw, toRestBody } from '../support/credentials.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { testProviders } from '../support/test-database.js';
import { signUpUser, type SignedUpUser } from '../support/users.js';

type Json = Record<string, any>;

// --- (a) the schema --------------------------------------------------------------------------

/**
 * A field name that could carry secret material. (The brief's `token(?!.*)` can never match:
 * `(?!.*)` fails on every input, since `.*` matches the empty string; plain `token` is used.)
 */
const SECRET_LIKE = /secret|ciphertext|key_?id|^username$|password|token/i;
/** Documented exceptions: the session token returned by sign-up/sign-in, and the version counter. */
const ALLOWED_FIELDS = new Set(['AuthPayload.token', 'ProviderCredential.secretVersion']);

function outputFieldsOf(schema: GraphQLSchema): string[] {
  const fields: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isObjectType(type) || isInterfaceType(type)) for (const name of Object.keys(type.getFields())) fields.push(`${type.name}.${name}`);
  }
  return fields;
}

describe('the GraphQL schema', () => {
  it('has no output field that could carry a secret, a cipher text, a key id or a clear username', async () => {
    const schema = await getSchema();
    const fields = outputFieldsOf(schema);
    // The walk covers the credential types and everything around them.
    expect(fields).toEqual(expect.arrayContaining(['ProviderCredential.usernameMasked', 'ConnectivityTestResult.server', 'AuditEvent.details', 'Account.providerCredentials', 'Query.providerCredential', 'Mutation.rotateProviderCredential']));
    expect(fields.length).toBeGreaterThan(60);
    const offending = fields.filter((field) => SECRET_LIKE.test(field.split('.')[1]!) && !ALLOWED_FIELDS.has(field));
    expect(offending).toEqual([]);
    // Both exceptions exist as documented (so the allow-list cannot silently hide something else).
    for (const allowed of ALLOWED_FIELDS) expect(fields).toContain(allowed);
  });

  it('flags the names it must flag (the check can fail)', () => {
    for (const name of ['secret', 'secretCiphertext', 'usernameCiphertext', 'ciphertext', 'keyId', 'key_id', 'username', 'password', 'passwordHash', 'accessToken', 'token', 'refreshToken']) {
      expect(SECRET_LIKE.test(name), name).toBe(true);
    }
    for (const name of ['usernameMasked', 'host', 'label', 'lastTest', 'details', 'id', 'cipher']) expect(SECRET_LIKE.test(name), name).toBe(false);
  });

  it('offers write-only secrets only on input types', async () => {
    const schema = await getSchema();
    const create = schema.getType('CreateProviderCredentialInput');
    const rotate = schema.getType('RotateProviderCredentialInput');
    expect(Object.keys((create as any).getFields())).toContain('secret');
    expect(Object.keys((rotate as any).getFields())).toContain('secret');
    expect(Object.keys((schema.getType('UpdateProviderCredentialInput') as any).getFields())).not.toContain('secret');
    // No output type is reachable that is also an input type's twin carrying the secret.
    const credential = schema.getType('ProviderCredential');
    expect(isObjectType(credential)).toBe(true);
    const lastTest = (credential as GraphQLObjectType).getFields().lastTest!;
    expect(getNamedType(lastTest.type).name).toBe('ConnectivityTestResult');
  });
});

// --- (b) the canary ----------------------------------------------------------------------------

const hex = randomBytes(10).toString('hex');
const CANARY_SECRETS = [1, 2, 3, 4, 5, 6].map((n) => `canarySecret${n}x${hex}`);
const CANARY_USERNAMES = [1, 2, 3].map((n) => `canaryuser${n}x${hex}@example.com`);

/** Every form in which a canary must never appear: as text, base64, base64url and hex. */
const NEEDLES: [string, string][] = [...CANARY_SECRETS, ...CANARY_USERNAMES, ...CANARY_USERNAMES.map((u) => u.split('@')[0]!)].flatMap((value) => [
  [value, value],
  [`base64(${value})`, Buffer.from(value).toString('base64')],
  [`base64url(${value})`, Buffer.from(value).toString('base64url')],
  [`hex(${value})`, Buffer.from(value).toString('hex')],
]);
/** The run's random part alone, which the canaries (and nothing else) contain. */
NEEDLES.push(['random part', hex]);

function leaksIn(where: string, haystack: string | Buffer): string[] {
  const found: string[] = [];
  for (const [name, needle] of NEEDLES) {
    const at = haystack.indexOf(needle);
    if (at !== -1) found.push(`${where}: ${name} at ${at}: …${haystack.slice(Math.max(0, at - 80), at + needle.length + 40).toString()}…`);
  }
  return found;
}

describe.each(testProviders())('a canary secret and username on %s', (provider) => {
  let t: TestApp;
  let admin: SignedUpUser;
  let refusedPort: number;
  const responses: { label: string; text: string }[] = [];
  let closed = false;

  beforeAll(async () => {
    t = await startTestApp(provider, { CONNECTIVITY_ALLOWED_HOSTS: '127.0.0.1', LOG_LEVEL: 'trace' });
    admin = await signUpUser(t, 'canary');
    refusedPort = await closedPort();
  });
  afterAll(async () => {
    if (closed) return; // the last test closed the app itself; TestApp.close drops the database
    await t?.close();
  });

  /** A REST call whose raw response (status line, headers and body text) is kept for the leak check. */
  async function rest(label: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const response = await fetch(`${t.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${admin.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    responses.push({ label, text: `${response.status}\n${[...response.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${text}` });
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  async function gql<T, V>(label: string, document: Parameters<typeof graphqlRaw<T, V>>[2], variables: V) {
    const response = await graphqlRaw(t, admin.token, document, variables);
    responses.push({ label, text: response.text });
    return response;
  }

  const body = (overrides: Json = {}) => ({
    providerKind: 'imap',
    host: '127.0.0.1',
    port: refusedPort,
    securityMode: 'ssl_tls',
    authKind: 'password',
    username: CANARY_USERNAMES[0],
    secret: CANARY_SECRETS[0],
    label: 'Canary',
    ...overrides,
  });

  it('keeps REST payloads to the exact keys of the spec', async () => {
    const created = await rest('REST create (keys)', 'POST', `/api/accounts/${admin.accountId}/provider-credentials`, toRestBody(body({ label: 'Keys' })));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const payloads: Json[] = [created.body];
    payloads.push((await rest('REST get (keys)', 'GET', `/api/provider-credentials/${id}`)).body);
    payloads.push(...(await rest('REST list (keys)', 'GET', `/api/accounts/${admin.accountId}/provider-credentials`)).body.data);
    payloads.push(...(await rest('REST search (keys)', 'POST', `/api/accounts/${admin.accountId}/provider-credentials/search`, { filter: { label_contains: 'keys' } })).body.data);
    const tested = await rest('REST test (keys)', 'POST', `/api/provider-credentials/${id}/test`);
    expect(Object.keys(tested.body).sort()).toEqual([...LAST_TEST_KEYS, 'server'].sort());
    payloads.push((await rest('REST update (keys)', 'PATCH', `/api/provider-credentials/${id}`, { label: 'Keys 2' })).body);
    payloads.push((await rest('REST get after test (keys)', 'GET', `/api/provider-credentials/${id}`)).body);
    payloads.push((await rest('REST rotate (keys)', 'POST', `/api/provider-credentials/${id}/rotate`, { secret: CANARY_SECRETS[1] })).body);
    expect(payloads.length).toBeGreaterThanOrEqual(7);
    for (const payload of payloads) expect(Object.keys(payload).sort()).toEqual([...CREDENTIAL_KEYS].sort());
    const withTest = payloads.filter((p) => p.last_test !== null);
    expect(withTest.length).toBeGreaterThan(0);
    for (const payload of withTest) {
      expect(Object.keys(payload.last_test).sort()).toEqual([...LAST_TEST_KEYS].sort());
      expect(Object.keys(payload.last_test.error).every((key) => ['code', 'message', 'hint'].includes(key))).toBe(true);
    }
  });

  it('never returns, logs, audits or stores the canary in clear, whatever the operation', async () => {
    const accountPath = `/api/accounts/${admin.accountId}/provider-credentials`;

    // REST: create, refusals, a failed verification, update, rotate, test, reads.
    const created = await rest('REST create', 'POST', accountPath, toRestBody(body()));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body.username_masked).toBe('c***@example.com');
    expect((await rest('REST create, invalid port', 'POST', accountPath, toRestBody(body({ port: 0, secret: CANARY_SECRETS[2] })))).status).toBe(400);
    expect((await rest('REST create, secret as unknown field', 'POST', accountPath, { ...toRestBody(body()), password: CANARY_SECRETS[2], token: CANARY_SECRETS[2] })).status).toBe(400);
    expect((await rest('REST create, NUL in secret', 'POST', accountPath, toRestBody(body({ secret: `${CANARY_SECRETS[2]}\u0000` })))).status).toBe(400);
    expect((await rest('REST create, username with a line break', 'POST', accountPath, toRestBody(body({ username: `${CANARY_USERNAMES[2]}\r\n` })))).status).toBe(400);
    const verified = await rest('REST create with verify', 'POST', accountPath, toRestBody(body({ verify: true, secret: CANARY_SECRETS[2] })));
    expect(verified.status).toBe(422);
    expect(verified.body.error.code).toBe('VERIFICATION_FAILED');
    expect((await rest('REST update with secret', 'PATCH', `/api/provider-credentials/${id}`, { secret: CANARY_SECRETS[2] })).status).toBe(400);
    expect((await rest('REST update username', 'PATCH', `/api/provider-credentials/${id}`, { username: CANARY_USERNAMES[1] })).status).toBe(200);
    expect((await rest('REST test', 'POST', `/api/provider-credentials/${id}/test`)).body.error.code).toBe('CONNECTION_REFUSED');
    expect((await rest('REST rotate', 'POST', `/api/provider-credentials/${id}/rotate`, { secret: CANARY_SECRETS[1] })).status).toBe(200);
    expect((await rest('REST rotate with verify', 'POST', `/api/provider-credentials/${id}/rotate`, { secret: CANARY_SECRETS[2], verify: true })).status).toBe(422);
    expect((await rest('REST rotate, unknown field', 'POST', `/api/provider-credentials/${id}/rotate`, { secret: CANARY_SECRETS[2], password: CANARY_SECRETS[2] })).status).toBe(400);
    expect((await rest('REST rotate, too long', 'POST', `/api/provider-credentials/${id}/rotate`, { secret: `${CANARY_SECRETS[2]}${'x'.repeat(8192)}` })).status).toBe(400);
    expect((await rest('REST get', 'GET', `/api/provider-credentials/${id}`)).status).toBe(200);
    expect((await rest('REST list', 'GET', accountPath)).status).toBe(200);
    expect((await rest('REST search', 'POST', `${accountPath}/search`, { filter: { label_contains: 'canary' } })).status).toBe(200);
    expect((await rest('REST search for the canary', 'POST', `${accountPath}/search`, { filter: { label_contains: CANARY_SECRETS[2] } })).body.data).toEqual([]);
    expect((await rest('REST audit', 'GET', `/api/accounts/${admin.accountId}/audit-events?limit=200`)).status).toBe(200);

    // GraphQL: the same operations.
    const gqlCreated = await gql('GraphQL create', CreateProviderCredentialDocument, {
      accountId: admin.accountId,
      input: { ...body({ secret: CANARY_SECRETS[3], username: CANARY_USERNAMES[2] }), providerKind: 'IMAP', securityMode: 'SSL_TLS', authKind: 'PASSWORD' } as CreateProviderCredentialInput,
    });
    const gqlId = (gqlCreated.data as Json).createProviderCredential.id as string;
    const refusedVariables = [
      ['GraphQL create, invalid port (service)', { port: 0 }],
      ['GraphQL create, port missing (GraphQL)', { port: undefined }],
      ['GraphQL create, port a string (GraphQL)', { port: 'abc' }],
      ['GraphQL create, unknown field (GraphQL)', { password: CANARY_SECRETS[4] }],
      ['GraphQL create with verify', { verify: true }],
    ] as const;
    for (const [label, change] of refusedVariables) {
      const input = { ...body({ secret: CANARY_SECRETS[4], username: CANARY_USERNAMES[2] }), providerKind: 'IMAP', securityMode: 'SSL_TLS', authKind: 'PASSWORD', ...change };
      const refused = await gql(label, CreateProviderCredentialDocument, { accountId: admin.accountId, input: input as CreateProviderCredentialInput });
      expect(refused.errors, label).toHaveLength(1);
    }
    const gqlUpdateSecret = await gql('GraphQL update with secret (GraphQL)', UpdateProviderCredentialDocument, { id: gqlId, input: { label: 'x', secret: CANARY_SECRETS[4] } as UpdateProviderCredentialInput });
    expect(gqlUpdateSecret.errors).toHaveLength(1);
    expect((await gql('GraphQL update username', UpdateProviderCredentialDocument, { id: gqlId, input: { username: CANARY_USERNAMES[1] } })).errors).toBeUndefined();
    expect((await gql('GraphQL test', TestProviderCredentialDocument, { id: gqlId })).errors).toBeUndefined();
    expect((await gql('GraphQL rotate', RotateProviderCredentialDocument, { id: gqlId, input: { secret: CANARY_SECRETS[5] } })).errors).toBeUndefined();
    expect((await gql('GraphQL rotate with verify', RotateProviderCredentialDocument, { id: gqlId, input: { secret: CANARY_SECRETS[4], verify: true } })).errors?.[0]?.extensions?.code).toBe('VERIFICATION_FAILED');
    expect((await gql('GraphQL rotate, NUL', RotateProviderCredentialDocument, { id: gqlId, input: { secret: `${CANARY_SECRETS[4]}\u0000` } })).errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
    expect((await gql('GraphQL get', ProviderCredentialDocument, { id: gqlId })).errors).toBeUndefined();
    expect((await gql('GraphQL list', ProviderCredentialsDocument, { accountId: admin.accountId, first: 200, after: null })).errors).toBeUndefined();
    expect((await gql('GraphQL search', SearchProviderCredentialsDocument, { accountId: admin.accountId, filter: { labelContains: 'canary' }, first: null, after: null })).errors).toBeUndefined();
    expect((await gql('GraphQL audit', AuditEventsDocument, { accountId: admin.accountId, first: 200, after: null })).errors).toBeUndefined();

    // The canaries were really used: the vault holds them (encrypted), the payloads mask them.
    const prisma = t.app.services.db.prisma;
    expect(openCredential(t.app.services.vault, id, await readSecretRow(prisma, id))).toEqual({ username: CANARY_USERNAMES[1], secret: CANARY_SECRETS[1] });
    expect(openCredential(t.app.services.vault, gqlId, await readSecretRow(prisma, gqlId))).toEqual({ username: CANARY_USERNAMES[1], secret: CANARY_SECRETS[5] });
    expect(responses.length).toBeGreaterThan(30);
    expect(leaksIn('self-test', `x${CANARY_SECRETS[0]}x`)).not.toEqual([]);

    const leaks: string[] = [];
    for (const { label, text } of responses) leaks.push(...leaksIn(`response to ${label}`, text));
    leaks.push(...leaksIn('logs', t.logs.join('\n')));
    const auditRows = await prisma.auditEvent.findMany();
    expect(auditRows.length).toBeGreaterThan(5);
    leaks.push(...leaksIn('AuditEvent rows', JSON.stringify(auditRows)));
    for (const [table, rows] of Object.entries(await dumpTables(t))) leaks.push(...leaksIn(`${table} rows`, rows));
    expect(leaks).toEqual([]);
  });

  if (provider === 'sqlite') {
    // Last: closes the app to read the files as they rest on disk.
    it('leaves no trace of the canary in any byte of the SQLite file or its WAL', async () => {
      const file = t.databaseUrl.replace(/^file:/, '');
      // Read once while open too: the WAL holds the most recent pages until a checkpoint.
      const whileOpen = [file, `${file}-wal`].filter(existsSync).map((path) => [path, readFileSync(path)] as const);
      await t.app.close();
      closed = true;
      const afterClose = [file, `${file}-wal`, `${file}-shm`, `${file}-journal`].filter(existsSync).map((path) => [path, readFileSync(path)] as const);
      const main = afterClose.find(([path]) => path === file)!;
      expect(main[1].length).toBeGreaterThan(4096);
      // The file holds the data (the check reads real content): the masked username is there.
      expect(main[1].indexOf('c***@example.com')).toBeGreaterThan(-1);
      const leaks = [...whileOpen, ...afterClose].flatMap(([path, bytes]) => leaksIn(path, bytes));
      await t.close();
      expect(leaks).toEqual([]);
    });
  }
});

/** Every row of every application table, as text. */
async function dumpTables(t: TestApp): Promise<Record<string, string>> {
  const prisma = t.app.services.db.prisma;
  const tables =
    t.provider === 'sqlite'
      ? (await prisma.$queryRawUnsafe<{ name: string }[]>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)).map((r) => r.name)
      : (await prisma.$queryRawUnsafe<{ table_name: string }[]>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`)).map((r) => r.table_name);
  expect(tables).toEqual(expect.arrayContaining(['CredentialSecret', 'ProviderCredential', 'AuditEvent', 'ConnectivityTest']));
  const dump: Record<string, string> = {};
  for (const table of tables) {
    const rows = await prisma.$queryRawUnsafe<unknown[]>(`SELECT * FROM "${table}"`);
    dump[table] = JSON.stringify(rows, (_key, value) => (typeof value === 'bigint' ? value.toString() : value));
  }
  expect(JSON.parse(dump.CredentialSecret!).length).toBeGreaterThan(0);
  return dump;
}
