// A page of 50 accounts × 20 credentials: more ids than SQLite binds in one statement
// (999), which once failed with P2029 and a 500. The loader reads such pages in chunks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/shared/ids.js';
import { AccountsWithCredentialsDocument } from '../gql/graphql.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { testProviders } from '../support/test-database.js';
import { signUpUser } from '../support/users.js';

describe.each(testProviders())('a GraphQL page of 50 accounts × 20 credentials on %s', (provider) => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await startTestApp(provider);
    const user = await signUpUser(t);
    token = user.token;
    const prisma = t.app.services.db.prisma;
    const accountIds = [user.accountId];
    for (let i = 1; i < 50; i++) {
      const account = await prisma.account.create({ data: { id: newId('account'), name: `Account ${i}` } });
      await prisma.membership.create({ data: { id: newId('membership'), userId: user.userId, accountId: account.id, role: 'member' } });
      accountIds.push(account.id);
    }
    const now = Date.now();
    await prisma.providerCredential.createMany({
      data: accountIds.flatMap((accountId) =>
        Array.from({ length: 21 }, (_, i) => ({
          id: newId('credential'), accountId, providerKind: 'imap', host: `imap${i}.example.com`, port: 993, securityMode: 'ssl_tls', authKind: 'password',
          usernameMasked: 'u***@example.com', createdAt: new Date(now - i * 1000),
        })),
      ),
    });
  }, 60_000);
  afterAll(async () => t?.close());

  it('answers with 20 credentials and a next page for each of the 50 accounts', async () => {
    const result = await t.graphql(token).request(AccountsWithCredentialsDocument, { first: 20 });
    expect(result.me.memberships).toHaveLength(50);
    for (const { account } of result.me.memberships) {
      expect(account.providerCredentials.edges).toHaveLength(20);
      expect(account.providerCredentials.pageInfo.hasNextPage).toBe(true);
      expect(account.providerCredentials.edges.every(({ node }) => node.account.id === account.id)).toBe(true);
    }
  });
});
