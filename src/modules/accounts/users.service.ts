// Reading users and their memberships (for `me`).
import type { Database } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { toAccountView, toUserView, type AccountView, type UserView } from '../auth/auth.service.js';

export class UsersService {
  constructor(private readonly db: Database) {}

  async get(userId: string): Promise<UserView> {
    const user = await this.db.prisma.user.findUnique({ where: { id: userId } });
    if (!user) throw new AppError('UNAUTHENTICATED', 'The user of this token no longer exists.');
    return toUserView(user);
  }

  async memberships(userId: string): Promise<{ role: string; account: AccountView }[]> {
    const rows = await this.db.prisma.membership.findMany({ where: { userId }, include: { account: true }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    return rows.map((row) => ({ role: row.role, account: toAccountView(row.account) }));
  }
}
