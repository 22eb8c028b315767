// Sign-up, sign-in, sign-out and token authentication. Every other service receives the
// Viewer this produces and checks it against the policy table.
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { newId } from '../../shared/ids.js';
import type { RateLimitStore, RateLimiter } from '../../shared/rate-limiter.js';
import { parseInput } from '../../shared/validation.js';
import { recordAudit } from '../audit/audit.store.js';
import { signInSchema, signUpSchema } from './auth.schemas.js';
import { hashPassword, verifyPassword } from './passwords.js';
import type { Viewer } from './policy.js';
import { hashSessionToken, newSessionToken, parseBearer } from './session-tokens.js';
import { findLiveSessionViewer } from './session.store.js';

export interface CallerInfo {
  requestId: string;
  ip: string;
}

export interface UserView {
  id: string;
  email: string;
  createdAt: Date;
}

export interface AccountView {
  id: string;
  name: string;
  createdAt: Date;
}

export interface SignUpResult {
  token: string;
  user: UserView;
  account: AccountView;
}

export interface SignInResult {
  token: string;
  user: UserView;
  accounts: AccountView[];
}

const INVALID_SIGN_IN = 'The email or password is incorrect.';
const INVALID_TOKEN = 'The bearer token is invalid, expired or revoked; sign in again.';

export class AuthService {
  private readonly signInPerIp: RateLimiter;
  private readonly signInPerEmail: RateLimiter;
  private readonly signUpPerIp: RateLimiter;

  constructor(
    private readonly db: Database,
    private readonly config: Config,
    rateLimits: RateLimitStore,
  ) {
    this.signInPerIp = rateLimits.limiter({ name: 'sign-in-ip', ...config.rateLimits.signInPerIp });
    this.signInPerEmail = rateLimits.limiter({ name: 'sign-in-email', ...config.rateLimits.signInPerEmail });
    this.signUpPerIp = rateLimits.limiter({ name: 'sign-up-ip', ...config.rateLimits.signUpPerIp });
  }

  async signUp(input: unknown, caller: CallerInfo): Promise<SignUpResult> {
    if (!this.config.allowSignup) throw new AppError('FORBIDDEN', 'Sign-up is disabled on this server; ask an operator for an account.');
    await this.signUpPerIp.consume(caller.ip);
    const { email, password, accountName } = parseInput(signUpSchema, input);
    const passwordHash = await hashPassword(password);
    const token = newSessionToken();
    const result = await this.db.prisma.$transaction(async (tx) => {
      if (await tx.user.findUnique({ where: { email }, select: { id: true } })) {
        throw new AppError('CONFLICT', 'An account with this email already exists; sign in instead.', [{ field: 'email', message: 'is already registered' }]);
      }
      const user = await tx.user.create({ data: { id: newId('user'), email, passwordHash } });
      const account = await tx.account.create({ data: { id: newId('account'), name: accountName } });
      await tx.membership.create({ data: { id: newId('membership'), userId: user.id, accountId: account.id, role: 'admin' } });
      await tx.session.create({ data: this.sessionRow(user.id, token) });
      return { user, account };
    });
    return { token, user: toUserView(result.user), account: toAccountView(result.account) };
  }

  async signIn(input: unknown, caller: CallerInfo): Promise<SignInResult> {
    await this.signInPerIp.consume(caller.ip);
    const { email, password } = parseInput(signInSchema, input);
    await this.signInPerEmail.consume(email);
    const user = await this.db.prisma.user.findUnique({ where: { email }, include: { memberships: { include: { account: true } } } });
    const valid = await verifyPassword(user?.passwordHash ?? null, password);
    if (!user || !valid) {
      if (user) await this.recordFailedSignIn(user.id, user.memberships.map((m) => m.accountId), caller);
      throw new AppError('UNAUTHENTICATED', INVALID_SIGN_IN);
    }
    const token = newSessionToken();
    await this.db.prisma.session.create({ data: this.sessionRow(user.id, token) });
    return { token, user: toUserView(user), accounts: user.memberships.map((m) => toAccountView(m.account)) };
  }

  async signOut(viewer: Viewer): Promise<void> {
    await this.db.prisma.session.updateMany({ where: { id: viewer.sessionId, revokedAt: null }, data: { revokedAt: new Date() } });
  }

  /** Resolves an Authorization header to a Viewer, or throws UNAUTHENTICATED. */
  async authenticate(authorization: string | undefined): Promise<Viewer> {
    const token = parseBearer(authorization);
    if (token === undefined) throw new AppError('UNAUTHENTICATED', 'Sign in first and send the token as "Authorization: Bearer <token>".');
    if (token === null) throw new AppError('UNAUTHENTICATED', 'The Authorization header must be "Bearer <token>" with a token issued by sign-in.');
    const viewer = await findLiveSessionViewer(this.db, hashSessionToken(token));
    if (!viewer) throw new AppError('UNAUTHENTICATED', INVALID_TOKEN);
    return viewer;
  }

  private sessionRow(userId: string, token: string) {
    return { id: newId('session'), userId, tokenHash: hashSessionToken(token), expiresAt: new Date(Date.now() + this.config.sessionTtlSeconds * 1000) };
  }

  private async recordFailedSignIn(userId: string, accountIds: string[], caller: CallerInfo): Promise<void> {
    if (accountIds.length === 0) return;
    await this.db.prisma.$transaction(async (tx) => {
      for (const accountId of accountIds) {
        await recordAudit(tx, { accountId, actorUserId: userId, action: 'auth.sign_in_failed', targetId: userId, requestId: caller.requestId, details: { ip: caller.ip } });
      }
    });
  }
}

export const toUserView = ({ id, email, createdAt }: UserView): UserView => ({ id, email, createdAt });
export const toAccountView = ({ id, name, createdAt }: AccountView): AccountView => ({ id, name, createdAt });
