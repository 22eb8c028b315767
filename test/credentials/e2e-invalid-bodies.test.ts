// Replays the shared table of invalid request bodies (invalid-bodies.ts) end to end, over REST
// (snake_case keys; error fields named in snake_case by the REST adapter) and over GraphQL
// (typed documents with variables). Every case must be refused with VALIDATION_FAILED naming
// the field, never with a 5xx, and must write nothing: no credential, secret, audit event or
// test row, and the target of an update or rotation is left exactly as it was.
//
// Over GraphQL a case falls in one of three groups, decided here with graphql-js's own input
// coercion against the server's schema (and checked against what the server answers):
// - "GraphQL rejects": the variable does not fit the input type (wrong scalar type, unknown
//   field, missing required field, null for a non-null field, value outside an enum). GraphQL
//   refuses it before any resolver runs: VALIDATION_FAILED (Apollo's BAD_USER_INPUT, renamed)
//   whose message names the field; there are no `details`.
// - "service rejects": the variable fits the types and the service's rules refuse it, with the
//   same VALIDATION_FAILED details as REST, in camelCase.
// - not expressible: the REST body is invalid only because of a spelling that *is* GraphQL's
//   valid spelling (an upper-case enum value such as `IMAP`); there is no invalid GraphQL
//   counterpart, so the case is replayed over REST only.
import { coerceInputValue, getNamedType, GraphQLNonNull, isEnumType, isInputObjectType, type GraphQLInputObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSchema } from '../../src/graphql/schema.js';
import {
  CreateProviderCredentialDocument,
  ProviderCredentialsDocument,
  RotateProviderCredentialDocument,
  SearchProviderCredentialsDocument,
  UpdateProviderCredentialDocument,
  type CreateProviderCredentialInput,
  type ProviderCredentialFilter,
  type RotateProviderCredentialInput,
  type UpdateProviderCredentialInput,
} from '../gql/graphql.js';
import { countRows, graphqlRaw, restFieldName, toRestBody, type RawGraphQLResponse } from '../support/credentials.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { testProviders } from '../support/test-database.js';
import { signUpUser, type SignedUpUser } from '../support/users.js';
import { INVALID_BODIES, VALID_CREATE_BODY, type InvalidBody } from './invalid-bodies.js';

type Json = Record<string, any>;
type Verdict = 'GraphQL rejects' | 'service rejects' | 'not expressible';

// --- classification over GraphQL -------------------------------------------------------------

const schema = await getSchema();
const INPUT_TYPES: Record<InvalidBody['kind'], GraphQLInputObjectType> = {
  create: schema.getType('CreateProviderCredentialInput') as GraphQLInputObjectType,
  update: schema.getType('UpdateProviderCredentialInput') as GraphQLInputObjectType,
  rotate: schema.getType('RotateProviderCredentialInput') as GraphQLInputObjectType,
  search: schema.getType('ProviderCredentialFilter') as GraphQLInputObjectType,
};

/** The body in GraphQL's spelling: enum fields upper-cased, everything else as it is. */
function graphQLBody(c: InvalidBody): Json {
  const fields = INPUT_TYPES[c.kind].getFields();
  return Object.fromEntries(
    Object.entries(c.body).map(([key, value]) => {
      const field = fields[key];
      return [key, field && isEnumType(getNamedType(field.type)) && typeof value === 'string' ? value.toUpperCase() : value];
    }),
  );
}

function verdictOf(c: InvalidBody): Verdict {
  const type = INPUT_TYPES[c.kind];
  const fields = type.getFields();
  for (const [key, value] of Object.entries(c.body)) {
    const field = fields[key];
    const named = field ? getNamedType(field.type) : undefined;
    if (named && isEnumType(named) && typeof value === 'string' && value !== value.toLowerCase() && named.getValues().some((v) => v.name === value.toUpperCase())) {
      return 'not expressible';
    }
  }
  let rejected = false;
  coerceInputValue(graphQLBody(c), new GraphQLNonNull(type), () => {
    rejected = true;
  });
  return rejected ? 'GraphQL rejects' : 'service rejects';
}

const CASES = INVALID_BODIES.map((c) => ({ ...c, verdict: verdictOf(c) }));
const GRAPHQL_CASES = CASES.filter((c) => c.verdict !== 'not expressible');

/** The field's own name, as GraphQL's messages quote it (`filter.createdAfter` → `createdAfter`). */
const leafName = (field: string) => field.split('.').at(-1)!;

