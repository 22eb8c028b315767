import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSessionToken } from '../../src/modules/auth/session-tokens.js';
import { MeDocument, SignInDocument, SignOutDocument, SignUpDocument } from '../gql/graphql.js';
import { graphqlFailure } from '../support/graphql-errors.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { testProviders } from '../support/test-database.js';
import { signUpUser } from '../support/users.js';

describe.each(testProviders())('sign-up, sign-in, sign-out and tokens on %s', (provider) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(provider);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('signs up over REST: 201 with a token, the user and an account it administers', async () => {
    const response = await t.rest('POST', '/api/auth/sign-up', { body: { email: 'Alice@Example.test', password: 'correct horse battery', account_name: 'Alice Inc' } });
    expect(response.status).toBe(201);
    expect(response.body.token).toMatch(/^pct_[A-Za-z0-9_-]{43}$/);
    expect(response.body.user).toMatchObject({ id: expect.stringMatching(/^usr_/), email: 'alice@example.test' });
    expect(response.body.account).toMatchObject({ id: expect.stringMatching(/^acc_/), name: 'Alice Inc' });
    expect(JSON.stringify(response.body)).not.toMatch(/password|hash/i);

    const me = await t.rest('GET', '/api/me', { token: response.body.token });
    expect(me.status).toBe(200);
    expect(me.body.memberships).toEqual([{ role: 'admin', account: expect.objectContaining({ id: response.body.account.id }) }]);
  });

  it('stores the token only as a hash and the password only as an argon2id hash', async () => {
    const user = await signUpUser(t);
    const session = await t.app.services.db.prisma.session.findFirst({ where: { userId: user.userId } });
    expect(session?.tokenHash).toBe(hashSessionToken(user.token));
    expect(session?.tokenHash).not.toContain(user.token);
    const row = await t.app.services.db.prisma.user.findUnique({ where: { id: user.userId } });
    expect(row?.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it('refuses a duplicate email, a short password and unknown fields, naming the field', async () => {
    const user = await signUpUser(t);
    const duplicate = await t.rest('POST', '/api/auth/sign-up', { body: { email: user.email, password: 'another long password', account_name: 'x' } });
    expect(duplicate.status).toBe(409);
    const short = await t.rest('POST', '/api/auth/sign-up', { body: { email: 'short@example.test', password: 'short', account_name: 'x' } });
    expect(short.status).toBe(400);
    expect(short.body.error.details).toEqual([{ field: 'password', message: expect.stringContaining('at least 10') }]);
    const unknown = await t.rest('POST', '/api/auth/sign-up', { body: { email: 'u@example.test', password: 'long enough password', account_name: 'x', role: 'admin' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details).toEqual([{ field: 'role', message: 'is not a known field' }]);
    const missing = await t.rest('POST', '/api/auth/sign-up', { body: { email: 'not-an-email', password: 'long enough password' } });
    expect(missing.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['account_name', 'email']);
  });

  it('signs in with the same 401 message for an unknown email and a wrong password', async () => {
    const user = await signUpUser(t);
    const ok = await t.rest('POST', '/api/auth/sign-in', { body: { email: user.email.toUpperCase(), password: user.password } });
    expect(ok.status).toBe(200);
    expect(ok.body.accounts).toEqual([expect.objectContaining({ id: user.accountId })]);
    const wrongPassword = await t.rest('POST', '/api/auth/sign-in', { body: { email: user.email, password: 'wrong password!' } });
    const unknownEmail = await t.rest('POST', '/api/auth/sign-in', { body: { email: 'nobody@example.test', password: 'wrong password!' } });
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect(wrongPassword.body).toEqual(unknownEmail.body);
    expect(wrongPassword.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('answers 401 for a missing, malformed, unknown, expired or revoked token', async () => {
    const user = await signUpUser(t);
    const statuses = async (headers: Record<string, string>) => (await t.rest('GET', '/api/me', { headers })).status;
    expect(await statuses({})).toBe(401);
    expect(await statuses({ authorization: 'Basic abc' })).toBe(401);
    expect(await statuses({ authorization: 'Bearer not-a-token' })).toBe(401);
    expect(await statuses({ authorization: `Bearer pct_${'A'.repeat(43)}` })).toBe(401);
    expect(await statuses({ authorization: `Bearer ${user.token}` })).toBe(200);

    await t.app.services.db.prisma.session.updateMany({ where: { tokenHash: hashSessionToken(user.token) }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await t.rest('GET', '/api/me', { token: user.token });
    expect(expired.status).toBe(401);
    expect(expired.body.error).toEqual({ code: 'UNAUTHENTICATED', message: expect.stringContaining('expired') });

    const other = await signUpUser(t);
    expect((await t.rest('POST', '/api/auth/sign-out', { token: other.token })).status).toBe(204);
    expect((await t.rest('GET', '/api/me', { token: other.token })).status).toBe(401);
  });

  it('offers the same operations over GraphQL', async () => {
    const client = t.graphql();
    const email = `gql-${Date.now()}@example.test`;
    const signedUp = await client.request(SignUpDocument, { input: { email, password: 'graphql password 1', accountName: 'GQL' } });
    expect(signedUp.signUp.account?.name).toBe('GQL');
    const signedIn = await client.request(SignInDocument, { input: { email, password: 'graphql password 1' } });
    expect(signedIn.signIn.accounts.map((a) => a.id)).toEqual([signedUp.signUp.account?.id]);

    const me = await t.graphql(signedIn.signIn.token).request(MeDocument);
    expect(me.me).toMatchObject({ email, memberships: [{ role: 'ADMIN', account: { name: 'GQL' } }] });

    expect(await t.graphql(signedIn.signIn.token).request(SignOutDocument)).toEqual({ signOut: true });
    const afterSignOut = await graphqlFailure(t.graphql(signedIn.signIn.token).request(MeDocument));
    expect(afterSignOut.code).toBe('UNAUTHENTICATED');
    expect((await graphqlFailure(t.graphql().request(MeDocument))).code).toBe('UNAUTHENTICATED');
    const wrong = await graphqlFailure(client.request(SignInDocument, { input: { email, password: 'nope nope nope' } }));
    expect(wrong).toMatchObject({ code: 'UNAUTHENTICATED', message: 'The email or password is incorrect.' });
  });
});

describe('sign-up disabled by configuration', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sqlite', { ALLOW_SIGNUP: 'false' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses sign-up with 403 and writes nothing', async () => {
    const response = await t.rest('POST', '/api/auth/sign-up', { body: { email: 'x@example.test', password: 'long enough password', account_name: 'x' } });
    expect(response.status).toBe(403);
    expect(await t.app.services.db.prisma.user.count()).toBe(0);
  });
});
