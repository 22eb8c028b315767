// Demo data for development: one user, one account they administer, and a handful of provider
// credentials covering IMAP/SMTP, SSL/TLS and STARTTLS, password and OAuth2, all on reserved
// example.* hosts. Everything goes through the services (validation, encryption of the
// secrets, audit events), and every step checks first, so running it again adds nothing.
import type { AppServices } from '../app-services.js';
import { AppError } from '../errors.js';
import type { Caller } from '../modules/credentials/credentials.service.js';
import { OperatorService } from './operator.service.js';

export const DEMO_EMAIL = 'demo@example.com';
export const DEMO_PASSWORD = 'demo-password';
export const DEMO_ACCOUNT_NAME = 'Demo Company';

/** Label → credential. Labels identify the demo credentials when the seed runs again. */
export const DEMO_CREDENTIALS = [
  { label: 'Demo IMAP (SSL/TLS)', providerKind: 'imap', host: 'imap.example.com', port: 993, securityMode: 'ssl_tls', authKind: 'password', username: 'demo@example.com', secret: 'demo imap password' },
  { label: 'Demo IMAP (STARTTLS)', providerKind: 'imap', host: 'mail.example.net', port: 143, securityMode: 'starttls', authKind: 'password', username: 'support@example.net', secret: 'demo imap password 2' },
  { label: 'Demo IMAP (OAuth2)', providerKind: 'imap', host: 'imap.example.org', port: 993, securityMode: 'ssl_tls', authKind: 'oauth2', username: 'sales@example.org', secret: 'demo-oauth2-access-token' },
  { label: 'Demo SMTP (SSL/TLS)', providerKind: 'smtp', host: 'smtp.example.com', port: 465, securityMode: 'ssl_tls', authKind: 'password', username: 'demo@example.com', secret: 'demo smtp password' },
  { label: 'Demo SMTP (STARTTLS)', providerKind: 'smtp', host: 'smtp.example.net', port: 587, securityMode: 'starttls', authKind: 'password', username: 'support@example.net', secret: 'demo smtp password 2' },
  { label: 'Demo SMTP (OAuth2)', providerKind: 'smtp', host: 'smtp.example.org', port: 587, securityMode: 'starttls', authKind: 'oauth2', username: 'sales@example.org', secret: 'demo-oauth2-access-token' },
] as const;

export interface DemoSeedResult {
  email: string;
  password: string;
  userId: string;
  account: { id: string; name: string };
  /** A fresh bearer token (each run signs in once, which adds one session). */
  token: string;
  created: { user: boolean; account: boolean; credentials: number };
  credentials: { id: string; label: string; providerKind: string; host: string; port: number; securityMode: string }[];
}

const SEED_CALLER = { requestId: 'seed-demo', ip: '127.0.0.1' };

export async function seedDemoData(services: AppServices, password = DEMO_PASSWORD): Promise<DemoSeedResult> {
  const operator = new OperatorService(services.db);
  const existing = await services.db.prisma.user.findUnique({ where: { email: DEMO_EMAIL }, select: { id: true } });

  // The user: created on the first run; every run signs in for a fresh token.
  let token: string;
  let createdUser = false;
  if (!existing) {
    await operator.createUser({ email: DEMO_EMAIL, password });
    createdUser = true;
  }
  try {
    ({ token } = await services.auth.signIn({ email: DEMO_EMAIL, password }, SEED_CALLER));
  } catch (error) {
    if (error instanceof AppError && error.code === 'UNAUTHENTICATED') {
      throw new AppError('CONFLICT', `${DEMO_EMAIL} exists with another password; sign in with yours, or reset the demo database (delete the SQLite file) and seed again.`);
    }
    throw error;
  }
  let viewer = await services.auth.authenticate(`Bearer ${token}`);

  // The account: the demo user's admin account of that name, created when missing.
  const memberships = await services.users.memberships(viewer.userId);
  let account = memberships.find((m) => m.role === 'admin' && m.account.name === DEMO_ACCOUNT_NAME)?.account;
  let createdAccount = false;
  if (!account) {
    const created = await operator.createAccount({ name: DEMO_ACCOUNT_NAME, adminEmail: DEMO_EMAIL });
    account = { id: created.id, name: created.name, createdAt: new Date() };
    createdAccount = true;
    viewer = await services.auth.authenticate(`Bearer ${token}`); // roles now include the account
  }

  // The credentials: one per label, created (unverified: the hosts are fictitious) when missing.
  const caller: Caller = { viewer, requestId: SEED_CALLER.requestId };
  const present = (await services.credentials.list(caller, account.id, 200, null)).items;
  let createdCredentials = 0;
  for (const demo of DEMO_CREDENTIALS) {
    if (present.some((credential) => credential.label === demo.label)) continue;
    present.push(await services.credentials.create(caller, account.id, { ...demo, verify: false }));
    createdCredentials += 1;
  }

  return {
    email: DEMO_EMAIL,
    password,
    userId: viewer.userId,
    account: { id: account.id, name: account.name },
    token,
    created: { user: createdUser, account: createdAccount, credentials: createdCredentials },
    credentials: present
      .filter((credential) => DEMO_CREDENTIALS.some((demo) => demo.label === credential.label))
      .map(({ id, label, providerKind, host, port, securityMode }) => ({ id, label: label!, providerKind, host, port, securityMode })),
  };
}
