// Every credential operation over REST and over GraphQL (typed documents), showing that both
// interfaces give the same results once REST's snake_case and lower-case enums are mapped to
// GraphQL's camelCase and upper-case ones; plus masking, host normalisation, last_test, the
// write-only secret, roles, delete and the audit trail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCredential, readSecretRow } from '../../src/modules/vault/credential-secrets.js';
import {
  AuditEventsDocument,
  CreateProviderCredentialDocument,
  DeleteProviderCredentialDocument,
  ProviderCredentialDocument,
  ProviderCredentialsDocument,
  RotateProviderCredentialDocument,
  SearchProviderCredentialsDocument,
  TestProviderCredentialDocument,
  UpdateProviderCredentialDocument,
  type CreateProviderCredentialInput,
  type ProviderCredentialFilter,
  type UpdateProviderCredentialInput,
} from '../gql/graphql.js';
import {
  CREDENTIAL_KEYS,
  LAST_TEST_KEYS,
  closedPort,
  countRows,
  graphQLCredentialAsRest,
  graphQLTestResultAsRest,
  snakeCase,
  toGraphQLInput,
  toRestBody,
} from '../support/credentials.js';
import { graphqlFailure } from '../support/graphql-errors.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { testProviders } from '../support/test-database.js';
import { addMember, signUpUser, type SignedUpUser } from '../support/users.js';

type Json = Record<string, any>;

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const BASE_BODY = {
  providerKind: 'imap',
  host: 'IMAP.Bücher.Example',
  port: 993,
  securityMode: 'ssl_tls',
  authKind: 'password',
  username: 'support@example.com',
  secret: 'parity secret one',
  label: 'Support inbox',
};

/** Fields that differ between two credentials created from the same body. */
const withoutIdentity = ({ id: _id, created_at: _c, updated_at: _u, last_rotated_at: lastRotatedAt, ...rest }: Json) => ({
  ...rest,
  last_rotated_at: lastRotatedAt === null ? null : 'set',
});

