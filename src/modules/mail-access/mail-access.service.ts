// Downstream use of a stored credential by its id: an IMAP client or an SMTP transporter that
// the caller's function uses and that is closed when the function returns.
//
// Before ANY connection is opened the credential must exist and not be deleted
// (CREDENTIAL_DELETED), have passed its last connectivity test since it last changed
// (CREDENTIAL_NOT_VERIFIED), and have a secret the key ring can decrypt (SECRET_UNREADABLE).
// Connections are opened as the connectivity probe opens them (guarded resolved IP, verified
// certificates with the operator's extra CA, bounded timeouts); failures of the mail server
// are MAIL_SERVER_ERROR with the probe's classification in details.
import { readFileSync } from 'node:fs';
import type { ImapFlow } from 'imapflow';
import { z } from 'zod';
import type { AppServices } from '../../app-services.js';
import { AppError, notFound } from '../../errors.js';
import type { RateLimiter } from '../../shared/rate-limiter.js';
import { parseInput } from '../../shared/validation.js';
import { recordAudit } from '../audit/audit.store.js';
import { authorize, type Action, type Viewer } from '../auth/policy.js';
import type { HostResolver } from '../connectivity/connectivity.service.js';
import type { AuthKind, ProbeTarget, ProviderKind, SecurityMode } from '../connectivity/types.js';
import { openCredential, readSecretRow } from '../vault/credential-secrets.js';
import { openImapSession } from './imap-session.js';
import { DeadlineExpired, withinDeadline, type MailSettings } from './mail-connection.js';
import { credentialDeleted, credentialNotVerified, isMailLibraryError, secretUnreadable } from './mail-errors.js';
import { openSmtpSession, type SmtpTransporter } from './smtp-session.js';

const NOT_FOUND_NAME = 'The provider credential';
/** The longest a whole session (connect + the caller's work) may take by default. */
const DEFAULT_SESSION_MS = 60_000;

export interface MailUseOptions {
  /** Check this viewer against the policy for `action` in the credential's account first. */
  access?: { viewer: Viewer; action: Action };
  /** Hard limit for connect + the caller's function; the connection is dropped when it passes. */
  sessionTimeoutMs?: number;
  /** Runs after every refusal check and before anything is dialled (e.g. a rate limit). */
  beforeUse?: (accountId: string) => Promise<void>;
}

export interface SmtpSender {
  /** The credential's sign-in name: the natural sender address of messages it sends. */
  username: string;
  /** The account the credential belongs to. */
  accountId: string;
}

export interface MailCaller {
  viewer: Viewer;
  requestId: string;
}

