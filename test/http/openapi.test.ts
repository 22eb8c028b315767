// The OpenAPI document of the REST adapter: served at /api/openapi.json, valid OpenAPI 3.1,
// one operation per route-table row, request schemas that say what the services accept, and
// examples that are true: every documented request example is sent to the real server and
// every real answer is checked against the documented schema of its status.
import { createServer, type AddressInfo } from 'node:net';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApiDocument, errorStatusesOf, pathParameterNames, routeDocOf, toOpenApiPath } from '../../src/http/rest/openapi.js';
import { ROUTE_DOCS, type ExampleExchange } from '../../src/http/rest/openapi-routes.js';
import { REST_ROUTES, type RestRoute } from '../../src/http/rest/route-table.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { signUpUser, type SignedUpUser } from '../support/users.js';

type Json = Record<string, any>;

/** Success examples this test cannot reach: they need a mail server that accepts the login. */
const NEEDS_A_MAIL_SERVER = new Set(['providerCredentialMailboxes 200', 'sendTestMessage 200']);
/**
 * What the fixtures of this test make a route answer when it is not the documented pairing:
 * the mail-access routes refuse a credential without a passing test.
 */
const ANSWER_HERE: Record<string, number> = { providerCredentialMailboxes: 409, 'sendTestMessage send': 409 };

let t: TestApp;
let served: { status: number; contentType: string | null; document: Json };

beforeAll(async () => {
  t = await startTestApp('sqlite', { CONNECTIVITY_ALLOWED_HOSTS: '127.0.0.1' });
  const response = await fetch(`${t.baseUrl}/api/openapi.json`);
  served = { status: response.status, contentType: response.headers.get('content-type'), document: (await response.json()) as Json };
});

afterAll(async () => {
  await t?.close();
});

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

const operationOf = (route: RestRoute): Json => served.document.paths[toOpenApiPath(route.path)]?.[route.method.toLowerCase()];

/** ajv (draft 2020-12) over the document's component schemas, refs rewritten to $defs. */
function schemaValidator(document: Json): (ref: Json) => ValidateFunction {
  const ajv = new Ajv2020({ strict: true, strictTypes: false, allErrors: true });
  (addFormats as unknown as (ajv: Ajv2020) => void)(ajv);
  const rewrite = (value: unknown): unknown => JSON.parse(JSON.stringify(value).replaceAll('"#/components/schemas/', '"components.json#/$defs/'));
  ajv.addSchema({ $id: 'components.json', $defs: rewrite(document.components.schemas) as Json });
  const compiled = new Map<string, ValidateFunction>();
  return (ref) => {
    const key = JSON.stringify(ref);
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile(rewrite(ref) as Json);
      compiled.set(key, validate);
    }
    return validate;
  };
}

function expectValid(validate: ValidateFunction, value: unknown, what: string): void {
  const ok = validate(value);
  expect(ok ? [] : validate.errors?.map((error) => `${error.instancePath} ${error.message} ${JSON.stringify(error.params)}`), `${what}: ${JSON.stringify(value)}`).toEqual([]);
}

/** Every object schema reachable in a schema (through properties, items, anyOf, …). */
function objectSchemas(schema: unknown, found: Json[] = []): Json[] {
  if (Array.isArray(schema)) schema.forEach((item) => objectSchemas(item, found));
  else if (schema && typeof schema === 'object') {
    if ((schema as Json).type === 'object') found.push(schema as Json);
    Object.values(schema).forEach((value) => objectSchemas(value, found));
  }
  return found;
}

async function closedLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// ---------------------------------------------------------------------------------------
// The document
// ---------------------------------------------------------------------------------------

describe('GET /api/openapi.json', () => {
  it('is public JSON', () => {
    expect(served.status).toBe(200);
    expect(served.contentType).toMatch(/^application\/json/);
    expect(served.document.openapi).toBe('3.1.0');
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(served.document));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('is the document the route table generates', () => {
    expect(served.document).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument())));
  });
});

