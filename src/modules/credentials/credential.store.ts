// Prisma queries for credential metadata. Deleted credentials stay as tombstones (deletedAt
// set, secret destroyed) so downstream use can answer CREDENTIAL_DELETED; every read here
// for the public API excludes them.
import { sqltag as sql } from '@prisma/client/runtime/client';
import type { Database } from '../../db/client.js';
import type { Tx } from '../../db/transaction.js';
import { PAGE_ORDER, pageWhere, toPage, type Page, type PageRequest } from '../../shared/pagination.js';
import { CREDENTIAL_INCLUDE, type CredentialRow } from './credential.presenter.js';
import type { SearchFilter } from './credential.rules.js';

export type StoredCredential = CredentialRow & { deletedAt: Date | null; lastTestStatus: string };

/** A live credential; `withLastTest` also reads its last test result (one more statement). */
export async function findLiveCredential(db: Database | { prisma: Tx }, id: string, { withLastTest = false } = {}): Promise<StoredCredential | null> {
  const where = { id, deletedAt: null };
  return withLastTest ? db.prisma.providerCredential.findFirst({ where, include: CREDENTIAL_INCLUDE }) : db.prisma.providerCredential.findFirst({ where });
}

// Prisma's `contains` becomes `LIKE '%' || ? || '%'` without escaping (Prisma 7.10, both
// databases), so `_` and `%` in a search term would act as wildcards, and on PostgreSQL a
// backslash as LIKE's escape character. Terms with such characters are matched literally here.
const LIKE_SPECIAL = /[%_\\]/;

/** A validated filter whose substring terms are safe to hand to Prisma's `contains`. */
type LiteralSearchFilter = SearchFilter & { idIn?: string[] };

/**
 * The `where` of a search. Substring terms without LIKE's special characters stay plain
 * `contains`; a host term with one matches nothing (stored hosts are letters, digits, `-`, `.`
 * and `:` only); a label term with one is matched with instr/strpos instead of LIKE.
 */
export async function searchWhereLiteral(db: Database, accountId: string, filter: SearchFilter): Promise<ReturnType<typeof searchWhere>> {
  const literal: LiteralSearchFilter = { ...filter };
  if (filter.hostContains && LIKE_SPECIAL.test(filter.hostContains)) {
    delete literal.hostContains;
    literal.idIn = [];
  } else if (filter.labelContains && LIKE_SPECIAL.test(filter.labelContains)) {
    delete literal.labelContains;
    const position = db.provider === 'sqlite' ? sql`instr("labelLower", ${filter.labelContains})` : sql`strpos("labelLower", ${filter.labelContains})`;
    const rows = await db.prisma.$queryRaw<{ id: string }[]>(
      sql`SELECT "id" FROM "ProviderCredential" WHERE "accountId" = ${accountId} AND "deletedAt" IS NULL AND ${position} > 0`,
    );
    literal.idIn = rows.map((row) => row.id);
  }
  return searchWhere(accountId, literal);
}

/** Every filter of the spec, combined with AND; each equality filter has its own index. */
export function searchWhere(accountId: string, filter: LiteralSearchFilter) {
  return {
    accountId,
    deletedAt: null,
    ...(filter.providerKind && { providerKind: filter.providerKind }),
    ...(filter.securityMode && { securityMode: filter.securityMode }),
    ...(filter.authKind && { authKind: filter.authKind }),
    ...(filter.host && { host: filter.host }),
    ...(filter.hostContains && { host: { ...(filter.host ? { equals: filter.host } : {}), contains: filter.hostContains } }),
    ...(filter.labelContains && { labelLower: { contains: filter.labelContains } }),
    ...(filter.idIn && { id: { in: filter.idIn } }),
    ...(filter.lastTestStatus && { lastTestStatus: filter.lastTestStatus }),
    ...((filter.createdAfter || filter.createdBefore) && {
      AND: [
        ...(filter.createdAfter ? [{ createdAt: { gt: filter.createdAfter } }] : []),
        ...(filter.createdBefore ? [{ createdAt: { lt: filter.createdBefore } }] : []),
      ],
    }),
  };
}

export async function pageCredentials(db: Database, where: ReturnType<typeof searchWhere>, page: PageRequest): Promise<Page<StoredCredential>> {
  const rows = await db.prisma.providerCredential.findMany({
    where: { ...where, ...(page.after ? { AND: [...(where.AND ?? []), pageWhere(page.after)] } : {}) },
    include: CREDENTIAL_INCLUDE,
    // deletedAt is the same (null) for every row read here, so ordering by it first changes no
    // result; it lets PostgreSQL walk the (accountId, deletedAt, createdAt, id) index backwards
    // instead of sorting the whole account (EXPLAIN: a backward index scan, no sort).
    orderBy: [{ deletedAt: 'desc' }, ...PAGE_ORDER],
    take: page.limit + 1,
  });
  return toPage(rows, page.limit);
}
