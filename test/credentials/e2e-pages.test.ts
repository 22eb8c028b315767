// Cursor pages and search filters end to end over 120+ credentials: page sizes, newest-first
// order with no repeats or gaps, stability when credentials are inserted between page
// fetches, every search filter alone and combined, forged cursors, and the query plans of the
// list and equality-filter queries (captured from Prisma as it runs them, then EXPLAINed).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObservedQuery } from '../../src/db/client.js';
import { ProviderCredentialsDocument, SearchProviderCredentialsDocument, type ProviderCredentialFilter } from '../gql/graphql.js';
import { closedPort, createOverRest, toGraphQLInput } from '../support/credentials.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { testProviders } from '../support/test-database.js';
import { signUpUser, type SignedUpUser } from '../support/users.js';

type Json = Record<string, any>;

const COUNT = 120;
/** Labels with LIKE's wildcard characters and PostgreSQL's LIKE escape character, which must match literally. */
const SPECIAL_LABELS: Record<number, string> = { 2: '100% inbox', 5: 'ops_team', 8: 'back\\slash', 11: 'Sales (EU)' };
const SECURITY_MODES = ['ssl_tls', 'starttls', 'none'] as const;

/** The i-th credential: a deterministic mix of every filterable attribute. */
function bodyFor(i: number, refusedPort: number): Json {
  const testable = i % 5 === 1;
  const hosts = ['MAIL.Example.com', 'smtp.example.org', 'Bücher.Example', `host-${i}.example.net`];
  return {
    providerKind: i % 2 ? 'smtp' : 'imap',
    host: testable ? '127.0.0.1' : hosts[i % 4],
    port: testable ? refusedPort : 2000 + i,
    securityMode: SECURITY_MODES[i % 3],
    authKind: i % 4 === 3 ? 'oauth2' : 'password',
    username: `user${i}@example.com`,
    secret: `secret-${i}`,
    label: i % 3 === 0 ? `Billing ${i}` : i % 3 === 1 ? `Support ${i}` : (SPECIAL_LABELS[i] ?? null),
  };
}

const statusOf = (credential: Json) => (credential.last_test === null ? 'never' : credential.last_test.ok ? 'succeeded' : 'failed');
const ids = (list: Json[]) => list.map((c) => c.id as string);