describe('one operation per route-table row', () => {
  it('every row has an entry in openapi-routes.ts and every entry a row', () => {
    const rows = REST_ROUTES.map((route) => route.graphql).sort();
    expect(Object.keys(ROUTE_DOCS).sort()).toEqual(rows);
    for (const route of REST_ROUTES) expect(() => routeDocOf(route), `${route.method} ${route.path}`).not.toThrow();
  });

  it.each(REST_ROUTES.map((route) => [`${route.method} ${route.path}`, route] as const))('%s', (_name, route) => {
    const operation = operationOf(route);
    expect(operation, 'operation').toBeDefined();
    expect(operation.operationId).toBe(route.graphql);
    expect(operation.summary).toBe(route.summary);
    expect(Object.keys(operation.responses)).toContain(String(route.status));
    // Bearer everywhere (the document default) except the public routes.
    if (route.public) expect(operation.security).toEqual([]);
    else expect(operation.security).toBeUndefined();
    expect(served.document.security).toEqual([{ bearer: [] }]);

    const parameters: Json[] = operation.parameters ?? [];
    expect(parameters.filter((p) => p.in === 'path').map((p) => p.name)).toEqual(pathParameterNames(route.path));
    const doc = ROUTE_DOCS[route.graphql]!;
    expect(parameters.filter((p) => p.in === 'query').map((p) => p.name)).toEqual(doc.paged ? ['limit', 'cursor'] : []);

    // Every error status answers with the error envelope.
    const errors = errorStatusesOf(route, doc);
    expect(errors).toEqual(expect.arrayContaining([500, 503]));
    if (!route.public) expect(errors).toContain(401);
    for (const status of errors) {
      expect(operation.responses[String(status)].content['application/json'].schema).toEqual({ $ref: `#/components/schemas/Error${status}` });
    }
    if (route.status === 204) expect(operation.responses['204'].content).toBeUndefined();
    expect(Boolean(operation.requestBody)).toBe(Boolean(doc.body));
  });

  it('lists the error statuses of the contract where they apply', () => {
    const statuses = (graphql: string) => Object.keys(operationOf(REST_ROUTES.find((route) => route.graphql === graphql)!).responses).map(Number);
    expect(statuses('createProviderCredential')).toEqual([201, 400, 401, 403, 404, 413, 415, 422, 429, 500, 503]);
    expect(statuses('rotateProviderCredential')).toEqual([200, 400, 401, 403, 404, 409, 413, 415, 422, 429, 500, 503]);
    expect(statuses('signIn')).toEqual([200, 400, 401, 413, 415, 429, 500, 503]);
    expect(statuses('providerCredentials')).toEqual([200, 400, 401, 404, 500, 503]);
    expect(operationOf(REST_ROUTES.find((route) => route.graphql === 'signIn')!).responses['429'].headers['Retry-After']).toBeDefined();
  });
});

describe('request schemas', () => {
  const bodies = () =>
    REST_ROUTES.filter((route) => ROUTE_DOCS[route.graphql]?.body).map((route) => {
      const ref: string = operationOf(route).requestBody.content['application/json'].schema.$ref;
      return [route.graphql, served.document.components.schemas[ref.split('/').pop()!]] as const;
    });

  it('are closed (additionalProperties: false), snake_case and say something about every field', () => {
    for (const [name, schema] of bodies()) {
      const objects = objectSchemas(schema);
      expect(objects.length, name).toBeGreaterThan(0);
      for (const object of objects) {
        expect(object.additionalProperties, `${name}: ${JSON.stringify(object)}`).toBe(false);
        for (const [field, fieldSchema] of Object.entries<Json>(object.properties ?? {})) {
          expect(field, name).toMatch(/^[a-z0-9_]+$/);
          // `{}` would mean "anything": a rule that JSON Schema could not see.
          expect(Object.keys(fieldSchema).length, `${name}.${field}`).toBeGreaterThan(0);
          for (const branch of fieldSchema.anyOf ?? []) expect(Object.keys(branch).length, `${name}.${field}`).toBeGreaterThan(0);
        }
      }
    }
  });

  it('are converted from the services\' zod schemas', () => {
    const schemas = served.document.components.schemas;
    expect(schemas.CreateProviderCredentialInput.required).toEqual(['provider_kind', 'host', 'port', 'security_mode', 'auth_kind', 'username', 'secret']);
    expect(schemas.CreateProviderCredentialInput.properties.port).toMatchObject({ type: 'integer', minimum: 1, maximum: 65535 });
    expect(schemas.UpdateProviderCredentialInput.properties.secret).toMatchObject({ not: {} });
    expect(schemas.SignUpInput.required).toEqual(['email', 'password', 'account_name']);
    expect(Object.keys(schemas.SearchProviderCredentialsInput.properties.filter.anyOf[0].properties)).toEqual([
      'provider_kind', 'security_mode', 'auth_kind', 'host', 'host_contains', 'label_contains', 'last_test_status', 'created_after', 'created_before',
    ]);
  });

  it('describe the credential payload key for key', () => {
    const credential = served.document.components.schemas.ProviderCredential;
    const keys = ['id', 'account_id', 'provider_kind', 'host', 'port', 'security_mode', 'auth_kind', 'username_masked', 'label', 'secret_version', 'last_rotated_at', 'last_test', 'created_at', 'updated_at'];
    expect(Object.keys(credential.properties)).toEqual(keys);
    expect(credential.required).toEqual(keys);
    expect(credential.additionalProperties).toBe(false);
  });
});

