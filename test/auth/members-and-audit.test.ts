import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEventsDocument, PutAccountMemberDocument } from '../gql/graphql.js';
import { graphqlFailure } from '../support/graphql-errors.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { testProviders } from '../support/test-database.js';
import { addMember, signUpUser, type SignedUpUser } from '../support/users.js';

describe.each(testProviders())('memberships, roles and the audit log on %s', (provider) => {
  let t: TestApp;
  let admin: SignedUpUser;
  let member: SignedUpUser;
  let outsider: SignedUpUser;
  const passwordsUsed: string[] = [];
  const tokensUsed: string[] = [];

  beforeAll(async () => {
    t = await startTestApp(provider);
    admin = await signUpUser(t, 'admin');
    member = await signUpUser(t, 'member');
    outsider = await signUpUser(t, 'outsider');
    for (const u of [admin, member, outsider]) {
      passwordsUsed.push(u.password);
      tokensUsed.push(u.token);
    }
    await addMember(t, admin, admin.accountId, member, 'member');
  });
  afterAll(async () => {
    await t?.close();
  });

  const listMembers = (token: string | undefined) => t.rest('GET', `/api/accounts/${admin.accountId}/members`, { token });
  const addAs = (token: string | undefined, email: string, role = 'member') => t.rest('POST', `/api/accounts/${admin.accountId}/members`, { token, body: { email, role } });

  it('gives each caller the outcome of the policy table', async () => {
    expect((await listMembers(undefined)).status).toBe(401);
    expect((await listMembers(outsider.token)).status).toBe(404);
    expect((await listMembers(member.token)).status).toBe(200);
    expect((await listMembers(admin.token)).body.data.map((m: { email: string; role: string }) => [m.email, m.role])).toEqual([
      [admin.email, 'admin'],
      [member.email, 'member'],
    ]);

    const newcomer = await signUpUser(t, 'newcomer');
    expect((await addAs(undefined, newcomer.email)).status).toBe(401);
    const asOutsider = await addAs(outsider.token, newcomer.email);
    expect(asOutsider.status).toBe(404);
    expect(asOutsider.body.error.code).toBe('NOT_FOUND');
    const asMember = await addAs(member.token, newcomer.email);
    expect(asMember.status).toBe(403);
    expect(asMember.body.error.code).toBe('FORBIDDEN');
    expect((await addAs(admin.token, newcomer.email)).status).toBe(200);
    expect((await t.rest('DELETE', `/api/accounts/${admin.accountId}/members/${newcomer.userId}`, { token: member.token })).status).toBe(403);
    expect((await t.rest('DELETE', `/api/accounts/${admin.accountId}/members/${newcomer.userId}`, { token: admin.token })).status).toBe(204);
    expect((await t.rest('DELETE', `/api/accounts/${admin.accountId}/members/${newcomer.userId}`, { token: admin.token })).status).toBe(404);
  });

  it('never removes or demotes the last admin', async () => {
    const removeSelf = await t.rest('DELETE', `/api/accounts/${admin.accountId}/members/${admin.userId}`, { token: admin.token });
    expect(removeSelf.status).toBe(409);
    const demote = await addAs(admin.token, admin.email, 'member');
    expect(demote.status).toBe(409);
    expect((await listMembers(admin.token)).body.data.find((m: { email: string }) => m.email === admin.email).role).toBe('admin');
  });

  it('refuses an unknown user and a bad role, naming the field', async () => {
    const unknown = await addAs(admin.token, 'ghost@example.test');
    expect(unknown.status).toBe(404);
    const badRole = await addAs(admin.token, member.email, 'owner');
    expect(badRole.status).toBe(400);
    expect(badRole.body.error.details).toEqual([{ field: 'role', message: 'must be admin or member' }]);
  });

  it('records membership changes and failed sign-ins, newest first, for admins only', async () => {
    const wrong = await t.rest('POST', '/api/auth/sign-in', { body: { email: admin.email, password: 'definitely-wrong-password' } });
    expect(wrong.status).toBe(401);
    passwordsUsed.push('definitely-wrong-password');

    expect((await t.rest('GET', `/api/accounts/${admin.accountId}/audit-events`, { token: member.token })).status).toBe(403);
    expect((await t.rest('GET', `/api/accounts/${admin.accountId}/audit-events`, { token: outsider.token })).status).toBe(404);
    const events = await t.rest('GET', `/api/accounts/${admin.accountId}/audit-events?limit=200`, { token: admin.token });
    expect(events.status).toBe(200);
    const actions = events.body.data.map((e: { action: string }) => e.action);
    expect(actions[0]).toBe('auth.sign_in_failed');
    expect(actions).toEqual(expect.arrayContaining(['member.added', 'member.removed']));
    const added = events.body.data.find((e: { action: string; target_id: string }) => e.action === 'member.added' && e.target_id === member.userId);
    expect(added).toMatchObject({ actor_user_id: admin.userId, account_id: admin.accountId, details: { role: 'member' }, request_id: expect.any(String) });
    const times = events.body.data.map((e: { created_at: string }) => e.created_at);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('pages the audit log with cursors and rejects a forged cursor', async () => {
    const first = await t.rest('GET', `/api/accounts/${admin.accountId}/audit-events?limit=1`, { token: admin.token });
    expect(first.body.data).toHaveLength(1);
    expect(first.body.page_info.next_cursor).toEqual(expect.any(String));
    const second = await t.rest('GET', `/api/accounts/${admin.accountId}/audit-events?limit=1&cursor=${first.body.page_info.next_cursor}`, { token: admin.token });
    expect(second.body.data[0].id).not.toBe(first.body.data[0].id);
    const forged = await t.rest('GET', `/api/accounts/${admin.accountId}/audit-events?cursor=garbage`, { token: admin.token });
    expect(forged.status).toBe(400);
    expect(forged.body.error.details).toEqual([{ field: 'cursor', message: expect.any(String) }]);
    const tooMany = await t.rest('GET', `/api/accounts/${admin.accountId}/audit-events?limit=500`, { token: admin.token });
    expect(tooMany.body.error.details).toEqual([{ field: 'limit', message: expect.stringContaining('200') }]);
  });

  it('offers the audit log and membership changes over GraphQL with the same rules', async () => {
    const page = await t.graphql(admin.token).request(AuditEventsDocument, { accountId: admin.accountId, first: 2 });
    expect(page.auditEvents.edges).toHaveLength(2);
    expect(page.auditEvents.pageInfo.hasNextPage).toBe(true);
    expect((await graphqlFailure(t.graphql(member.token).request(AuditEventsDocument, { accountId: admin.accountId }))).code).toBe('FORBIDDEN');
    expect((await graphqlFailure(t.graphql(outsider.token).request(AuditEventsDocument, { accountId: admin.accountId }))).code).toBe('NOT_FOUND');
    const put = await graphqlFailure(t.graphql(member.token).request(PutAccountMemberDocument, { accountId: admin.accountId, input: { email: outsider.email, role: 'MEMBER' } }));
    expect(put.code).toBe('FORBIDDEN');
  });

  it('never writes a password, token or hash into an audit record', async () => {
    const rows = await t.app.services.db.prisma.auditEvent.findMany();
    const sessions = await t.app.services.db.prisma.session.findMany();
    const users = await t.app.services.db.prisma.user.findMany();
    const text = JSON.stringify(rows);
    expect(rows.length).toBeGreaterThan(3);
    for (const needle of [...passwordsUsed, ...tokensUsed, ...sessions.map((s) => s.tokenHash), ...users.map((u) => u.passwordHash)]) {
      expect(text).not.toContain(needle);
    }
  });
});
