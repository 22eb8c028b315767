// Reading the audit log: admins only, newest first, cursor pages.
import type { Database } from '../../db/client.js';
import { PAGE_ORDER, pageWhere, toPage, type Page, type PageRequest } from '../../shared/pagination.js';
import { authorize, type Viewer } from '../auth/policy.js';

export interface AuditEventView {
  id: string;
  accountId: string | null;
  actorUserId: string | null;
  action: string;
  targetId: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
  createdAt: Date;
}

export class AuditService {
  constructor(private readonly db: Database) {}

  async list(viewer: Viewer, accountId: string, page: PageRequest): Promise<Page<AuditEventView>> {
    authorize(viewer, 'audit.read', accountId);
    const rows = await this.db.prisma.auditEvent.findMany({
      where: { accountId, ...pageWhere(page.after) },
      orderBy: PAGE_ORDER,
      take: page.limit + 1,
    });
    const result = toPage(rows, page.limit);
    return { ...result, items: result.items.map((row) => ({ ...row, details: JSON.parse(row.details) as Record<string, unknown> })) };
  }
}