describe('examples', () => {
  it('every documented example matches its own schema (a request example that answers 400 breaks it)', () => {
    const validatorFor = schemaValidator(served.document);
    let count = 0;
    for (const [path, methods] of Object.entries<Json>(served.document.paths)) {
      for (const [method, operation] of Object.entries<Json>(methods)) {
        const body = operation.requestBody?.content?.['application/json'];
        for (const [name, example] of Object.entries<Json>(body?.examples ?? {})) {
          const what = `${method} ${path} request ${name}`;
          if (operation.responses['400']?.content['application/json'].examples[name]) {
            // The schema alone already refuses what the server refuses.
            expect(validatorFor(body.schema)(example.value), what).toBe(false);
          } else {
            expectValid(validatorFor(body.schema), example.value, what);
          }
          count += 1;
        }
        for (const [status, response] of Object.entries<Json>(operation.responses)) {
          const content = response.content?.['application/json'];
          if (!content) continue;
          if (path !== '/api/openapi.json') expect(Object.keys(content.examples ?? {}).length, `${method} ${path} ${status}`).toBeGreaterThan(0);
          for (const [name, example] of Object.entries<Json>(content.examples ?? {})) {
            expectValid(validatorFor(content.schema), example.value, `${method} ${path} ${status} ${name}`);
            count += 1;
          }
        }
      }
    }
    expect(count).toBeGreaterThan(REST_ROUTES.length);
  });

  it('every request example sent to the real server gets the documented answer', async () => {
    const validatorFor = schemaValidator(served.document);
    const seen = new Set<string>();

    // Fixtures: a colleague to add as a member, an outsider, and (once signed up) two
    // credentials on a loopback port nobody listens on, so a test is refused at once.
    const colleague = await t.rest('POST', '/api/auth/sign-up', { body: { email: 'colleague@example.com', password: 'another long passphrase', account_name: 'Colleague' } });
    expect(colleague.status).toBe(201);
    const outsider: SignedUpUser = await signUpUser(t, 'outsider');
    const ctx: { token?: string; accountId?: string; imapId?: string; smtpId?: string } = {};

    const paramsFor = (route: RestRoute): Record<string, string> => ({
      account_id: ctx.accountId!,
      id: route.graphql === 'sendTestMessage' ? ctx.smtpId! : ctx.imapId!,
      user_id: colleague.body.user.id,
    });
    const urlFor = (route: RestRoute, params: Record<string, string>) => {
      const path = route.path.replace(/:([a-z_]+)/g, (_, name: string) => encodeURIComponent(params[name] ?? `missing-${name}`));
      const query = (operationOf(route).parameters ?? []).filter((p: Json) => p.in === 'query' && p.example !== undefined);
      return query.length ? `${path}?${query.map((p: Json) => `${p.name}=${encodeURIComponent(p.example)}`).join('&')}` : path;
    };
    const check = (route: RestRoute, label: string, response: { status: number; body: unknown }) => {
      const documented = operationOf(route).responses[String(response.status)];
      expect(documented, `${label}: HTTP ${response.status} is not documented; body ${JSON.stringify(response.body)}`).toBeDefined();
      const schema = documented.content?.['application/json']?.schema;
      if (schema) expectValid(validatorFor(schema), response.body, `${label} → ${response.status}`);
      else expect(response.body, label).toBeNull();
      seen.add(`${route.graphql} ${response.status}`);
    };
    const createLoopbackCredentials = async () => {
      const port = await closedLoopbackPort();
      for (const [kind, key] of [['imap', 'imapId'], ['smtp', 'smtpId']] as const) {
        const body = { provider_kind: kind, host: '127.0.0.1', port, security_mode: 'ssl_tls', auth_kind: 'password', username: 'user@example.com', secret: 'app-password-1', label: `loopback ${kind}` };
        const created = await t.rest('POST', `/api/accounts/${ctx.accountId}/provider-credentials`, { token: ctx.token, body });
        expect(created.status, JSON.stringify(created.body)).toBe(201);
        ctx[key] = created.body.id;
      }
    };

    // Public routes first (sign-up gives the token everything else uses), destructive last.
    const rank = (route: RestRoute) => (route.public ? 0 : route.graphql === 'signOut' ? 3 : route.method === 'DELETE' ? 2 : 1);
    const ordered = [...REST_ROUTES].sort((a, b) => rank(a) - rank(b));

    let checkedAnonymousAndOutsider = false;
    for (const route of ordered) {
      if (!route.public && !checkedAnonymousAndOutsider) {
        checkedAnonymousAndOutsider = true;
        await createLoopbackCredentials();
        // Without a token every non-public route is 401; an outsider gets 404 for another account's objects.
        for (const other of REST_ROUTES.filter((r) => !r.public)) {
          const success = Object.values(ROUTE_DOCS[other.graphql]!.examples).find((example) => example.status === other.status)!;
          const url = urlFor(other, paramsFor(other));
          check(other, `${other.method} ${other.path} without a token`, await t.rest(other.method, url, { body: success.request }));
          expect(seen.has(`${other.graphql} 401`), `${other.method} ${other.path} without a token`).toBe(true);
          if (pathParameterNames(other.path).length > 0) {
            const response = await t.rest(other.method, url, { token: outsider.token, body: success.request });
            expect(response.status, `${other.method} ${other.path} as an outsider: ${JSON.stringify(response.body)}`).toBe(404);
            check(other, `${other.method} ${other.path} as an outsider`, response);
          }
        }
      }

      const doc = ROUTE_DOCS[route.graphql]!;
      const exchanges: [string, ExampleExchange][] = Object.entries(doc.examples);
      // Body routes: every request example once. Body-less routes: one call.
      const calls = doc.body ? exchanges.filter(([, exchange]) => exchange.request !== undefined) : [exchanges.find(([, exchange]) => exchange.status === route.status)!];
      for (const [name, exchange] of calls) {
        const label = `${route.method} ${route.path} example ${name}`;
        const response = await t.rest(route.method, urlFor(route, paramsFor(route)), { token: route.public ? undefined : ctx.token, body: exchange.request });
        const expected = ANSWER_HERE[`${route.graphql} ${name}`] ?? ANSWER_HERE[route.graphql] ?? exchange.status;
        expect(response.status, `${label}: ${JSON.stringify(response.body)}`).toBe(expected);
        check(route, label, response);
        if (route.graphql === 'signUp' && response.status === 201) {
          ctx.token = response.body.token;
          ctx.accountId = response.body.account.id;
        }
        if (route.graphql === 'testProviderCredential') {
          // The result is now the credential's last_test (without `server`): the payload still matches.
          const get = REST_ROUTES.find((other) => other.graphql === 'providerCredential')!;
          const credential = await t.rest('GET', urlFor(get, paramsFor(get)), { token: ctx.token });
          expect(credential.body.last_test).toMatchObject({ ok: false, stage: 'connect', error: { code: 'CONNECTION_REFUSED' } });
          check(get, 'GET /api/provider-credentials/:id after a test', credential);
        }
      }
    }

    // Every documented exchange was met for real (apart from those that need a mail server).
    const missed = REST_ROUTES.flatMap((route) =>
      Object.values(ROUTE_DOCS[route.graphql]!.examples)
        .map((exchange) => `${route.graphql} ${exchange.status}`)
        .filter((key) => !seen.has(key) && !NEEDS_A_MAIL_SERVER.has(key)),
    );
    expect(missed).toEqual([]);

    // The sign-out example really revoked the token.
    expect((await t.rest('GET', '/api/me', { token: ctx.token })).status).toBe(401);
  });
});
