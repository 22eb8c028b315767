import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ALIASES, MAX_COST, MAX_DEPTH } from '../../src/graphql/query-limits.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { signUpUser, type SignedUpUser } from '../support/users.js';

describe('GraphQL depth, alias and cost limits', () => {
  let t: TestApp;
  let user: SignedUpUser;
  beforeAll(async () => {
    t = await startTestApp('sqlite');
    user = await signUpUser(t);
  });
  afterAll(async () => t?.close());

  const post = (query: string) => t.rest('POST', '/graphql', { token: user.token, body: { query } });

  it('refuses a query deeper than the limit with a 400 and a clear message', async () => {
    // account → providerCredentials → edges → node → account → … nests without end.
    let selection = 'id';
    for (let level = 0; level < 4; level++) selection = `providerCredentials(first: 1) { edges { node { account { ${selection} } } } }`;
    const response = await post(`{ me { memberships { account { ${selection} } } } }`);
    expect(response.status).toBe(400);
    expect(response.body.errors[0].message).toContain(`depth limit of ${MAX_DEPTH}`);
    expect(response.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses alias flooding', async () => {
    const aliases = Array.from({ length: MAX_ALIASES + 5 }, (_, i) => `a${i}: health { status }`).join(' ');
    const response = await post(`{ ${aliases} }`);
    expect(response.status).toBe(400);
    expect(response.body.errors[0].message).toMatch(/Aliases limit/i);
  });

  it('refuses an operation whose page sizes multiply past the cost limit, before running it', async () => {
    const page = (alias: string) => `${alias}: providerCredentials(first: 200) { edges { cursor node { id host port label createdAt updatedAt usernameMasked account { id name } } } }`;
    const response = await post(`{ me { memberships { account { ${['a', 'b', 'c', 'd', 'e', 'f'].map(page).join(' ')} } } } }`);
    expect(response.status).toBe(400);
    expect(response.body.errors[0]).toMatchObject({ extensions: { code: 'QUERY_TOO_COMPLEX' }, message: expect.stringContaining(`limit of ${MAX_COST}`) });
  });

  it('lets ordinary queries and introspection through', async () => {
    expect((await post('{ me { memberships { account { providerCredentials(first: 50) { edges { node { id host } } } } } } }')).status).toBe(200);
    const introspection = await post('{ __schema { types { name fields { name type { name ofType { name ofType { name } } } } } } }');
    expect(introspection.status).toBe(200);
  });
});
