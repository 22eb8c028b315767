// Per-request DataLoaders, so that a GraphQL page of accounts with their credentials costs a
// constant number of SQL statements whatever the page size: one for the first page of every
// account's credentials (and one for the accounts of a page of credentials).
import { join, sqltag as sql } from '@prisma/client/runtime/client';
import DataLoader from 'dataloader';
import type { Database } from '../../db/client.js';
import { encodeCursor, type Page } from '../../shared/pagination.js';
import type { AccountView } from '../auth/auth.service.js';
import { presentCredential, type CredentialRow, type PublicCredential } from './credential.presenter.js';

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
          for (const [accountId, page] of await firstPages(db, accountIds, limit)) pages.set(`${accountId}:${limit}`, page);
        }
        return keys.map((key) => pages.get(`${key.accountId}:${key.limit}`)!);
      },
      { cacheKeyFn: (key) => `${key.accountId}:${key.limit}` },
    ),
  };
}

type RankedRow = Omit<CredentialRow, 'lastTest'> & { lastTestResult: string | null };

/**
 * One statement for any number of accounts: rank each account's live credentials newest first
 * with a window function, keep limit + 1 of each (the extra one says whether a next page
 * exists), and join their rows and last test results. Raw SQL because Prisma cannot filter on a
 * window function; it binds only the account ids, so SQLite's bound-value limit is never near.
 */
async function firstPages(db: Database, accountIds: string[], limit: number): Promise<Map<string, Page<PublicCredential>>> {
  const rows = await db.prisma.$queryRaw<RankedRow[]>(sql`
    SELECT c.*, t."result" AS "lastTestResult"
    FROM (
      SELECT "id", ROW_NUMBER() OVER (PARTITION BY "accountId" ORDER BY "createdAt" DESC, "id" DESC) AS "rank"
      FROM "ProviderCredential"
      WHERE "accountId" IN (${join(accountIds)}) AND "deletedAt" IS NULL
    ) AS "ranked"
    JOIN "ProviderCredential" c ON c."id" = "ranked"."id"
    LEFT JOIN "ConnectivityTest" t ON t."id" = c."lastTestId"
    WHERE "ranked"."rank" <= ${limit + 1}
    ORDER BY c."accountId", "ranked"."rank"`);
  const pages = new Map<string, Page<PublicCredential>>(accountIds.map((id) => [id, { items: [], nextCursor: null }]));
  for (const { lastTestResult, ...row } of rows) {
    const page = pages.get(row.accountId)!;
    if (page.items.length < limit) page.items.push(presentCredential({ ...row, lastTest: lastTestResult === null ? null : { result: lastTestResult } }));
    else page.nextCursor ??= encodeCursor(page.items[page.items.length - 1]!);
  }
  return pages;
}
