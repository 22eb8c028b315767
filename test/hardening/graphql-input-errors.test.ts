// GraphQL's own input errors must name the field and never quote the value: it may be a secret.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { signUpUser, type SignedUpUser } from '../support/users.js';

const CANARY = 'canary-secret-7731';
const CREATE = 'mutation($accountId: ID!, $input: CreateProviderCredentialInput!) { createProviderCredential(accountId: $accountId, input: $input) { id } }';

describe('GraphQL input errors', () => {
  let t: TestApp;
  let admin: SignedUpUser;
  beforeAll(async () => {
    t = await startTestApp('sqlite');
    admin = await signUpUser(t);
  });
  afterAll(async () => t?.close());

  const valid = { providerKind: 'IMAP', host: 'imap.example.com', port: 993, securityMode: 'SSL_TLS', authKind: 'PASSWORD', username: `${CANARY}@example.com`, secret: CANARY };

  it.each([
    ['a missing field', { ...valid, port: undefined }, 'port', /was not provided/],
    ['an unknown field', { ...valid, colour: 'blue' }, 'colour', /not defined/],
    ['a wrong type', { ...valid, port: 'nine' }, 'port', /Int cannot represent/],
    ['a secret of the wrong type', { ...valid, secret: 123456789 }, 'secret', /String cannot represent/],
    ['an unknown enum value', { ...valid, providerKind: 'POP3' }, 'providerKind', /not one of the ProviderKind enum values/],
  ])('answers %s with VALIDATION_FAILED naming the field, without echoing any value', async (_name, input, field, rule) => {
    const response = await t.rest('POST', '/graphql', { token: admin.token, body: { query: CREATE, variables: { accountId: admin.accountId, input } } });
    expect(response.status).toBe(400);
    const [error] = response.body.errors;
    expect(error.extensions).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field, message: expect.stringMatching(rule) }] });
    const text = JSON.stringify(response.body);
    for (const leaked of [CANARY, '123456789', 'nine', 'POP3', 'blue']) expect(text).not.toContain(leaked);
    expect(t.logs.join('')).not.toContain(CANARY);
  });

  it('does not echo inline literal values either', async () => {
    const query = `mutation { createProviderCredential(accountId: "${admin.accountId}", input: { providerKind: IMAP, host: "h.example.com", port: 993, securityMode: SSL_TLS, authKind: PASSWORD, username: "u", secret: 987654321 }) { id } }`;
    const response = await t.rest('POST', '/graphql', { token: admin.token, body: { query } });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).not.toContain('987654321');
  });
});