describe('the invalid-body table', () => {
  it('has at least 60 cases over each interface, and each input type is a GraphQL input object', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    expect(GRAPHQL_CASES.length).toBeGreaterThanOrEqual(60);
    for (const type of Object.values(INPUT_TYPES)) expect(isInputObjectType(type)).toBe(true);
    const byVerdict = Object.fromEntries((['GraphQL rejects', 'service rejects', 'not expressible'] as const).map((v) => [v, CASES.filter((c) => c.verdict === v).map((c) => c.name)]));
    // Only spelling-only enum cases have no GraphQL counterpart.
    expect(byVerdict['not expressible']).toEqual(['providerKind in upper case', 'securityMode in upper case', 'filter authKind in upper case']);
    expect(byVerdict['GraphQL rejects']!.length).toBeGreaterThan(20);
    expect(byVerdict['service rejects']!.length).toBeGreaterThan(20);
  });
});

describe.each(testProviders())('invalid request bodies end to end on %s', (provider) => {
  let t: TestApp;
  let admin: SignedUpUser;
  let targetId: string;

  beforeAll(async () => {
    t = await startTestApp(provider);
    admin = await signUpUser(t, 'validator');
    const created = await t.rest('POST', `/api/accounts/${admin.accountId}/provider-credentials`, { token: admin.token, body: toRestBody(VALID_CREATE_BODY) });
    if (created.status !== 201) throw new Error(`setup failed: ${JSON.stringify(created.body)}`);
    targetId = created.body.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Everything a refused request must leave untouched. */
  async function snapshot() {
    const prisma = t.app.services.db.prisma;
    return {
      counts: await countRows(t),
      target: await prisma.providerCredential.findUnique({ where: { id: targetId } }),
      targetSecret: await prisma.credentialSecret.findUnique({ where: { credentialId: targetId } }),
    };
  }

  async function expectNothingWritten<T>(work: () => Promise<T>): Promise<T> {
    const before = await snapshot();
    const result = await work();
    expect(await snapshot()).toEqual(before);
    return result;
  }

  const restPaths = () => ({
    create: `/api/accounts/${admin.accountId}/provider-credentials`,
    update: `/api/provider-credentials/${targetId}`,
    rotate: `/api/provider-credentials/${targetId}/rotate`,
    search: `/api/accounts/${admin.accountId}/provider-credentials/search`,
  });
  const METHODS = { create: 'POST', update: 'PATCH', rotate: 'POST', search: 'POST' } as const;

  function sendRest(c: InvalidBody) {
    const body = c.kind === 'search' ? { filter: toRestBody(c.body) } : toRestBody(c.body);
    return t.rest(METHODS[c.kind], restPaths()[c.kind], { token: admin.token, body });
  }

  function sendGraphQL(c: InvalidBody): Promise<RawGraphQLResponse<unknown>> {
    const input = graphQLBody(c);
    switch (c.kind) {
      case 'create':
        return graphqlRaw(t, admin.token, CreateProviderCredentialDocument, { accountId: admin.accountId, input: input as CreateProviderCredentialInput });
      case 'update':
        return graphqlRaw(t, admin.token, UpdateProviderCredentialDocument, { id: targetId, input: input as UpdateProviderCredentialInput });
      case 'rotate':
        return graphqlRaw(t, admin.token, RotateProviderCredentialDocument, { id: targetId, input: input as RotateProviderCredentialInput });
      case 'search':
        return graphqlRaw(t, admin.token, SearchProviderCredentialsDocument, { accountId: admin.accountId, filter: input as ProviderCredentialFilter, first: null, after: null });
    }
  }

  describe('over REST', () => {
    it.each(CASES)('[$kind] $name → 400 naming $field', async (c) => {
      const response = await expectNothingWritten(() => sendRest(c));
      expect(response.status, JSON.stringify(response.body)).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
      const fields = (response.body.error.details as { field: string; message: string }[]).map((d) => d.field);
      expect(fields).toContain(restFieldName(c.field));
      for (const detail of response.body.error.details) expect(detail.message).toEqual(expect.any(String));
      // The REST adapter speaks snake_case in error details as well.
      for (const field of fields) expect(field).not.toMatch(/[A-Z]/);
    });
  });

  describe('over GraphQL', () => {
    it.each(GRAPHQL_CASES)('[$kind] $name → $verdict, naming $field', async (c) => {
      const response = await expectNothingWritten(() => sendGraphQL(c));
      expect(response.status, response.text).toBeLessThan(500);
      expect(response.errors, response.text).toHaveLength(1);
      expect(response.data ?? null).toBeNull();
      const [error] = response.errors!;
      if (c.verdict === 'GraphQL rejects') {
        expect([`VALIDATION_FAILED`, 'GRAPHQL_VALIDATION_FAILED'], response.text).toContain(error!.extensions?.code);
        expect(error!.message).toContain(leafName(c.field));
      } else {
        expect(error!.extensions?.code, response.text).toBe('VALIDATION_FAILED');
        expect((error!.extensions?.details as { field: string }[]).map((d) => d.field)).toContain(c.field);
      }
    });
  });

  describe('malformed requests over REST', () => {
    const KINDS = ['create', 'update', 'rotate', 'search'] as const;
    const raw = (kind: (typeof KINDS)[number], body: string, contentType = 'application/json') =>
      t.rest(METHODS[kind], restPaths()[kind], { token: admin.token, body, headers: { 'content-type': contentType } });

    it.each(KINDS)('%s: malformed JSON → 400 naming body', async (kind) => {
      for (const text of ['{"provider_kind": "imap",', '{provider_kind: imap}', "{'secret': 'x'}", '{"a":1}}']) {
        const response = await expectNothingWritten(() => raw(kind, text));
        expect(response.status).toBe(400);
        expect(response.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'body', message: expect.any(String) }] });
      }
    });

    it.each(KINDS)('%s: a body that is not a JSON object → 400 naming body', async (kind) => {
      for (const text of ['[]', '[{"secret":"x"}]', '"text"', '42', 'true', 'null']) {
        const response = await expectNothingWritten(() => raw(kind, text));
        expect(response.status, text).toBe(400);
        expect(response.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'body', message: expect.any(String) }] });
      }
      const empty = await expectNothingWritten(() => raw(kind, ''));
      expect(empty.status).toBe(400);
      expect(empty.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'body' }] });
    });

    it.each(KINDS)('%s: a content type other than JSON → 415, or 400 for text/plain, never stored', async (kind) => {
      const json = JSON.stringify(kind === 'search' ? { filter: {} } : toRestBody(VALID_CREATE_BODY));
      for (const contentType of ['application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x', 'application/octet-stream']) {
        const response = await expectNothingWritten(() => raw(kind, json, contentType));
        expect(response.status, contentType).toBe(415);
        expect(response.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      }
      // Fastify parses text/plain itself into a string, which is then refused as "not an object".
      const plain = await expectNothingWritten(() => raw(kind, json, 'text/plain'));
      expect(plain.status).toBe(400);
      expect(plain.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'body' }] });
    });

    it.each(KINDS)('%s: a body over 64 KiB → 413', async (kind) => {
      const huge = JSON.stringify({ ...toRestBody(VALID_CREATE_BODY), secret: 's'.repeat(70 * 1024) });
      const response = await expectNothingWritten(() => raw(kind, huge));
      expect(response.status).toBe(413);
      expect(response.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    });
  });

  describe('search envelope, limits and cursors', () => {
    const searchPath = () => restPaths().search;
    const listPath = () => restPaths().create;
    const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
    const BAD_CURSORS = ['garbage', 'not a cursor!', b64({}), b64('[]'), b64(['not a date', 'pc_x']), b64([123, 'pc_x']), b64(['2026-01-01T00:00:00.000Z', 'x'.repeat(65)]), b64(['2026-01-01T00:00:00.000Z']), b64('{"a":')];

    it('refuses an unknown search field, at the top and in the filter', async () => {
      for (const [body, field] of [
        [{ filter: { provider_kind: 'imap', colour: 'blue' } }, 'filter.colour'],
        [{ filter: {}, sort: 'host' }, 'sort'],
        [{ filters: {} }, 'filters'],
      ] as const) {
        const response = await expectNothingWritten(() => t.rest('POST', searchPath(), { token: admin.token, body }));
        expect(response.status, JSON.stringify(body)).toBe(400);
        expect(response.body.error.details.map((d: Json) => d.field)).toContain(field);
      }
    });

    it('refuses a filter that is not an object', async () => {
      for (const filter of ['imap', 42, true, ['imap']]) {
        const response = await expectNothingWritten(() => t.rest('POST', searchPath(), { token: admin.token, body: { filter } }));
        expect(response.status).toBe(400);
        expect(response.body.error.details).toEqual([{ field: 'filter', message: expect.any(String) }]);
      }
    });

    it('refuses a bad limit or cursor on search', async () => {
      for (const limit of [0, 201, -1, 1.5, '10', true, 'all']) {
        const response = await t.rest('POST', searchPath(), { token: admin.token, body: { filter: {}, limit } });
        expect(response.status, String(limit)).toBe(400);
        expect(response.body.error.details).toEqual([{ field: 'limit', message: expect.stringContaining('200') }]);
      }
      for (const cursor of [...BAD_CURSORS, 42, true, {}]) {
        const response = await t.rest('POST', searchPath(), { token: admin.token, body: { filter: {}, cursor } });
        expect(response.status, JSON.stringify(cursor)).toBe(400);
        expect(response.body.error.details).toEqual([{ field: 'cursor', message: expect.any(String) }]);
      }
    });

    it('refuses a bad limit or cursor on list', async () => {
      for (const limit of ['0', '201', '-1', '1.5', 'abc', '', '1e2', '0x10']) {
        const response = await t.rest('GET', `${listPath()}?limit=${encodeURIComponent(limit)}`, { token: admin.token });
        expect(response.status, limit).toBe(400);
        expect(response.body.error.details).toEqual([{ field: 'limit', message: expect.stringContaining('200') }]);
      }
      for (const cursor of BAD_CURSORS) {
        const response = await t.rest('GET', `${listPath()}?cursor=${encodeURIComponent(cursor)}`, { token: admin.token });
        expect(response.status, cursor).toBe(400);
        expect(response.body.error.details).toEqual([{ field: 'cursor', message: expect.any(String) }]);
      }
    });

    it('refuses a bad first or after over GraphQL, naming the argument', async () => {
      for (const first of [0, 201, -1]) {
        for (const call of [
          () => graphqlRaw(t, admin.token, ProviderCredentialsDocument, { accountId: admin.accountId, first, after: null }),
          () => graphqlRaw(t, admin.token, SearchProviderCredentialsDocument, { accountId: admin.accountId, filter: null, first, after: null }),
        ]) {
          const response = await call();
          expect(response.status).toBeLessThan(500);
          expect(response.errors?.[0]?.extensions).toEqual({ code: 'VALIDATION_FAILED', details: [{ field: 'first', message: expect.stringContaining('200') }] });
        }
      }
      for (const after of BAD_CURSORS) {
        const response = await graphqlRaw(t, admin.token, ProviderCredentialsDocument, { accountId: admin.accountId, first: null, after });
        expect(response.errors?.[0]?.extensions).toEqual({ code: 'VALIDATION_FAILED', details: [{ field: 'after', message: expect.any(String) }] });
        const searched = await graphqlRaw(t, admin.token, SearchProviderCredentialsDocument, { accountId: admin.accountId, filter: null, first: null, after });
        expect(searched.errors?.[0]?.extensions).toEqual({ code: 'VALIDATION_FAILED', details: [{ field: 'after', message: expect.any(String) }] });
      }
      // Not an Int at all: GraphQL refuses the variable itself.
      for (const first of [1.5, '10', true]) {
        const response = await graphqlRaw(t, admin.token, ProviderCredentialsDocument, { accountId: admin.accountId, first: first as number, after: null });
        expect(response.status, response.text).toBeLessThan(500);
        expect(response.errors?.[0]?.extensions?.code, response.text).toBe('VALIDATION_FAILED');
        expect(response.errors?.[0]?.message).toContain('first');
      }
    });
  });

  describe('malformed requests over GraphQL', () => {
    const post = (body: string, contentType = 'application/json') => t.rest('POST', '/graphql', { token: admin.token, body, headers: { 'content-type': contentType } });

    it('answers 4xx with a code for malformed JSON, a batch, a huge body and a wrong-typed literal', async () => {
      const malformed = await expectNothingWritten(() => post('{"query": "mutation {'));
      expect(malformed.status).toBe(400);
      expect(malformed.body.errors[0].extensions.code).toBe('VALIDATION_FAILED');

      const batch = await expectNothingWritten(() => post('[]'));
      expect(batch.status).toBe(400);
      expect(batch.body.errors[0].extensions.code).toBe('BAD_REQUEST');

      const huge = await expectNothingWritten(() =>
        post(JSON.stringify({ query: 'mutation($input: RotateProviderCredentialInput!) { rotateProviderCredential(id: "x", input: $input) { id } }', variables: { input: { secret: 's'.repeat(70 * 1024) } } })),
      );
      expect(huge.status).toBe(413);
      expect(huge.body.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');

      // A wrong type written as a literal in the document fails GraphQL validation (not a variable).
      const literal = await expectNothingWritten(() =>
        post(
          JSON.stringify({
            query: `mutation { createProviderCredential(accountId: "${admin.accountId}", input: { providerKind: IMAP, host: "imap.example.com", port: "993", securityMode: SSL_TLS, authKind: PASSWORD, username: "u@example.com", secret: "s" }) { id } }`,
          }),
        ),
      );
      expect(literal.status).toBe(400);
      expect(literal.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      // The rule is named, the value is not quoted (an input value may be a secret).
      expect(literal.body.errors[0].message).toMatch(/Int cannot represent/);
      expect(literal.body.errors[0].message).not.toContain('993');

      const unknownField = await expectNothingWritten(() =>
        post(JSON.stringify({ query: `mutation { updateProviderCredential(id: "${targetId}", input: { label: "x", secret: "new" }) { id } }` })),
      );
      expect(unknownField.status).toBe(400);
      expect(unknownField.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(unknownField.body.errors[0].message).toContain('secret');
    });
  });
});
