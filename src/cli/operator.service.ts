// What an operator can do from the command line, without a bearer token: create users and
// accounts, manage members, revoke sessions, list accounts. Validation, errors and audit events
// are the API's own: membership changes go through MembersService (same rules: last admin,
// audit in the same transaction), inputs through the same zod schemas.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Database } from '../db/client.js';
import { AppError } from '../errors.js';
import { MembersService, type MemberView } from '../modules/accounts/members.service.js';
import { recordAudit } from '../modules/audit/audit.store.js';
import { signUpSchema } from '../modules/auth/auth.schemas.js';
import { hashPassword } from '../modules/auth/passwords.js';
import type { Role, Viewer } from '../modules/auth/policy.js';
import { newId } from '../shared/ids.js';
import { parseInput } from '../shared/validation.js';

/** The actor recorded in audit events written by the operator CLI (it is not a user). */
export const OPERATOR_ACTOR_ID = 'operator';

const newUserSchema = signUpSchema.pick({ email: true, password: true });
const newAccountSchema = z.strictObject({ name: signUpSchema.shape.accountName, adminEmail: signUpSchema.shape.email });
const emailOnlySchema = signUpSchema.pick({ email: true });

export interface CreatedUser {
  id: string;
  email: string;
}

export interface CreatedAccount {
  id: string;
  name: string;
  adminUserId: string;
}

export interface AccountSummary {
  id: string;
  name: string;
  createdAt: Date;
  members: number;
  admins: string[];
  credentials: number;
}

export class OperatorService {
  private readonly members: MembersService;

  constructor(private readonly db: Database) {
    this.members = new MembersService(db);
  }

  /** A request id for the audit log, so one CLI run's events can be found together. */
  readonly requestId = `cli-${randomUUID()}`;

  /** Creates a user without any account (add them to one with addMember or createAccount). */
  async createUser(input: { email?: string; password?: string }): Promise<CreatedUser> {
    const { email, password } = parseInput(newUserSchema, input);
    if (await this.db.prisma.user.findUnique({ where: { email }, select: { id: true } })) {
      throw new AppError('CONFLICT', `A user with the email ${email} already exists.`, [{ field: 'email', message: 'is already registered' }]);
    }
    const user = await this.db.prisma.user.create({ data: { id: newId('user'), email, passwordHash: await hashPassword(password) } });
    return { id: user.id, email: user.email };
  }

  /** Creates an account administered by an existing user. */
  async createAccount(input: { name?: string; adminEmail?: string }): Promise<CreatedAccount> {
    const { name, adminEmail } = parseInput(newAccountSchema, input);
    return this.db.prisma.$transaction(async (tx) => {
      const user = await tx.user.findUnique({ where: { email: adminEmail } });
      if (!user) throw new AppError('NOT_FOUND', `No user with the email ${adminEmail} exists; create it first with user:create.`, [{ field: 'adminEmail', message: 'is not a registered user' }]);
      const account = await tx.account.create({ data: { id: newId('account'), name } });
      await tx.membership.create({ data: { id: newId('membership'), userId: user.id, accountId: account.id, role: 'admin' } });
      await recordAudit(tx, { accountId: account.id, actorUserId: OPERATOR_ACTOR_ID, action: 'member.added', targetId: user.id, requestId: this.requestId, details: { role: 'admin' } });
      return { id: account.id, name: account.name, adminUserId: user.id };
    });
  }

  /** Adds an existing user to an account, or changes their role (MembersService's rules). */
  async addMember(accountId: string, input: { email?: string; role?: string }): Promise<MemberView & { accountName: string }> {
    const account = await this.db.prisma.account.findUnique({ where: { id: accountId } });
    if (!account) throw new AppError('NOT_FOUND', `No account with the id ${accountId} exists; list them with accounts:list.`);
    const member = await this.members.put(operatorViewer(accountId), accountId, input, this.requestId);
    return { ...member, accountName: account.name };
  }

  /** Revokes every session of a user that is still active; returns how many. */
  async revokeSessions(input: { email?: string }): Promise<{ userId: string; revoked: number }> {
    const { email } = parseInput(emailOnlySchema, input);
    const user = await this.db.prisma.user.findUnique({ where: { email }, select: { id: true } });
    if (!user) throw new AppError('NOT_FOUND', `No user with the email ${email} exists.`, [{ field: 'email', message: 'is not a registered user' }]);
    const { count } = await this.db.prisma.session.updateMany({ where: { userId: user.id, revokedAt: null, expiresAt: { gt: new Date() } }, data: { revokedAt: new Date() } });
    return { userId: user.id, revoked: count };
  }

  async listAccounts(): Promise<AccountSummary[]> {
    const accounts = await this.db.prisma.account.findMany({
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      include: { memberships: { include: { user: { select: { email: true } } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } },
    });
    const credentialCounts = await this.db.prisma.providerCredential.groupBy({ by: ['accountId'], where: { deletedAt: null }, _count: { _all: true } });
    const credentialsByAccount = new Map(credentialCounts.map((row) => [row.accountId, row._count._all]));
    return accounts.map((account) => ({
      id: account.id,
      name: account.name,
      createdAt: account.createdAt,
      members: account.memberships.length,
      admins: account.memberships.filter((m) => m.role === 'admin').map((m) => m.user.email),
      credentials: credentialsByAccount.get(account.id) ?? 0,
    }));
  }
}

/** The operator acts with an admin's rights in the one account a command names. */
function operatorViewer(accountId: string): Viewer {
  return { userId: OPERATOR_ACTOR_ID, email: OPERATOR_ACTOR_ID, sessionId: 'cli', roles: new Map<string, Role>([[accountId, 'admin']]) };
}