const sendTestMessageSchema = z.strictObject({
  to: z
    .string({ error: 'must be a string' })
    .max(254, { error: 'must be at most 254 characters' })
    .regex(/^[^\s@<>(),;:"[\]\\]+@[^\s@<>(),;:"[\]\\]+\.[^\s@<>(),;:"[\]\\]+$/, { error: 'must be one email address (local@domain)' }),
});

export class MailAccessService {
  private inFlight = 0;
  private readonly settings: MailSettings;
  private readonly messagesPerAccount: RateLimiter;

  constructor(
    private readonly services: Pick<AppServices, 'db' | 'vault' | 'config' | 'rateLimits' | 'logger'>,
    resolver?: HostResolver,
  ) {
    const { timeoutMs, allowedHosts, extraCaFile } = services.config.connectivity;
    this.settings = {
      timeoutMs,
      allowedHosts,
      extraCa: extraCaFile ? readFileSync(extraCaFile, 'utf8') : undefined,
      resolver,
      allowInsecureTransport: services.config.allowInsecureTransport,
    };
    this.messagesPerAccount = services.rateLimits.limiter({ name: 'test-messages-per-account', ...services.config.rateLimits.testsPerAccount });
  }

  /** Runs `fn` with a logged-in imapflow client; logs out and closes when `fn` settles. */
  async withImapClient<T>(credentialId: string, fn: (client: ImapFlow) => Promise<T>, options: MailUseOptions = {}): Promise<T> {
    const target = await this.usableTarget(credentialId, 'imap', options);
    return this.inSlot(async () => {
      const session = await openImapSession(target, this.settings);
      try {
        return await withinDeadline(fn(session.client), this.sessionTimeout(options), session.destroy);
      } catch (error) {
        throw error instanceof AppError || !(error instanceof DeadlineExpired || isMailLibraryError(error)) ? error : session.classify(error);
      } finally {
        await session.end();
      }
    });
  }

  /**
   * Runs `fn` with a nodemailer transporter bound to the credential's server (each sendMail
   * dials the guarded address and logs in); the transporter stops working when `fn` settles.
   */
  async withSmtpTransport<T>(credentialId: string, fn: (transporter: SmtpTransporter, sender: SmtpSender) => Promise<T>, options: MailUseOptions = {}): Promise<T> {
    const target = await this.usableTarget(credentialId, 'smtp', options);
    return this.inSlot(async () => {
      const session = await openSmtpSession(target, this.settings);
      try {
        return await withinDeadline(fn(session.transporter, { username: target.username, accountId: target.accountId }), this.sessionTimeout(options), session.end);
      } catch (error) {
        throw error instanceof AppError || !(error instanceof DeadlineExpired || isMailLibraryError(error)) ? error : session.classify(error);
      } finally {
        session.end();
      }
    });
  }

  /** The IMAP folder paths of the credential's mailbox (LIST); nothing is selected or changed. */
  async listMailboxes({ viewer }: MailCaller, credentialId: string): Promise<string[]> {
    return this.withImapClient(credentialId, async (client) => (await client.list()).map((mailbox) => mailbox.path), {
      access: { viewer, action: 'credential.use' },
    });
  }

  /**
   * Sends one short plain-text test message to `to` from the credential's username. The only
   * operation of the API that sends mail: admin role, and rate-limited per account.
   */
  async sendTestMessage({ viewer, requestId }: MailCaller, credentialId: string, input: unknown): Promise<boolean> {
    const { to } = parseInput(sendTestMessageSchema, input);
    return this.withSmtpTransport(
      credentialId,
      async (transporter, { username, accountId }) => {
        if (!/^[^\s@]+@[^\s@]+$/.test(username)) {
          throw new AppError('VALIDATION_FAILED', 'The credential\'s username is not an email address, so it cannot be the sender of a test message.', [
            { field: 'id', message: 'has a username that is not an email address' },
          ]);
        }
        await transporter.sendMail({
          from: username,
          to,
          subject: 'Test message',
          text: `This is a test message sent through a provider credential to check that it can send mail.\r\nRequest: ${requestId}\r\n`,
        });
        this.services.logger.info({ credentialId, actorUserId: viewer.userId, requestId }, 'test message sent');
        // Mail left the customer's mailbox on a user's request: the account's admins can see who
        // sent it and to whom. (Recorded after the send: a refused send is not an event.)
        await recordAudit(this.services.db.prisma, { accountId, actorUserId: viewer.userId, action: 'credential.test_message_sent', targetId: credentialId, requestId, details: { to } });
        return true;
      },
      { access: { viewer, action: 'credential.send_test_message' }, beforeUse: (accountId) => this.messagesPerAccount.consume(accountId) },
    );
  }

  private sessionTimeout(options: MailUseOptions): number {
    const requested = options.sessionTimeoutMs;
    return requested !== undefined && Number.isFinite(requested) && requested > 0 ? requested : Math.max(DEFAULT_SESSION_MS, this.settings.timeoutMs);
  }

  private async inSlot<T>(work: () => Promise<T>): Promise<T> {
    if (this.inFlight >= this.services.config.connectivity.maxInFlight) {
      throw new AppError('RATE_LIMITED', 'Too many mail server connections are open on this server; try again in a moment.', undefined, 1);
    }
    this.inFlight += 1;
    try {
      return await work();
    } finally {
      this.inFlight -= 1;
    }
  }

  /** Every refusal happens here, before anything is dialled. */
  private async usableTarget(credentialId: string, kind: ProviderKind, options: MailUseOptions): Promise<ProbeTarget & { accountId: string }> {
    const { prisma } = this.services.db;
    // Deleted credentials stay as tombstones, so they are found here and refused by name.
    const row = typeof credentialId === 'string' && credentialId.length <= 64 ? await prisma.providerCredential.findUnique({ where: { id: credentialId } }) : null;
    if (!row) throw notFound(NOT_FOUND_NAME);
    if (options.access) authorize(options.access.viewer, options.access.action, row.accountId, NOT_FOUND_NAME);
    if (row.deletedAt) throw credentialDeleted();
    if (row.providerKind !== kind) {
      throw new AppError('VALIDATION_FAILED', `This is an ${row.providerKind.toUpperCase()} credential; the operation needs an ${kind.toUpperCase()} one.`, [
        { field: 'id', message: `is an ${row.providerKind} credential, not ${kind}` },
      ]);
    }
    if (row.lastTestStatus !== 'succeeded') throw credentialNotVerified(row.lastTestStatus);
    const secretRow = await readSecretRow(prisma, credentialId);
    // Rotated after the row was read: the new secret has not been tested yet.
    if (secretRow && secretRow.secretVersion !== row.secretVersion) throw credentialNotVerified('never');
    const plaintext = openCredential(this.services.vault, credentialId, secretRow);
    if (!plaintext) throw secretUnreadable();
    await options.beforeUse?.(row.accountId);
    return {
      accountId: row.accountId,
      providerKind: kind,
      host: row.host,
      port: row.port,
      securityMode: row.securityMode as SecurityMode,
      authKind: row.authKind as AuthKind,
      ...plaintext,
    };
  }
}
