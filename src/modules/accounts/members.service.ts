// Account membership management: admins add existing users with a role, change roles and
// remove members. An account always keeps at least one admin.
import type { Database } from '../../db/client.js';
import type { Tx } from '../../db/transaction.js';
import { AppError } from '../../errors.js';
import { newId } from '../../shared/ids.js';
import { parseInput } from '../../shared/validation.js';
import { recordAudit } from '../audit/audit.store.js';
import { memberInputSchema } from '../auth/auth.schemas.js';
import { authorize, type Role, type Viewer } from '../auth/policy.js';

export interface MemberView {
  userId: string;
  email: string;
  accountId: string;
  role: Role;
  createdAt: Date;
}

export class MembersService {
  constructor(private readonly db: Database) {}

  async list(viewer: Viewer, accountId: string): Promise<MemberView[]> {
    authorize(viewer, 'member.read', accountId);
    const rows = await this.db.prisma.membership.findMany({ where: { accountId }, include: { user: true }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    return rows.map(toMemberView);
  }

  /** Adds an existing user to the account, or changes the role of a current member. */
  async put(viewer: Viewer, accountId: string, input: unknown, requestId: string): Promise<MemberView> {
    authorize(viewer, 'member.manage', accountId);
    const { email, role } = parseInput(memberInputSchema, input);
    return this.db.prisma.$transaction(async (tx) => {
      const user = await tx.user.findUnique({ where: { email } });
      if (!user) throw new AppError('NOT_FOUND', 'No user with this email exists; create the user first (sign-up or the operator CLI).', [{ field: 'email', message: 'is not a registered user' }]);
      const existing = await tx.membership.findUnique({ where: { userId_accountId: { userId: user.id, accountId } } });
      if (existing?.role === role) return toMemberView({ ...existing, user });
      if (existing?.role === 'admin') await assertAnotherAdmin(tx, accountId, user.id);
      const membership = existing
        ? await tx.membership.update({ where: { id: existing.id }, data: { role } })
        : await tx.membership.create({ data: { id: newId('membership'), userId: user.id, accountId, role } });
      await recordAudit(tx, {
        accountId,
        actorUserId: viewer.userId,
        action: existing ? 'member.role_changed' : 'member.added',
        targetId: user.id,
        requestId,
        details: existing ? { from: existing.role, to: role } : { role },
      });
      return toMemberView({ ...membership, user });
    });
  }

  async remove(viewer: Viewer, accountId: string, userId: string, requestId: string): Promise<void> {
    authorize(viewer, 'member.manage', accountId);
    await this.db.prisma.$transaction(async (tx) => {
      const existing = await tx.membership.findUnique({ where: { userId_accountId: { userId, accountId } } });
      if (!existing) throw new AppError('NOT_FOUND', 'The member was not found.');
      if (existing.role === 'admin') await assertAnotherAdmin(tx, accountId, userId);
      await tx.membership.delete({ where: { id: existing.id } });
      await recordAudit(tx, { accountId, actorUserId: viewer.userId, action: 'member.removed', targetId: userId, requestId, details: { role: existing.role } });
    });
  }
}

async function assertAnotherAdmin(tx: Tx, accountId: string, leavingUserId: string): Promise<void> {
  const others = await tx.membership.count({ where: { accountId, role: 'admin', userId: { not: leavingUserId } } });
  if (others === 0) throw new AppError('CONFLICT', 'An account needs at least one admin: promote another member before removing or demoting the last admin.');
}

function toMemberView(row: { userId: string; accountId: string; role: string; createdAt: Date; user: { email: string } }): MemberView {
  return { userId: row.userId, email: row.user.email, accountId: row.accountId, role: row.role as Role, createdAt: row.createdAt };
}
