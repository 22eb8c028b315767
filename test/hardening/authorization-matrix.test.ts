// Every REST route × every kind of caller, generated from the route table and the policy
// table: a new route (or a changed policy) is covered without touching this file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REST_ROUTES, type RestRoute } from '../../src/http/rest/route-table.js';
import { ROUTE_DOCS } from '../../src/http/rest/openapi-routes.js';
import { POLICY } from '../../src/modules/auth/policy.js';
import { hashSessionToken, newSessionToken } from '../../src/modules/auth/session-tokens.js';
import { newId } from '../../src/shared/ids.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { testProviders } from '../support/test-database.js';
import { addMember, signUpUser, type SignedUpUser } from '../support/users.js';

const CALLERS = ['no token', 'malformed token', 'expired token', 'revoked token', 'other account', 'member', 'admin'] as const;
type Caller = (typeof CALLERS)[number];

const guarded = REST_ROUTES.filter((route) => !route.public);
const scoped = (route: RestRoute) => route.path.includes(':account_id') || route.path.includes(':id');

/** What the policy table says this caller gets from this route. */
function expectedOutcome(route: RestRoute, caller: Caller): 'unauthenticated' | 'not found' | 'forbidden' | 'allowed' {
  if (caller === 'no token' || caller === 'malformed token' || caller === 'expired token' || caller === 'revoked token') return 'unauthenticated';
  if (caller === 'other account') return scoped(route) ? 'not found' : 'allowed';
  if (caller === 'member' && route.action && POLICY[route.action] === 'admin') return 'forbidden';
  return 'allowed';
}

const OUTCOME_STATUS = { unauthenticated: 401, 'not found': 404, forbidden: 403 } as const;

describe.each(testProviders())('authorization matrix on %s', (provider) => {
  let t: TestApp;
  let admin: SignedUpUser;
  let member: SignedUpUser;
  let outsider: SignedUpUser;

  beforeAll(async () => {
    t = await startTestApp(provider, { TEST_RATE_LIMIT_PER_ACCOUNT: '10000/60' });
    admin = await signUpUser(t, 'admin');
    member = await signUpUser(t, 'member');
    outsider = await signUpUser(t, 'outsider');
    await addMember(t, admin, admin.accountId, member, 'member');
  });
  afterAll(async () => t?.close());

  /** A fresh session for the user (sign-out in one case must not end the others). */
  async function issueToken(userId: string, state: 'valid' | 'expired' | 'revoked' = 'valid'): Promise<string> {
    const token = newSessionToken();
    await t.app.services.db.prisma.session.create({
      data: {
        id: newId('session'),
        userId,
        tokenHash: hashSessionToken(token),
        expiresAt: new Date(Date.now() + (state === 'expired' ? -1000 : 3_600_000)),
        revokedAt: state === 'revoked' ? new Date() : null,
      },
    });
    return token;
  }

  async function authorizationFor(caller: Caller): Promise<string | undefined> {
    switch (caller) {
      case 'no token':
        return undefined;
      case 'malformed token':
        return 'Bearer not-a-token';
      case 'expired token':
        return `Bearer ${await issueToken(admin.userId, 'expired')}`;
      case 'revoked token':
        return `Bearer ${await issueToken(admin.userId, 'revoked')}`;
      case 'other account':
        return `Bearer ${await issueToken(outsider.userId)}`;
      case 'member':
        return `Bearer ${await issueToken(member.userId)}`;
      case 'admin':
        return `Bearer ${await issueToken(admin.userId)}`;
    }
  }

  /** Fresh objects for one call: a credential, a removable member, a user to add. */
  async function requestFor(route: RestRoute): Promise<{ path: string; body?: unknown }> {
    const credential = await t.rest('POST', `/api/accounts/${admin.accountId}/provider-credentials`, {
      token: admin.token,
      body: { provider_kind: 'smtp', host: 'smtp.example.com', port: 587, security_mode: 'starttls', auth_kind: 'password', username: 'u@example.com', secret: 'matrix-secret' },
    });
    const removable = await signUpUser(t, 'removable');
    await addMember(t, admin, admin.accountId, removable, 'member');
    const path = route.path
      .replace(':account_id', admin.accountId)
      .replace(':id', credential.body.id)
      .replace(':user_id', removable.userId);
    const example = Object.values(ROUTE_DOCS[route.graphql]?.examples ?? {}).find((candidate) => candidate.status === route.status && candidate.request !== undefined);
    let body = example?.request;
    if (route.graphql === 'putAccountMember') body = { ...(body as object), email: (await signUpUser(t, 'newcomer')).email };
    return { path, body };
  }

  const cases = guarded.flatMap((route) => CALLERS.map((caller) => [`${route.method} ${route.path}`, caller, route] as const));

  it.each(cases)('%s as %s', async (_name, caller, route) => {
    const { path, body } = await requestFor(route);
    const authorization = await authorizationFor(caller);
    const response = await t.rest(route.method, path, { body, headers: authorization ? { authorization } : {} });
    const outcome = expectedOutcome(route, caller);
    if (outcome === 'allowed') {
      expect([401, 403, 404], JSON.stringify(response.body)).not.toContain(response.status);
      expect(response.status).toBeLessThan(500);
    } else {
      expect(response.status, JSON.stringify(response.body)).toBe(OUTCOME_STATUS[outcome]);
      expect(response.body.error.code).toBe(outcome === 'unauthenticated' ? 'UNAUTHENTICATED' : outcome === 'forbidden' ? 'FORBIDDEN' : 'NOT_FOUND');
    }
  });

  it('covers every guarded route and gives every route with a policy action an action the policy table knows', () => {
    expect(cases.length).toBe(guarded.length * CALLERS.length);
    for (const route of guarded) if (route.action) expect(POLICY).toHaveProperty(route.action);
  });
});
