// Prisma queries for credential metadata. Deleted credentials stay as tombstones (deletedAt
// set, secret destroyed) so downstream use can answer CREDENTIAL_DELETED; every read here
// for the public API excludes them.
import type { Database } from '../../db/client.js';
import type { Tx } from '../../db/transaction.js';
import { PAGE_ORDER, pageWhere, toPage, type Page, type PageRequest } from '../../shared/pagination.js';
import { CREDENTIAL_INCLUDE, type CredentialRow } from './credential.presenter.js';
import type { SearchFilter } from './credential.rules.js';

export type StoredCredential = CredentialRow & { deletedAt: Date | null; lastTestStatus: string };

export function findLiveCredential(db: Database | { prisma: Tx }, id: string): Promise<StoredCredential | null> {
  return db.prisma.providerCredential.findFirst({ where: { id, deletedAt: null }, include: CREDENTIAL_INCLUDE });
}

/** Every filter of the spec, combined with AND; each equality filter has its own index. */
export function searchWhere(accountId: string, filter: SearchFilter) {
  return {
    accountId,
    deletedAt: null,
    ...(filter.providerKind && { providerKind: filter.providerKind }),
    ...(filter.securityMode && { securityMode: filter.securityMode }),
    ...(filter.authKind && { authKind: filter.authKind }),
    ...(filter.host && { host: filter.host }),
    ...(filter.hostContains && { host: { ...(filter.host ? { equals: filter.host } : {}), contains: filter.hostContains } }),
    ...(filter.labelContains && { labelLower: { contains: filter.labelContains } }),
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
    orderBy: PAGE_ORDER,
    take: page.limit + 1,
  });
  return toPage(rows, page.limit);
}