describe.each(testProviders())('pages and search filters on %s', (provider) => {
  let t: TestApp;
  let admin: SignedUpUser;
  let other: SignedUpUser;
  /** Every credential of admin's account, as the list returns them (newest first). */
  let all: Json[];
  /** Creation order (oldest first). */
  let created: Json[] = [];
  const plans: string[] = [];

  beforeAll(async () => {
    t = await startTestApp(provider, { ALLOW_INSECURE_TRANSPORT: 'true', CONNECTIVITY_ALLOWED_HOSTS: '127.0.0.1' });
    admin = await signUpUser(t, 'pager');
    other = await signUpUser(t, 'neighbour');
    const refusedPort = await closedPort();
    for (let i = 0; i < COUNT; i += 1) created.push(await createOverRest(t, admin.token, admin.accountId, bodyFor(i, refusedPort)));
    // A neighbouring account with look-alike credentials: none of them may ever show up.
    for (let i = 0; i < 12; i += 1) await createOverRest(t, other.token, other.accountId, bodyFor(i, refusedPort));

    // last_test_status: "failed" from a real test against a closed loopback port; "succeeded"
    // needs a real mail server, so it is written as a fixture the way the service stores one.
    for (const credential of created.filter((_, i) => i % 5 === 1)) {
      const tested = await t.rest('POST', `/api/provider-credentials/${credential.id}/test`, { token: admin.token });
      expect(tested.body).toMatchObject({ ok: false, error: { code: 'CONNECTION_REFUSED' } });
    }
    const prisma = t.app.services.db.prisma;
    for (const [n, credential] of created.filter((_, i) => i % 10 === 2).entries()) {
      const testId = `ct_fixture${n}`;
      const testedAt = new Date();
      const result = { ok: true, providerKind: credential.provider_kind, stage: 'ready', error: null, latencyMs: 7, testedAt: testedAt.toISOString() };
      await prisma.connectivityTest.create({ data: { id: testId, credentialId: credential.id, ok: true, stage: 'ready', errorCode: null, latencyMs: 7, testedAt, result: JSON.stringify(result) } });
      await prisma.providerCredential.update({ where: { id: credential.id }, data: { lastTestId: testId, lastTestStatus: 'succeeded' } });
    }
    all = await listAll();
  }, 120_000);
  afterAll(async () => {
    if (plans.length) console.log(`query plans on ${provider}:\n${plans.join('\n')}`);
    await t?.close();
  });

  const list = (query: string) => t.rest('GET', `/api/accounts/${admin.accountId}/provider-credentials${query}`, { token: admin.token });
  const search = (body: Json) => t.rest('POST', `/api/accounts/${admin.accountId}/provider-credentials/search`, { token: admin.token, body });
  const graphQLList = (first: number | null, after: string | null) =>
    t.graphql(admin.token).request(ProviderCredentialsDocument, { accountId: admin.accountId, first, after }).then((r) => r.providerCredentials);
  const graphQLSearch = (filter: Json, first: number | null = 200, after: string | null = null) =>
    t.graphql(admin.token).request(SearchProviderCredentialsDocument, { accountId: admin.accountId, filter: toGraphQLInput(filter) as ProviderCredentialFilter, first, after }).then((r) => r.searchProviderCredentials);

  async function listAll(): Promise<Json[]> {
    const page = await list('?limit=200');
    expect(page.status).toBe(200);
    expect(page.body.page_info.next_cursor).toBeNull();
    return page.body.data;
  }

  /** Walks every page of a list (or a search, with `body`), returning the ids in order and the page count. */
  async function walk(limit: number, body?: Json): Promise<{ ids: string[]; pages: number }> {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { status: number; body: any } = body ? await search({ ...body, limit, cursor }) : await list(`?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(limit);
      pages += 1;
      expect(pages).toBeLessThanOrEqual(COUNT + 10);
      seen.push(...ids(page.body.data));
      cursor = page.body.page_info.next_cursor;
      if (cursor) expect(page.body.data).toHaveLength(limit);
    } while (cursor);
    return { ids: seen, pages };
  }

  it('returns every credential of the account newest first, and only those', () => {
    expect(all).toHaveLength(COUNT);
    expect(new Set(ids(all))).toEqual(new Set(ids(created)));
    const creationIndex = new Map(created.map((c, i) => [c.id, i]));
    for (let k = 1; k < all.length; k += 1) {
      const [newer, older] = [all[k - 1]!, all[k]!];
      expect(Date.parse(newer.created_at)).toBeGreaterThanOrEqual(Date.parse(older.created_at));
      // Where the clock tells them apart, the later-created credential comes first.
      if (newer.created_at !== older.created_at) expect(creationIndex.get(newer.id)!).toBeGreaterThan(creationIndex.get(older.id)!);
    }
    expect(all.every((c) => c.account_id === admin.accountId)).toBe(true);
  });

  it('uses 50 as the default page size and 200 as the maximum', async () => {
    const first = await list('');
    expect(first.body.data).toHaveLength(50);
    expect(ids(first.body.data)).toEqual(ids(all.slice(0, 50)));
    expect(first.body.page_info.next_cursor).toEqual(expect.any(String));
    const searched = await search({});
    expect(ids(searched.body.data)).toEqual(ids(all.slice(0, 50)));
    const searchedWithNulls = await search({ filter: null, limit: null, cursor: null });
    expect(ids(searchedWithNulls.body.data)).toEqual(ids(all.slice(0, 50)));
    const viaGraphQL = await graphQLList(null, null);
    expect(viaGraphQL.edges.map((e) => e.node.id)).toEqual(ids(all.slice(0, 50)));
    expect(viaGraphQL.pageInfo.hasNextPage).toBe(true);

    expect(ids((await list('?limit=200')).body.data)).toEqual(ids(all));
    expect((await search({ limit: 200 })).body.data).toHaveLength(COUNT);
    expect((await graphQLList(200, null)).edges).toHaveLength(COUNT);

    for (const response of [await list('?limit=201'), await search({ limit: 201 })]) {
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'limit', message: expect.stringContaining('200') }] });
    }
    const tooMany = await t.rest('POST', '/graphql', {
      token: admin.token,
      body: { query: 'query($a: ID!) { providerCredentials(accountId: $a, first: 201) { edges { cursor } } }', variables: { a: admin.accountId } },
    });
    expect(tooMany.body.errors[0].extensions).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'first' }] });
  });

  it('walks every page with no repeats and no gaps, for several page sizes', async () => {
    for (const limit of [1, 7, 50, 119, 120, 200]) {
      const { ids: walked, pages } = await walk(limit);
      expect(walked, `limit ${limit}`).toEqual(ids(all));
      expect(new Set(walked).size).toBe(COUNT);
      // An exact fit ends without an empty extra page.
      expect(pages).toBe(Math.ceil(COUNT / limit));
    }
    // GraphQL pages give the same sequence.
    const graphQLIds: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page = await graphQLList(13, after);
      graphQLIds.push(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor!;
    }
    expect(graphQLIds).toEqual(ids(all));
  });

  it('refuses forged cursors with 400 naming the cursor', async () => {
    const genuine = (await list('?limit=5')).body.page_info.next_cursor as string;
    const decoded = JSON.parse(Buffer.from(genuine, 'base64url').toString('utf8'));
    expect(decoded).toHaveLength(2);
    const forged = [
      'garbage',
      genuine.slice(0, -3),
      Buffer.from(JSON.stringify({ createdAt: decoded[0], id: decoded[1] })).toString('base64url'),
      Buffer.from(JSON.stringify(['yesterday', decoded[1]])).toString('base64url'),
      Buffer.from(JSON.stringify([decoded[0], 42])).toString('base64url'),
      Buffer.from(JSON.stringify([decoded[0], decoded[1], 'extra'])).toString('base64url'),
      Buffer.from(JSON.stringify([decoded[0], 'x'.repeat(200)])).toString('base64url'),
    ];
    for (const cursor of forged) {
      const viaList = await list(`?cursor=${encodeURIComponent(cursor)}`);
      expect(viaList.status, cursor).toBe(400);
      expect(viaList.body.error.details).toEqual([{ field: 'cursor', message: expect.any(String) }]);
      const viaSearch = await search({ cursor });
      expect(viaSearch.status, cursor).toBe(400);
      expect(viaSearch.body.error.details).toEqual([{ field: 'cursor', message: expect.any(String) }]);
    }
  });

  describe('search filters', () => {
    const contains = (value: string | null, part: string) => value !== null && value.toLowerCase().includes(part.toLowerCase());
    const at = (k: number) => all[k]!.created_at as string;
    const filters: { name: string; filter: Json | (() => Json); expect: (c: Json) => boolean }[] = [
      { name: 'provider_kind imap', filter: { provider_kind: 'imap' }, expect: (c) => c.provider_kind === 'imap' },
      { name: 'provider_kind smtp', filter: { provider_kind: 'smtp' }, expect: (c) => c.provider_kind === 'smtp' },
      ...SECURITY_MODES.map((mode) => ({ name: `security_mode ${mode}`, filter: { security_mode: mode }, expect: (c: Json) => c.security_mode === mode })),
      { name: 'auth_kind password', filter: { auth_kind: 'password' }, expect: (c) => c.auth_kind === 'password' },
      { name: 'auth_kind oauth2', filter: { auth_kind: 'oauth2' }, expect: (c) => c.auth_kind === 'oauth2' },
      { name: 'host exact, other case', filter: { host: 'mail.EXAMPLE.Com' }, expect: (c) => c.host === 'mail.example.com' },
      { name: 'host exact, trailing dot', filter: { host: 'SMTP.example.org.' }, expect: (c) => c.host === 'smtp.example.org' },
      { name: 'host exact, internationalised', filter: { host: 'BÜCHER.example' }, expect: (c) => c.host === 'xn--bcher-kva.example' },
      { name: 'host exact, as punycode', filter: { host: 'xn--bcher-kva.example' }, expect: (c) => c.host === 'xn--bcher-kva.example' },
      { name: 'host exact, IPv4', filter: { host: '127.0.0.1' }, expect: (c) => c.host === '127.0.0.1' },
      { name: 'host exact, no match', filter: { host: 'example.com' }, expect: () => false },
      { name: 'host_contains', filter: { host_contains: 'EXAMPLE.ORG' }, expect: (c) => contains(c.host, 'example.org') },
      { name: 'host_contains, digits', filter: { host_contains: 'host-1' }, expect: (c) => contains(c.host, 'host-1') },
      { name: 'host_contains, punycode part', filter: { host_contains: 'bcher' }, expect: (c) => contains(c.host, 'bcher') },
      { name: 'host_contains, % is literal', filter: { host_contains: '%' }, expect: () => false },
      { name: 'host_contains, _ is literal', filter: { host_contains: '_' }, expect: () => false },
      { name: 'host_contains, backslash is literal', filter: { host_contains: 'example\\.com' }, expect: () => false },
      { name: 'label_contains, % is literal', filter: { label_contains: '0% I' }, expect: (c) => c.label === '100% inbox' },
      { name: 'label_contains, % alone', filter: { label_contains: '%' }, expect: (c) => contains(c.label, '%') },
      { name: 'label_contains, _ is literal', filter: { label_contains: '_' }, expect: (c) => contains(c.label, '_') },
      { name: 'label_contains, backslash is literal', filter: { label_contains: 'k\\s' }, expect: (c) => contains(c.label, 'k\\s') },
      { name: 'label_contains, parentheses', filter: { label_contains: '(eu)' }, expect: (c) => contains(c.label, '(eu)') },
      { name: 'label_contains', filter: { label_contains: 'BILLING' }, expect: (c) => contains(c.label, 'billing') },
      { name: 'label_contains, inner text', filter: { label_contains: 'port 1' }, expect: (c) => contains(c.label, 'port 1') },
      { name: 'label_contains, empty means no constraint', filter: { label_contains: '' }, expect: () => true },
      { name: 'last_test_status succeeded', filter: { last_test_status: 'succeeded' }, expect: (c) => statusOf(c) === 'succeeded' },
      { name: 'last_test_status failed', filter: { last_test_status: 'failed' }, expect: (c) => statusOf(c) === 'failed' },
      { name: 'last_test_status never', filter: { last_test_status: 'never' }, expect: (c) => statusOf(c) === 'never' },
      { name: 'created_after', filter: () => ({ created_after: at(60) }), expect: (c) => Date.parse(c.created_at) > Date.parse(at(60)) },
      { name: 'created_before', filter: () => ({ created_before: at(60) }), expect: (c) => Date.parse(c.created_at) < Date.parse(at(60)) },
      {
        name: 'created_after with an offset time zone',
        filter: () => ({ created_after: new Date(Date.parse(at(90))).toISOString().replace('Z', '+00:00') }),
        expect: (c) => Date.parse(c.created_at) > Date.parse(at(90)),
      },
      {
        name: 'created window',
        filter: () => ({ created_after: at(100), created_before: at(10) }),
        expect: (c) => Date.parse(c.created_at) > Date.parse(at(100)) && Date.parse(c.created_at) < Date.parse(at(10)),
      },
      {
        name: 'smtp AND password AND label "support" AND created window',
        filter: () => ({ provider_kind: 'smtp', auth_kind: 'password', label_contains: 'support', created_after: at(110), created_before: at(5) }),
        expect: (c) =>
          c.provider_kind === 'smtp' && c.auth_kind === 'password' && contains(c.label, 'support') && Date.parse(c.created_at) > Date.parse(at(110)) && Date.parse(c.created_at) < Date.parse(at(5)),
      },
      { name: 'host AND host_contains', filter: { host: 'mail.example.com', host_contains: 'mail' }, expect: (c) => c.host === 'mail.example.com' },
      { name: 'host AND a host_contains that contradicts it', filter: { host: 'mail.example.com', host_contains: 'org' }, expect: () => false },
      { name: 'security_mode none AND never tested', filter: { security_mode: 'none', last_test_status: 'never' }, expect: (c) => c.security_mode === 'none' && statusOf(c) === 'never' },
      { name: 'imap AND failed', filter: { provider_kind: 'imap', last_test_status: 'failed' }, expect: (c) => c.provider_kind === 'imap' && statusOf(c) === 'failed' },
      { name: 'smtp AND failed AND oauth2', filter: { provider_kind: 'smtp', last_test_status: 'failed', auth_kind: 'oauth2' }, expect: (c) => c.provider_kind === 'smtp' && statusOf(c) === 'failed' && c.auth_kind === 'oauth2' },
      {
        name: 'every field at once',
        filter: () => ({
          provider_kind: 'imap', security_mode: 'starttls', auth_kind: 'password', host: 'Bücher.example', host_contains: 'xn--', label_contains: 'support',
          last_test_status: 'never', created_after: at(119), created_before: at(0),
        }),
        expect: (c) =>
          c.provider_kind === 'imap' && c.security_mode === 'starttls' && c.auth_kind === 'password' && c.host === 'xn--bcher-kva.example' && contains(c.label, 'support') &&
          statusOf(c) === 'never' && Date.parse(c.created_at) > Date.parse(at(119)) && Date.parse(c.created_at) < Date.parse(at(0)),
      },
    ];

    it.each(filters)('$name', async ({ filter, expect: matches }) => {
      const body = typeof filter === 'function' ? filter() : filter;
      const expected = ids(all.filter(matches));
      const viaRest = await search({ filter: body, limit: 200 });
      expect(viaRest.status, JSON.stringify(viaRest.body)).toBe(200);
      expect(ids(viaRest.body.data)).toEqual(expected);
      expect(viaRest.body.page_info.next_cursor).toBeNull();
      const viaGraphQL = await graphQLSearch(body);
      expect(viaGraphQL.edges.map((e) => e.node.id)).toEqual(expected);
    });

    it('has filters that each select a real subset', () => {
      for (const { name, expect: matches } of filters) {
        const size = all.filter(matches).length;
        if (/no match|contradicts|host_contains, .* literal/.test(name)) expect(size, name).toBe(0);
        else if (/empty means/.test(name)) expect(size, name).toBe(COUNT);
        else {
          expect(size, name).toBeGreaterThan(0);
          expect(size, name).toBeLessThan(COUNT);
        }
      }
      expect(all.filter((c) => statusOf(c) === 'succeeded')).toHaveLength(12);
      expect(all.filter((c) => statusOf(c) === 'failed')).toHaveLength(24);
      const everything = filters.find((f) => f.name === 'every field at once')!;
      expect(all.filter(everything.expect).length).toBeGreaterThan(0);
      expect(all.filter(everything.expect).length).toBeLessThan(10);
    });

    it('pages a filtered search without repeats or gaps', async () => {
      const filter = { provider_kind: 'imap', last_test_status: 'never' };
      const expected = ids(all.filter((c) => c.provider_kind === 'imap' && statusOf(c) === 'never'));
      expect(expected.length).toBeGreaterThan(30);
      for (const limit of [1, 6, expected.length]) expect((await walk(limit, { filter })).ids).toEqual(expected);
    });
  });

  describe('query plans', () => {
    /** The SQL Prisma sends for one request, with its arguments. */
    async function captureCredentialQuery(request: () => Promise<{ status: number }>): Promise<ObservedQuery> {
      const seen: ObservedQuery[] = [];
      const stop = t.app.services.db.observeQueries((query) => seen.push(query));
      try {
        expect((await request()).status).toBe(200);
      } finally {
        stop();
      }
      const main = seen.filter((q) => /FROM\s+[`"]?(main|public)?[`"]?\.?[`"]ProviderCredential[`"]/.test(q.sql) && /ORDER BY/i.test(q.sql));
      expect(main, seen.map((q) => q.sql).join('\n')).toHaveLength(1);
      return main[0]!;
    }

    /** The database's plan for a captured statement (PostgreSQL: with sequential scans disabled). */
    async function explain(query: ObservedQuery): Promise<string> {
      const prisma = t.app.services.db.prisma;
      const args = query.args.map((arg) => (typeof arg === 'bigint' ? Number(arg) : arg));
      if (provider === 'sqlite') {
        const rows = await prisma.$queryRawUnsafe<{ detail: string }[]>(`EXPLAIN QUERY PLAN ${query.sql}`, ...args);
        return rows.map((row) => row.detail).join('\n');
      }
      return prisma.$transaction(async (tx) => {
        await tx.$executeRawUnsafe('SET LOCAL enable_seqscan = off');
        const rows = await tx.$queryRawUnsafe<{ 'QUERY PLAN': string }[]>(`EXPLAIN ${query.sql}`, ...args);
        return rows.map((row) => row['QUERY PLAN']).join('\n');
      });
    }

    const usesIndex = (plan: string) =>
      provider === 'sqlite' ? /(SEARCH|SCAN) (main\.)?ProviderCredential USING (COVERING )?INDEX ProviderCredential_/.test(plan) : /Index (Only )?Scan (Backward )?using "?ProviderCredential_|Bitmap Index Scan on "?ProviderCredential_/.test(plan);

    beforeAll(async () => {
      if (provider === 'postgresql') await t.app.services.db.prisma.$executeRawUnsafe('ANALYZE "ProviderCredential"');
    });

    const equalityFilters: [string, Json, string][] = [
      ['provider_kind', { provider_kind: 'smtp' }, 'providerKind'],
      ['security_mode', { security_mode: 'none' }, 'securityMode'],
      ['auth_kind', { auth_kind: 'oauth2' }, 'authKind'],
      ['host', { host: 'mail.example.com' }, 'host'],
      ['last_test_status', { last_test_status: 'failed' }, 'lastTestStatus'],
    ];

    it('lists (first page and after a cursor) through the account index', async () => {
      const firstPage = await captureCredentialQuery(() => list('?limit=10'));
      const firstPlan = await explain(firstPage);
      plans.push(`-- list, first page\n${firstPage.sql}\n${firstPlan}`);
      expect(usesIndex(firstPlan), firstPlan).toBe(true);
      // SQLite walks the (accountId, deletedAt, createdAt, id) index in order: no sort step.
      // PostgreSQL, on a table this small, may pick any index with the account prefix and sort.
      if (provider === 'sqlite') {
        expect(firstPlan).toMatch(/ProviderCredential_accountId_deletedAt_createdAt_id_idx/);
        expect(firstPlan).not.toMatch(/TEMP B-TREE/);
      }

      const cursor = (await list('?limit=10')).body.page_info.next_cursor;
      const nextPage = await captureCredentialQuery(() => list(`?limit=10&cursor=${cursor}`));
      const nextPlan = await explain(nextPage);
      plans.push(`-- list, after a cursor\n${nextPlan}`);
      expect(usesIndex(nextPlan), nextPlan).toBe(true);
    });

    it.each(equalityFilters)('search by %s uses an index', async (name, filter, column) => {
      const query = await captureCredentialQuery(() => search({ filter, limit: 10 }));
      expect(query.sql).toContain(column);
      const plan = await explain(query);
      plans.push(`-- search by ${name}\n${plan}`);
      expect(usesIndex(plan), plan).toBe(true);
      // The index is the filter's own (accountId, deletedAt, <column>, createdAt, id), not just the
      // account prefix (PostgreSQL truncates index names to 63 characters).
      expect(plan).toMatch(new RegExp(`ProviderCredential_accountId_deletedAt_${column}_`));
      if (provider === 'sqlite') expect(plan).not.toMatch(/TEMP B-TREE/);
    });

    it.each([
      ['host_contains', { host_contains: 'example' }, 'host'],
      ['label_contains', { label_contains: 'billing' }, 'labelLower'],
    ] as [string, Json, string][])('search by %s narrows by account through an index but matches the substring row by row', async (name, filter, column) => {
      const query = await captureCredentialQuery(() => search({ filter, limit: 10 }));
      expect(query.sql).toMatch(/LIKE/i);
      const plan = await explain(query);
      plans.push(`-- search by ${name} (substring: no b-tree lookup possible)\n${plan}`);
      // A b-tree cannot look up '%x%': the condition is a filter on the rows of the account's index range.
      if (provider === 'sqlite') {
        expect(usesIndex(plan), plan).toBe(true);
        expect(plan).not.toMatch(new RegExp(`\\(.*${column}[=<>].*\\)`));
      } else {
        expect(usesIndex(plan), plan).toBe(true);
        expect(plan).toMatch(new RegExp(`Filter: .*"?${column}"? ~~`));
        expect(plan).not.toMatch(new RegExp(`Index Cond: .*"?${column}"?`));
      }
    });
  });

  // Last: it adds credentials.
  it('keeps later pages stable when credentials are inserted between page fetches', async () => {
    const snapshot = ids(all);
    const refusedPort = await closedPort();
    const seen: string[] = [];
    const inserted: string[] = [];
    let cursor: string | null = null;
    let pageNumber = 0;
    do {
      const page = await list(`?limit=9${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      seen.push(...ids(page.body.data));
      cursor = page.body.page_info.next_cursor;
      pageNumber += 1;
      // Between page fetches, new credentials arrive (they sort before every cursor).
      if (pageNumber <= 3) for (let k = 0; k < 2; k += 1) inserted.push((await createOverRest(t, admin.token, admin.accountId, bodyFor(1000 + inserted.length, refusedPort))).id);
    } while (cursor);
    expect(seen).toEqual(snapshot);
    for (const id of inserted) expect(seen).not.toContain(id);

    // The same walk over search, with inserts that match the filter.
    const searched: string[] = [];
    const expectedSearch = ids((await listAll()).filter((c) => c.provider_kind === 'imap'));
    cursor = null;
    pageNumber = 0;
    do {
      const page = await search({ filter: { provider_kind: 'imap' }, limit: 8, cursor });
      searched.push(...ids(page.body.data));
      cursor = page.body.page_info.next_cursor;
      pageNumber += 1;
      if (pageNumber <= 2) inserted.push((await createOverRest(t, admin.token, admin.accountId, bodyFor(2000 + inserted.length * 2, refusedPort))).id);
    } while (cursor);
    expect(searched).toEqual(expectedSearch);

    // A fresh walk starts with the newcomers, newest first.
    const fresh = await listAll();
    expect(fresh).toHaveLength(COUNT + inserted.length);
    expect(ids(fresh.slice(0, inserted.length))).toEqual([...inserted].reverse());
    expect(ids(fresh.slice(inserted.length))).toEqual(snapshot);
  });
});
