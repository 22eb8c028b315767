// Per-request DataLoaders, so that a GraphQL page of accounts with their credentials costs a
// constant number of SQL statements whatever the page size: one to rank each account's newest
// credentials, one to load them (and one for the accounts of a page of credentials).
import { join, sqltag as sql } from '@prisma/client/runtime/client';
import DataLoader from 'dataloader';
import type { Database } from '../../db/client.js';
import { encodeCursor, type Page } from '../../shared/pagination.js';
import type { AccountView } from '../auth/auth.service.js';
import { CREDENTIAL_INCLUDE, presentCredential, type PublicCredential } from './credential.presenter.js';

const MAX_BOUND_IDS = { sqlite: 900, postgresql: 30_000 } as const;

export interface CredentialLoaders {
  accountById: DataLoader<string, AccountView | null>;
  /** First page (newest first) of an account's credentials, keyed by `accountId` and page size. */
  firstCredentialPage: DataLoader<{ accountId: string; limit: number }, Page<PublicCredential>, string>;
}

export function createCredentialLoaders(db: Database): CredentialLoaders {
  return {
    accountById: new DataLoader(async (ids) => {
      const rows = await db.prisma.account.findMany({ where: { id: { in: [...ids] } } });
      const byId = new Map(rows.map((row) => [row.id, { id: row.id, name: row.name, createdAt: row.createdAt }]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    firstCredentialPage: new DataLoader(
      async (keys) => {
        const limits = new Set(keys.map((key) => key.limit));
        const pages = new Map<string, Page<PublicCredential>>();
        for (const limit of limits) {
          const accountIds = keys.filter((key) => key.limit === limit).map((key) => key.accountId);
          // Prisma binds one parameter per id, and SQLite takes at most 999 in a statement: so
          // many accounts are read in chunks (two statements each); PostgreSQL takes them at once.
          const perChunk = Math.max(1, Math.floor(MAX_BOUND_IDS[db.provider] / (limit + 1)));
          for (let start = 0; start < accountIds.length; start += perChunk) {
            for (const [accountId, page] of await firstPages(db, accountIds.slice(start, start + perChunk), limit)) pages.set(`${accountId}:${limit}`, page);
          }
        }
        return keys.map((key) => pages.get(`${key.accountId}:${key.limit}`)!);
      },
      { cacheKeyFn: (key) => `${key.accountId}:${key.limit}` },
    ),
  };
}

/** Two statements for any number of accounts: rank with a window function, then load. */
async function firstPages(db: Database, accountIds: string[], limit: number): Promise<Map<string, Page<PublicCredential>>> {
  const ranked = await db.prisma.$queryRaw<{ id: string }[]>(sql`
    SELECT "id" FROM (
      SELECT "id", ROW_NUMBER() OVER (PARTITION BY "accountId" ORDER BY "createdAt" DESC, "id" DESC) AS "rank"
      FROM "ProviderCredential"
      WHERE "accountId" IN (${join(accountIds)}) AND "deletedAt" IS NULL
    ) AS "ranked"
    WHERE "rank" <= ${limit + 1}`);
  const rows = ranked.length
    ? await db.prisma.providerCredential.findMany({
        where: { id: { in: ranked.map((row) => row.id) } },
        include: CREDENTIAL_INCLUDE,
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      })
    : [];
  const pages = new Map<string, Page<PublicCredential>>(accountIds.map((id) => [id, { items: [], nextCursor: null }]));
  for (const row of rows) {
    const page = pages.get(row.accountId)!;
    if (page.items.length < limit) page.items.push(presentCredential(row));
    else page.nextCursor ??= encodeCursor(page.items[page.items.length - 1]!);
  }
  return pages;
}