describe.each(testProviders())('credential operations over REST and GraphQL on %s', (provider) => {
  let t: TestApp;
  let admin: SignedUpUser;
  let member: SignedUpUser;
  let outsider: SignedUpUser;
  let refusedPort: number;

  beforeAll(async () => {
    t = await startTestApp(provider, { CONNECTIVITY_ALLOWED_HOSTS: '127.0.0.1' });
    admin = await signUpUser(t, 'admin');
    member = await signUpUser(t, 'member');
    outsider = await signUpUser(t, 'outsider');
    await addMember(t, admin, admin.accountId, member, 'member');
    refusedPort = await closedPort();
  });
  afterAll(async () => {
    await t?.close();
  });

  // --- the two interfaces -------------------------------------------------------------------

  const rest = {
    create: (body: Json, token = admin.token, accountId = admin.accountId) =>
      t.rest('POST', `/api/accounts/${accountId}/provider-credentials`, { token, body: toRestBody(body) }),
    get: (id: string, token = admin.token) => t.rest('GET', `/api/provider-credentials/${id}`, { token }),
    list: (query = '', token = admin.token, accountId = admin.accountId) => t.rest('GET', `/api/accounts/${accountId}/provider-credentials${query}`, { token }),
    search: (body: Json, token = admin.token, accountId = admin.accountId) => t.rest('POST', `/api/accounts/${accountId}/provider-credentials/search`, { token, body }),
    update: (id: string, body: Json, token = admin.token) => t.rest('PATCH', `/api/provider-credentials/${id}`, { token, body }),
    delete: (id: string, token = admin.token) => t.rest('DELETE', `/api/provider-credentials/${id}`, { token }),
    test: (id: string, token = admin.token) => t.rest('POST', `/api/provider-credentials/${id}/test`, { token }),
    rotate: (id: string, body: Json, token = admin.token) => t.rest('POST', `/api/provider-credentials/${id}/rotate`, { token, body }),
  };

  const gql = {
    create: (body: Json, token = admin.token, accountId = admin.accountId) =>
      t.graphql(token).request(CreateProviderCredentialDocument, { accountId, input: toGraphQLInput(body) as CreateProviderCredentialInput }).then((r) => r.createProviderCredential as Json),
    get: (id: string, token = admin.token) => t.graphql(token).request(ProviderCredentialDocument, { id }).then((r) => r.providerCredential as Json | null),
    list: (first: number | null, after: string | null, token = admin.token, accountId = admin.accountId) =>
      t.graphql(token).request(ProviderCredentialsDocument, { accountId, first, after }).then((r) => r.providerCredentials),
    search: (filter: Json, first: number | null = null, after: string | null = null, token = admin.token, accountId = admin.accountId) =>
      t.graphql(token).request(SearchProviderCredentialsDocument, { accountId, filter: toGraphQLInput(filter) as ProviderCredentialFilter, first, after }).then((r) => r.searchProviderCredentials),
    update: (id: string, input: Json, token = admin.token) =>
      t.graphql(token).request(UpdateProviderCredentialDocument, { id, input: toGraphQLInput(input) as UpdateProviderCredentialInput }).then((r) => r.updateProviderCredential as Json),
    delete: (id: string, token = admin.token) => t.graphql(token).request(DeleteProviderCredentialDocument, { id }).then((r) => r.deleteProviderCredential),
    test: (id: string, token = admin.token) => t.graphql(token).request(TestProviderCredentialDocument, { id }).then((r) => r.testProviderCredential as Json),
    rotate: (id: string, input: { secret: string; username?: string }, token = admin.token) =>
      t.graphql(token).request(RotateProviderCredentialDocument, { id, input }).then((r) => r.rotateProviderCredential as Json),
  };

  /** Reads one credential over both interfaces, asserts they agree, and returns the REST payload. */
  async function readBoth(id: string): Promise<Json> {
    const viaRest = await rest.get(id);
    expect(viaRest.status).toBe(200);
    expect(Object.keys(viaRest.body).sort()).toEqual([...CREDENTIAL_KEYS].sort());
    const viaGraphQL = await gql.get(id);
    expect(viaGraphQL).not.toBeNull();
    expect(graphQLCredentialAsRest(viaGraphQL!)).toEqual(viaRest.body);
    return viaRest.body;
  }

  /** Creates the same body over REST (a) and GraphQL (b); both payloads agree field for field. */
  async function createTwins(body: Json = BASE_BODY): Promise<{ a: Json; b: Json }> {
    const created = await rest.create(body);
    expect(created.status).toBe(201);
    const b = graphQLCredentialAsRest(await gql.create(body));
    expect(withoutIdentity(b)).toEqual(withoutIdentity(created.body));
    return { a: created.body, b };
  }

  /** Every credential of the account, walking all pages over REST. */
  async function listAllRest(token = admin.token): Promise<Json[]> {
    const all: Json[] = [];
    let cursor: string | null = null;
    do {
      const page = await rest.list(`?limit=200${cursor ? `&cursor=${cursor}` : ''}`, token);
      expect(page.status).toBe(200);
      all.push(...page.body.data);
      cursor = page.body.page_info.next_cursor;
    } while (cursor);
    return all;
  }

  const secretRow = (id: string) => t.app.services.db.prisma.credentialSecret.findUnique({ where: { credentialId: id } });

  // --- create and get -----------------------------------------------------------------------

  it('creates the same credential over both interfaces with every payload field of the spec', async () => {
    const before = Date.now();
    const created = await rest.create(BASE_BODY);
    const after = Date.now();
    expect(created.status).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual([...CREDENTIAL_KEYS].sort());
    expect(created.body).toEqual({
      id: expect.stringMatching(/^pc_[A-Za-z0-9_-]{21,}$/),
      account_id: admin.accountId,
      provider_kind: 'imap',
      host: 'imap.xn--bcher-kva.example',
      port: 993,
      security_mode: 'ssl_tls',
      auth_kind: 'password',
      username_masked: 's***@example.com',
      label: 'Support inbox',
      secret_version: 1,
      last_rotated_at: null,
      last_test: null,
      created_at: expect.stringMatching(ISO),
      updated_at: expect.stringMatching(ISO),
    });
    const createdAt = Date.parse(created.body.created_at);
    expect(createdAt).toBeGreaterThanOrEqual(before - 1000);
    expect(createdAt).toBeLessThanOrEqual(after + 1000);
    expect(Date.parse(created.body.updated_at)).toBeGreaterThanOrEqual(createdAt);

    const viaGraphQL = await gql.create(BASE_BODY);
    expect(viaGraphQL.account).toEqual({ id: admin.accountId, name: expect.any(String) });
    expect(viaGraphQL.providerKind).toBe('IMAP');
    expect(viaGraphQL.securityMode).toBe('SSL_TLS');
    expect(viaGraphQL.authKind).toBe('PASSWORD');
    const mapped = graphQLCredentialAsRest(viaGraphQL);
    expect(withoutIdentity(mapped)).toEqual(withoutIdentity(created.body));
    expect(mapped.id).not.toBe(created.body.id);

    // Each credential reads back identically over both interfaces, and as it was created.
    expect(await readBoth(created.body.id)).toEqual(created.body);
    expect(await readBoth(viaGraphQL.id)).toEqual(mapped);
  });

  it('masks usernames and normalises hosts identically over both interfaces', async () => {
    const cases = [
      { username: 'user@example.com', masked: 'u***@example.com', host: 'MAIL.EXAMPLE.COM', stored: 'mail.example.com' },
      { username: 'admin', masked: 'a***', host: 'Bücher.Example', stored: 'xn--bcher-kva.example' },
      { username: 'x@example.org', masked: 'x***@example.org', host: 'imap.example.com.', stored: 'imap.example.com' },
      { username: '@example.net', masked: '***@example.net', host: 'MÜNCHEN.example', stored: 'xn--mnchen-3ya.example' },
      { username: 'u', masked: 'u***', host: '[2001:DB8::1]', stored: '2001:db8::1' },
    ];
    for (const { username, masked, host, stored } of cases) {
      const { a, b } = await createTwins({ ...BASE_BODY, username, host, label: null });
      for (const payload of [a, b]) {
        expect(payload.username_masked).toBe(masked);
        expect(payload.host).toBe(stored);
        expect(payload.label).toBeNull();
        // The clear username never comes back (checked where the mask cannot contain it).
        if (username.split('@')[0]!.length > 1) expect(JSON.stringify(payload)).not.toContain(username);
      }
    }
  });

  it('answers 404 over REST and null over GraphQL for a missing id or an id of another account', async () => {
    const foreign = await rest.create(BASE_BODY, outsider.token, outsider.accountId);
    expect(foreign.status).toBe(201);
    for (const id of ['pc_doesNotExist000000000000', foreign.body.id, 'x'.repeat(100), 'acc_notacredential']) {
      const viaRest = await rest.get(id);
      expect(viaRest.status).toBe(404);
      expect(viaRest.body.error.code).toBe('NOT_FOUND');
      expect(await gql.get(id)).toBeNull();
    }
    // The owner still sees it: 404 meant "not yours", not "gone".
    expect((await rest.get(foreign.body.id, outsider.token)).status).toBe(200);
    expect(await gql.get(foreign.body.id, outsider.token)).not.toBeNull();
  });

  // --- list and search ----------------------------------------------------------------------

  it('lists and searches with the same pages, order and cursors over both interfaces', async () => {
    await createTwins({ ...BASE_BODY, host: 'list.example.com', label: 'List me' });
    const all = await listAllRest();
    expect(all.length).toBeGreaterThanOrEqual(4);

    // Page by page with a small page size, following each interface's own cursor.
    const restIds: string[] = [];
    const graphQLIds: string[] = [];
    let cursor: string | null = null;
    let after: string | null = null;
    for (let pageNumber = 0; ; pageNumber += 1) {
      expect(pageNumber).toBeLessThan(100);
      const restPage = await rest.list(`?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      const graphQLPage = await gql.list(3, after);
      expect(restPage.status).toBe(200);
      expect(Object.keys(restPage.body).sort()).toEqual(['data', 'page_info']);
      expect(graphQLPage.edges.map((edge) => graphQLCredentialAsRest(edge.node as Json))).toEqual(restPage.body.data);
      expect(graphQLPage.pageInfo.hasNextPage).toBe(restPage.body.page_info.next_cursor !== null);
      if (graphQLPage.pageInfo.hasNextPage) expect(graphQLPage.pageInfo.endCursor).toBe(restPage.body.page_info.next_cursor);
      restIds.push(...restPage.body.data.map((c: Json) => c.id));
      graphQLIds.push(...graphQLPage.edges.map((edge) => edge.node.id));
      cursor = restPage.body.page_info.next_cursor;
      after = graphQLPage.pageInfo.endCursor ?? null;
      if (!cursor) break;
    }
    expect(restIds).toEqual(all.map((c) => c.id));
    expect(graphQLIds).toEqual(restIds);

    // Search: the same filter in each interface's spelling finds the same credentials.
    const restSearch = await rest.search({ filter: { provider_kind: 'imap', host: 'LIST.Example.COM', label_contains: 'LIST' }, limit: 200 });
    const graphQLSearch = await gql.search({ providerKind: 'imap', host: 'LIST.Example.COM', labelContains: 'LIST' }, 200);
    expect(restSearch.status).toBe(200);
    expect(restSearch.body.data).toHaveLength(2);
    expect(restSearch.body.data.every((c: Json) => c.host === 'list.example.com' && c.label === 'List me')).toBe(true);
    expect(graphQLSearch.edges.map((edge) => graphQLCredentialAsRest(edge.node as Json))).toEqual(restSearch.body.data);
    expect(restSearch.body.page_info.next_cursor).toBeNull();
    expect(graphQLSearch.pageInfo.hasNextPage).toBe(false);
  });

  // --- update -------------------------------------------------------------------------------

  it('applies the same updates over both interfaces, re-validating and normalising', async () => {
    const { a, b } = await createTwins({ ...BASE_BODY, host: 'update.example.com' });
    const changes: Json[] = [
      { label: 'Renamed inbox' },
      { host: 'MAIL.Bücher.Example.' },
      { port: 143, securityMode: 'starttls' },
      { authKind: 'oauth2' },
      { username: 'new.owner@example.org' },
      { label: null },
    ];
    let previousA = a;
    for (const change of changes) {
      const viaRest = await rest.update(a.id, toRestBody(change));
      expect(viaRest.status, JSON.stringify(viaRest.body)).toBe(200);
      const viaGraphQL = graphQLCredentialAsRest(await gql.update(b.id, change));
      expect(withoutIdentity(viaGraphQL)).toEqual(withoutIdentity(viaRest.body));
      expect(viaRest.body.created_at).toBe(previousA.created_at);
      expect(Date.parse(viaRest.body.updated_at)).toBeGreaterThanOrEqual(Date.parse(previousA.updated_at));
      expect(viaRest.body.secret_version).toBe(1);
      expect(await readBoth(a.id)).toEqual(viaRest.body);
      expect(await readBoth(b.id)).toEqual(viaGraphQL);
      previousA = viaRest.body;
    }
    expect(previousA).toMatchObject({
      host: 'mail.xn--bcher-kva.example',
      port: 143,
      security_mode: 'starttls',
      auth_kind: 'oauth2',
      username_masked: 'n***@example.org',
      label: null,
    });
  });

  it('refuses a secret in an update over both interfaces and never touches the stored secret', async () => {
    const created = await rest.create({ ...BASE_BODY, host: 'secret-keep.example.com', secret: 'the original secret' });
    const id = created.body.id as string;
    const before = await secretRow(id);
    expect(before).not.toBeNull();

    for (const body of [{ secret: 'a new secret' }, { label: 'Sneaky', secret: 'a new secret' }]) {
      const refused = await rest.update(id, body);
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe('VALIDATION_FAILED');
      expect(refused.body.error.details).toEqual(expect.arrayContaining([{ field: 'secret', message: expect.any(String) }]));
    }
    const overGraphQL = await graphqlFailure(t.graphql(admin.token).request(UpdateProviderCredentialDocument, { id, input: { secret: 'a new secret' } as UpdateProviderCredentialInput }));
    // The GraphQL input type has no `secret` field: GraphQL itself refuses the variable.
    expect(overGraphQL.code).toBe('VALIDATION_FAILED');
    expect(overGraphQL.message).toContain('secret');
    expect(await readBoth(id)).toEqual(created.body);

    // Metadata updates leave the cipher text byte for byte as it was.
    for (const change of [{ label: 'Kept' }, { host: 'secret-kept.example.com' }, { port: 10993 }, { security_mode: 'starttls' }, { auth_kind: 'oauth2' }]) {
      expect((await rest.update(id, change)).status).toBe(200);
      expect(await secretRow(id)).toEqual({ ...before, updatedAt: expect.any(Date) });
    }
    // A username change re-encrypts the username beside the same secret, at the same version.
    expect((await gql.update(id, { username: 'renamed@example.com' })).usernameMasked).toBe('r***@example.com');
    const after = await secretRow(id);
    expect(after?.secretVersion).toBe(1);
    expect(openCredential(t.app.services.vault, id, await readSecretRow(t.app.services.db.prisma, id))).toEqual({ username: 'renamed@example.com', secret: 'the original secret' });
    expect((await readBoth(id)).secret_version).toBe(1);
  });

  // --- test and last_test -------------------------------------------------------------------

  it('stores a test result as last_test, and clears it when a connection field changes but not for a label', async () => {
    const created = await rest.create({ ...BASE_BODY, host: '127.0.0.1', port: refusedPort, username: 'probe@example.com', label: 'Probe' });
    const id = created.body.id as string;
    expect(created.body.last_test).toBeNull();

    const tested = await rest.test(id);
    expect(tested.status).toBe(200);
    expect(tested.body).toMatchObject({ ok: false, provider_kind: 'imap', error: { code: 'CONNECTION_REFUSED', message: expect.any(String) } });
    expect(Date.parse(tested.body.tested_at)).not.toBeNaN();
    const { server: _server, ...expectedLastTest } = tested.body;
    const stored = await readBoth(id);
    expect(Object.keys(stored.last_test).sort()).toEqual([...LAST_TEST_KEYS].sort());
    expect(stored.last_test).toEqual(expectedLastTest);

    // The same operation over GraphQL gives the same result shape.
    const viaGraphQL = graphQLTestResultAsRest(await gql.test(id));
    const { server: _s, ...withoutServer } = viaGraphQL as Json;
    expect(Object.keys(withoutServer).sort()).toEqual([...LAST_TEST_KEYS].sort());
    expect(withoutServer).toMatchObject({ ok: false, provider_kind: 'imap', stage: tested.body.stage, error: { code: 'CONNECTION_REFUSED', message: tested.body.error.message } });
    expect((await readBoth(id)).last_test).toEqual(withoutServer);

    const statusOf = async (status: string) =>
      (await rest.search({ filter: { last_test_status: status, host: '127.0.0.1' }, limit: 200 })).body.data.map((c: Json) => c.id) as string[];
    expect(await statusOf('failed')).toContain(id);

    // A label change keeps last_test, over either interface.
    const kept = (await readBoth(id)).last_test;
    expect((await rest.update(id, { label: 'Probe renamed' })).body.last_test).toEqual(kept);
    expect(graphQLCredentialAsRest(await gql.update(id, { label: 'Probe again' })).last_test).toEqual(kept);
    expect(await statusOf('failed')).toContain(id);

    const otherPort = await closedPort();
    const connectionChanges: { change: Json; restore?: Json; via: 'rest' | 'graphql' }[] = [
      { change: { host: 'imap.example.net' }, restore: { host: '127.0.0.1' }, via: 'rest' },
      { change: { port: otherPort }, via: 'graphql' },
      { change: { securityMode: 'starttls' }, via: 'rest' },
      { change: { authKind: 'oauth2' }, via: 'graphql' },
      { change: { username: 'someone.else@example.com' }, via: 'rest' },
    ];
    for (const { change, restore, via } of connectionChanges) {
      expect((await rest.test(id)).status).toBe(200);
      expect((await readBoth(id)).last_test).not.toBeNull();
      const updated = via === 'rest' ? (await rest.update(id, toRestBody(change))).body : graphQLCredentialAsRest(await gql.update(id, change));
      expect(updated.last_test, JSON.stringify(change)).toBeNull();
      expect((await readBoth(id)).last_test).toBeNull();
      if (restore) expect((await rest.update(id, restore)).status).toBe(200);
      else expect(await statusOf('never')).toContain(id);
    }
  });

  // --- rotate -------------------------------------------------------------------------------

  it('rotates over both interfaces: version + 1, last_rotated_at set, last_test cleared, old secret replaced', async () => {
    const { a, b } = await createTwins({ ...BASE_BODY, host: '127.0.0.1', port: refusedPort, label: 'Rotate me' });
    expect((await rest.test(a.id)).status).toBe(200);
    expect((await gql.test(b.id)).ok).toBe(false);
    expect((await readBoth(a.id)).last_test).not.toBeNull();
    const oldCiphertext = (await secretRow(a.id))?.secretCiphertext;

    const before = Date.now();
    const viaRest = await rest.rotate(a.id, { secret: 'rotated secret' });
    expect(viaRest.status).toBe(200);
    const viaGraphQL = graphQLCredentialAsRest(await gql.rotate(b.id, { secret: 'rotated secret' }));
    for (const payload of [viaRest.body, viaGraphQL]) {
      expect(Object.keys(payload).sort()).toEqual([...CREDENTIAL_KEYS].sort());
      expect(payload).toMatchObject({ secret_version: 2, last_test: null, username_masked: 's***@example.com' });
      expect(payload.last_rotated_at).toMatch(ISO);
      expect(Date.parse(payload.last_rotated_at)).toBeGreaterThanOrEqual(before - 1000);
    }
    expect(withoutIdentity(viaGraphQL)).toEqual(withoutIdentity(viaRest.body));
    expect(await readBoth(a.id)).toEqual(viaRest.body);
    expect(await readBoth(b.id)).toEqual(viaGraphQL);

    const row = await secretRow(a.id);
    expect(row?.secretVersion).toBe(2);
    expect(row?.secretCiphertext).not.toBe(oldCiphertext);
    expect(openCredential(t.app.services.vault, a.id, await readSecretRow(t.app.services.db.prisma, a.id))).toEqual({ username: BASE_BODY.username, secret: 'rotated secret' });

    // With a new username, over each interface.
    const again = await rest.rotate(a.id, { secret: 'third secret', username: 'rotated@example.org' });
    expect(again.body).toMatchObject({ secret_version: 3, username_masked: 'r***@example.org' });
    expect((await gql.rotate(b.id, { secret: 'third secret', username: 'rotated@example.org' })).usernameMasked).toBe('r***@example.org');
    expect(openCredential(t.app.services.vault, b.id, await readSecretRow(t.app.services.db.prisma, b.id))).toEqual({ username: 'rotated@example.org', secret: 'third secret' });
  });

  // --- roles and authentication --------------------------------------------------------------

  it('lets a member read, search and test, and refuses create, update, delete and rotate with 403 / FORBIDDEN', async () => {
    const target = (await rest.create({ ...BASE_BODY, host: '127.0.0.1', port: refusedPort, label: 'Member view' })).body;
    const counts = await countRows(t);

    expect((await rest.get(target.id, member.token)).body).toEqual((await rest.get(target.id)).body);
    expect((await rest.list('', member.token)).status).toBe(200);
    expect((await rest.search({ filter: { label_contains: 'member view' } }, member.token)).body.data.map((c: Json) => c.id)).toEqual([target.id]);
    expect(graphQLCredentialAsRest((await gql.get(target.id, member.token))!)).toEqual(target);
    expect((await gql.list(null, null, member.token)).edges.length).toBeGreaterThan(0);
    expect((await gql.search({ labelContains: 'MEMBER VIEW' }, null, null, member.token)).edges.map((e) => e.node.id)).toEqual([target.id]);

    const restRefusals = [
      await rest.create(BASE_BODY, member.token),
      await rest.update(target.id, { label: 'no' }, member.token),
      await rest.delete(target.id, member.token),
      await rest.rotate(target.id, { secret: 'no' }, member.token),
    ];
    for (const refused of restRefusals) {
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('FORBIDDEN');
    }
    const graphQLRefusals = [
      () => gql.create(BASE_BODY, member.token),
      () => gql.update(target.id, { label: 'no' }, member.token),
      () => gql.delete(target.id, member.token),
      () => gql.rotate(target.id, { secret: 'no' }, member.token),
    ];
    for (const refused of graphQLRefusals) expect((await graphqlFailure(refused())).code).toBe('FORBIDDEN');
    expect(await countRows(t)).toEqual(counts);
    expect(await readBoth(target.id)).toEqual(target);

    // Testing is a member's right (it records a result and an audit event).
    const tested = await rest.test(target.id, member.token);
    expect(tested.status).toBe(200);
    expect((await gql.test(target.id, member.token)).ok).toBe(false);
  });

  it('hides everything from an outsider: 404 over REST, null or NOT_FOUND over GraphQL', async () => {
    const target = (await rest.create({ ...BASE_BODY, label: 'Hidden' })).body;
    const counts = await countRows(t);
    const restCalls = [
      () => rest.get(target.id, outsider.token),
      () => rest.update(target.id, { label: 'x' }, outsider.token),
      () => rest.delete(target.id, outsider.token),
      () => rest.rotate(target.id, { secret: 'x' }, outsider.token),
      () => rest.test(target.id, outsider.token),
      () => rest.create(BASE_BODY, outsider.token),
      () => rest.list('', outsider.token),
      () => rest.search({ filter: {} }, outsider.token),
    ];
    for (const call of restCalls) {
      const response = await call();
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe('NOT_FOUND');
    }
    // The answer is the same as for an id that does not exist.
    const missing = await rest.get('pc_doesNotExist000000000000', outsider.token);
    expect((await rest.get(target.id, outsider.token)).body.error).toEqual(missing.body.error);

    expect(await gql.get(target.id, outsider.token)).toBeNull();
    const graphQLCalls = [
      () => gql.update(target.id, { label: 'x' }, outsider.token),
      () => gql.delete(target.id, outsider.token),
      () => gql.rotate(target.id, { secret: 'x' }, outsider.token),
      () => gql.test(target.id, outsider.token),
      () => gql.create(BASE_BODY, outsider.token),
      () => gql.list(null, null, outsider.token),
      () => gql.search({}, null, null, outsider.token),
    ];
    for (const call of graphQLCalls) expect((await graphqlFailure(call())).code).toBe('NOT_FOUND');
    expect(await countRows(t)).toEqual(counts);
    expect(await readBoth(target.id)).toEqual(target);
  });

  it('answers 401 / UNAUTHENTICATED to every operation without a token', async () => {
    const target = (await rest.create({ ...BASE_BODY, label: 'Anonymous' })).body;
    const counts = await countRows(t);
    // An empty token means "send no Authorization header" (undefined would pick the admin's default).
    const noToken = '';
    const anonymous = [
      () => rest.create(BASE_BODY, noToken),
      () => rest.list('', noToken),
      () => rest.search({ filter: {} }, noToken),
      () => rest.get(target.id, noToken),
      () => rest.update(target.id, { label: 'x' }, noToken),
      () => rest.delete(target.id, noToken),
      () => rest.test(target.id, noToken),
      () => rest.rotate(target.id, { secret: 'x' }, noToken),
    ];
    for (const call of anonymous) {
      const response = await call();
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe('UNAUTHENTICATED');
    }
    const graphQLCalls = [
      () => gql.create(BASE_BODY, noToken),
      () => gql.get(target.id, noToken),
      () => gql.list(null, null, noToken),
      () => gql.search({}, null, null, noToken),
      () => gql.update(target.id, { label: 'x' }, noToken),
      () => gql.delete(target.id, noToken),
      () => gql.test(target.id, noToken),
      () => gql.rotate(target.id, { secret: 'x' }, noToken),
    ];
    for (const call of graphQLCalls) expect((await graphqlFailure(call())).code).toBe('UNAUTHENTICATED');
    expect(await countRows(t)).toEqual(counts);
  });

  // --- delete and the audit trail -------------------------------------------------------------

  it('deletes over both interfaces: gone from get, list and search, secret destroyed, audit events kept', async () => {
    const { a, b } = await createTwins({ ...BASE_BODY, host: 'delete-me.example.com', label: 'Delete me' });
    expect((await rest.update(a.id, { label: 'Delete me too' })).status).toBe(200);
    await gql.update(b.id, { label: 'Delete me too' });
    expect((await rest.rotate(a.id, { secret: 'rotated before delete' })).status).toBe(200);
    await gql.rotate(b.id, { secret: 'rotated before delete' });
    expect(await secretRow(a.id)).not.toBeNull();
    expect(await secretRow(b.id)).not.toBeNull();

    const deleted = await rest.delete(a.id);
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeNull();
    expect(await secretRow(a.id)).toBeNull();
    expect(await gql.delete(b.id)).toBe(true);
    expect(await secretRow(b.id)).toBeNull();

    for (const id of [a.id, b.id]) {
      expect((await rest.get(id)).status).toBe(404);
      expect(await gql.get(id)).toBeNull();
      expect((await rest.delete(id)).status).toBe(404);
      expect((await graphqlFailure(gql.delete(id))).code).toBe('NOT_FOUND');
      expect((await rest.update(id, { label: 'x' })).status).toBe(404);
      expect((await rest.rotate(id, { secret: 'x' })).status).toBe(404);
      expect((await rest.test(id)).status).toBe(404);
    }
    const listed = (await listAllRest()).map((c) => c.id);
    expect(listed).not.toContain(a.id);
    expect(listed).not.toContain(b.id);
    const graphQLListed = (await gql.list(200, null)).edges.map((e) => e.node.id);
    expect(graphQLListed).not.toContain(a.id);
    expect(graphQLListed).not.toContain(b.id);
    expect((await rest.search({ filter: { host: 'delete-me.example.com' } })).body.data).toEqual([]);
    expect((await gql.search({ hostContains: 'delete-me' })).edges).toEqual([]);

    // The audit trail of each deleted credential remains, over both interfaces alike.
    const audit = await t.rest('GET', `/api/accounts/${admin.accountId}/audit-events?limit=200`, { token: admin.token });
    expect(audit.status).toBe(200);
    const graphQLAudit = await t.graphql(admin.token).request(AuditEventsDocument, { accountId: admin.accountId, first: 200 });
    expect(graphQLAudit.auditEvents.edges.map((edge) => snakeKeysDeep(edge.node))).toEqual(audit.body.data);
    for (const id of [a.id, b.id]) {
      const trail = (audit.body.data as Json[]).filter((event) => event.target_id === id).reverse();
      expect(trail.map((event) => event.action)).toEqual(['credential.created', 'credential.updated', 'credential.rotated', 'credential.deleted']);
      for (const event of trail) {
        expect(event).toMatchObject({ account_id: admin.accountId, actor_user_id: admin.userId, target_id: id, request_id: expect.any(String), id: expect.stringMatching(/^evt_/) });
      }
      expect(trail[0]!.details).toMatchObject({ provider_kind: 'imap', host: 'delete-me.example.com', port: 993 });
      expect(trail[1]!.details).toMatchObject({ fields: 'label', last_test_cleared: false });
      expect(trail[2]!.details).toMatchObject({ from: 1, to: 2 });
    }
  });
});

/** Audit events over GraphQL carry camelCase keys, details included; REST converts them all. */
function snakeKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeKeysDeep);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [snakeCase(key), snakeKeysDeep(item)]));
}
