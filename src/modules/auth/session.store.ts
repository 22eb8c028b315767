// The one read every authenticated request makes: a live session with its user and the user's
// memberships, in one statement through Database.hotRead (no ORM on this path; see client.ts).
import type { Database } from '../../db/client.js';
import type { Role, Viewer } from './policy.js';

// One row per membership (or one row with null account for a user without any). The expiry is
// compared in SQL against the caller's clock, written the way the SQLite adapter stores
// DateTime; PostgreSQL reads the same text as a timestamp and ignores the "+00:00".
const LIVE_SESSION_SQL = `
SELECT s."id" AS "sessionId", u."id" AS "userId", u."email" AS "email", m."accountId" AS "accountId", m."role" AS "role"
FROM "Session" s
JOIN "User" u ON u."id" = s."userId"
LEFT JOIN "Membership" m ON m."userId" = u."id"
WHERE s."tokenHash" = ? AND s."revokedAt" IS NULL AND s."expiresAt" > ?`;

interface LiveSessionRow {
  sessionId: string;
  userId: string;
  email: string;
  accountId: string | null;
  role: Role | null;
}

/** The viewer behind a live (unrevoked, unexpired) session, or null. */
export async function findLiveSessionViewer(db: Database, tokenHash: string, now = new Date()): Promise<Viewer | null> {
  const rows = await db.hotRead<LiveSessionRow>(LIVE_SESSION_SQL, [tokenHash, now.toISOString().replace('Z', '+00:00')]);
  const first = rows[0];
  if (!first) return null;
  const roles = new Map<string, Role>();
  for (const row of rows) if (row.accountId !== null && row.role !== null) roles.set(row.accountId, row.role);
  return { userId: first.userId, email: first.email, sessionId: first.sessionId, roles };
}
