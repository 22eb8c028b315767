// Newest-first cursor pages, the same for every list: order by (createdAt desc, id desc), the
// cursor names the last row seen. Rows inserted later sort before the cursor, so a page walk
// never repeats or skips a row under concurrent inserts.
import { validationFailed, type FieldProblem } from '../errors.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export interface PageRequest {
  limit: number;
  after: { createdAt: Date; id: string } | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const encodeCursor = (row: { createdAt: Date; id: string }): string =>
  Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id]), 'utf8').toString('base64url');

/** Validates limit and cursor; `fields` names them as the caller sent them (limit/first, cursor/after). */
export function toPageRequest(limit: unknown, cursor: unknown, fields = { limit: 'limit', cursor: 'cursor' }): PageRequest {
  const problems: FieldProblem[] = [];
  let size = DEFAULT_PAGE_SIZE;
  if (limit !== undefined && limit !== null) {
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
      problems.push({ field: fields.limit, message: `must be a whole number from 1 to ${MAX_PAGE_SIZE}` });
    } else size = limit;
  }
  let after: PageRequest['after'] = null;
  if (cursor !== undefined && cursor !== null && cursor !== '') {
    after = typeof cursor === 'string' ? decodeCursor(cursor) : null;
    if (!after) problems.push({ field: fields.cursor, message: 'is not a cursor returned by this API' });
  }
  if (problems.length) throw validationFailed(problems);
  return { limit: size, after };
}

function decodeCursor(cursor: string): PageRequest['after'] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== 'string' || typeof value[1] !== 'string') return null;
    const createdAt = new Date(value[0]);
    if (Number.isNaN(createdAt.getTime()) || value[1].length > 64) return null;
    return { createdAt, id: value[1] };
  } catch {
    return null;
  }
}

/** The Prisma `where` fragment and ordering that select the rows after the cursor. */
export function pageWhere(after: PageRequest['after']) {
  if (!after) return {};
  return { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] };
}

export const PAGE_ORDER = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];

/** Cuts the extra row fetched to learn whether another page exists. */
export function toPage<T extends { createdAt: Date; id: string }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1]!) : null };
}
