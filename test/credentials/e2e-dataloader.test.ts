// `me { memberships { account { providerCredentials { … node { account { id } } } } } }` must
// cost the same, small number of SQL statements whether the user belongs to 3 accounts or to
// 12: the first credential page of every account and the account of every credential are
// loaded in batches (credential.loaders.ts). Statements are counted at the driver adapter
// through Database.observeQueries, so every statement Prisma sends is seen, raw ones included.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObservedQuery } from '../../src/db/client.js';
import { AccountsWithCredentialsDocument, type AccountsWithCredentialsQuery } from '../gql/graphql.js';
import { createOverRest } from '../support/credentials.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { testProviders } from '../support/test-database.js';
import { addMember, signUpUser, type SignedUpUser } from '../support/users.js';

const CREDENTIALS_PER_ACCOUNT = 4;

interface RestCredential {
  id: string;
  host: string;
  label: string | null;
  username_masked: string;
  secret_version: number;
  created_at: string;
  last_test: { ok: boolean; error?: { code: string }; tested_at: string } | null;
}
/** The most statements the query may cost; it must also not grow with the number of accounts. */
const STATEMENT_BUDGET = 12;

describe.each(testProviders())('batched loading of accounts with their credentials on %s', (provider) => {
  let t: TestApp;
  let viewer: SignedUpUser;
  const owners: SignedUpUser[] = [];
  const report: string[] = [];

  beforeAll(async () => {
    t = await startTestApp(provider);
    viewer = await signUpUser(t, 'viewer');
    for (let n = 0; n < 11; n += 1) owners.push(await signUpUser(t, `owner${n}`));
    for (const [n, account] of [viewer, ...owners].entries()) {
      for (let k = 0; k < CREDENTIALS_PER_ACCOUNT; k += 1) {
        await createOverRest(t, account.token, account.accountId, {
          providerKind: k % 2 ? 'smtp' : 'imap',
          host: `mail-${n}-${k}.example.com`,
          port: k % 2 ? 465 : 993,
          securityMode: 'ssl_tls',
          authKind: 'password',
          username: `u${n}.${k}@example.com`,
          secret: `secret ${n} ${k}`,
          label: `Account ${n} credential ${k}`,
        });
      }
    }
    // Some credentials have a last test (no DNS in tests: the lookup is refused at once).
    for (const account of [viewer, owners[0]!]) {
      const list = await t.rest('GET', `/api/accounts/${account.accountId}/provider-credentials?limit=2`, { token: account.token });
      for (const credential of list.body.data) expect((await t.rest('POST', `/api/provider-credentials/${credential.id}/test`, { token: account.token })).status).toBe(200);
    }
    // The viewer starts in three accounts: its own, one as admin, one as member.
    await addMember(t, owners[0]!, owners[0]!.accountId, viewer, 'admin');
    await addMember(t, owners[1]!, owners[1]!.accountId, viewer, 'member');
  }, 120_000);
  afterAll(async () => {
    if (report.length) console.log(`SQL statements for AccountsWithCredentials on ${provider}:\n${report.join('\n')}`);
    await t?.close();
  });

  async function measure(first: number | null): Promise<{ data: AccountsWithCredentialsQuery; statements: ObservedQuery[] }> {
    const statements: ObservedQuery[] = [];
    const stop = t.app.services.db.observeQueries((query) => statements.push(query));
    try {
      const data = await t.graphql(viewer.token).request(AccountsWithCredentialsDocument, { first });
      return { data, statements };
    } finally {
      stop();
    }
  }

  /** The answer is right: every membership, each account's newest credentials, each credential's own account. */
  async function expectCorrect(data: AccountsWithCredentialsQuery, accounts: number, first: number | null) {
    const memberships = data.me.memberships;
    expect(memberships).toHaveLength(accounts);
    const pageSize = Math.min(first ?? 50, CREDENTIALS_PER_ACCOUNT);
    for (const { account } of memberships) {
      const expected = await t.rest('GET', `/api/accounts/${account.id}/provider-credentials?limit=${pageSize}`, { token: viewer.token });
      expect(expected.status).toBe(200);
      const edges = account.providerCredentials.edges;
      // Batched rows carry the same fields as the REST page, last test included.
      expect(
        edges.map(({ node }) => ({ id: node.id, host: node.host, label: node.label, masked: node.usernameMasked, version: node.secretVersion, createdAt: node.createdAt, lastTest: node.lastTest && { ok: node.lastTest.ok, code: node.lastTest.error?.code, testedAt: node.lastTest.testedAt } })),
      ).toEqual(
        expected.body.data.map((c: RestCredential) => ({ id: c.id, host: c.host, label: c.label, masked: c.username_masked, version: c.secret_version, createdAt: c.created_at, lastTest: c.last_test && { ok: c.last_test.ok, code: c.last_test.error?.code, testedAt: c.last_test.tested_at } })),
      );
      for (const edge of edges) expect(edge.node.account.id).toBe(account.id);
      expect(account.providerCredentials.pageInfo.hasNextPage).toBe(pageSize < CREDENTIALS_PER_ACCOUNT);
      expect(account.providerCredentials.pageInfo.endCursor).toEqual(expect.any(String));
    }
  }

  const describeStatements = (statements: ObservedQuery[]) => statements.map((s) => `    ${s.sql.replace(/SELECT .*? FROM/s, 'SELECT … FROM').slice(0, 160)}`).join('\n');

  it('costs the same small number of statements for 3 and for 12 accounts', async () => {
    const PAGE_SIZES = [2, null] as const;
    const small = new Map<number | null, ObservedQuery[]>();
    for (const first of PAGE_SIZES) {
      const { data, statements } = await measure(first);
      await expectCorrect(data, 3, first);
      small.set(first, statements);
    }
    // Nine more memberships, alternating roles: 12 accounts.
    for (const [n, owner] of owners.slice(2).entries()) await addMember(t, owner, owner.accountId, viewer, n % 2 ? 'member' : 'admin');

    for (const first of PAGE_SIZES) {
      const { data, statements: large } = await measure(first);
      await expectCorrect(data, 12, first);
      const few = small.get(first)!;
      report.push(`first: ${first}, 3 accounts: ${few.length} statements\n${describeStatements(few)}`);
      report.push(`first: ${first}, 12 accounts: ${large.length} statements\n${describeStatements(large)}`);

      expect(large.length, describeStatements(large)).toBe(few.length);
      expect(large.length, describeStatements(large)).toBeLessThanOrEqual(STATEMENT_BUDGET);
      // Reading is all it does.
      expect(large.every((s) => /^\s*SELECT/i.test(s.sql) && !s.inTransaction), describeStatements(large)).toBe(true);
      // Credentials are ranked and loaded (with their last tests) in one statement, whatever the
      // number of accounts.
      expect(large.filter((s) => /ProviderCredential/.test(s.sql))).toHaveLength(1);
      expect(large.filter((s) => /ConnectivityTest/.test(s.sql))).toHaveLength(1);
      // Each account is loaded in one batch for the page and one for the credentials' `account`.
      expect(large.filter((s) => /FROM\s+\S*Account\S*\s+WHERE/.test(s.sql))).toHaveLength(2);
    }
    expect(small.get(2)!.length).toBe(small.get(null)!.length);
  });

  it('sees statements at all: the counter is wired to the running app', async () => {
    const { statements } = await measure(1);
    expect(statements.length).toBeGreaterThan(0);
    // A write is seen with its transaction.
    const seen: ObservedQuery[] = [];
    const stop = t.app.services.db.observeQueries((query) => seen.push(query));
    try {
      await createOverRest(t, viewer.token, viewer.accountId, {
        providerKind: 'imap', host: 'counted.example.com', port: 993, securityMode: 'ssl_tls', authKind: 'password', username: 'c@example.com', secret: 'counted',
      });
    } finally {
      stop();
    }
    expect(seen.some((s) => s.sql === 'BEGIN')).toBe(true);
    expect(seen.some((s) => /^INSERT INTO .*ProviderCredential/.test(s.sql) && s.inTransaction)).toBe(true);
    expect(seen.some((s) => /^COMMIT/.test(s.sql))).toBe(true);
    // After unsubscribing, nothing more arrives.
    const before = seen.length;
    await measure(1);
    expect(seen.length).toBe(before);
  });
});
