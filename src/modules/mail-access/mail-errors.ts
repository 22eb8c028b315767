// Errors of downstream mail use. Refusals (deleted, not verified, unreadable secret) are decided
// before any connection is opened; failures of the mail server itself become MAIL_SERVER_ERROR
// with the same classification a connectivity test gives (code, message, hint, stage), worded
// by us and never copied from the server, so they carry neither the secret nor the username.
import { AppError } from '../../errors.js';
import type { ConnectivityError, ProbeStage } from '../connectivity/types.js';

export interface MailServerFailure {
  /** A connectivity error code (AUTH_FAILED, TIMEOUT, …) or MESSAGE_REJECTED. */
  code: string;
  message: string;
  hint?: string;
  /** How far the session got: dns, connect, tls, greeting, auth or ready. */
  stage: ProbeStage;
}

export function mailServerError(failure: ConnectivityError | Omit<MailServerFailure, 'stage'>, stage: ProbeStage): AppError {
  const details: MailServerFailure = { code: failure.code, message: failure.message, ...(failure.hint ? { hint: failure.hint } : {}), stage };
  return new AppError('MAIL_SERVER_ERROR', `The mail server could not be used: ${failure.message}`, details);
}

export const credentialDeleted = () =>
  new AppError('CREDENTIAL_DELETED', 'The provider credential was deleted; its secret is destroyed and it can no longer be used.');

export const credentialNotVerified = (status: string) =>
  new AppError(
    'CREDENTIAL_NOT_VERIFIED',
    status === 'failed'
      ? 'The last connectivity test of this credential failed; fix it and run a passing test before using it.'
      : 'This credential has no passing connectivity test since it was created or last changed; run a test first.',
  );

export const secretUnreadable = () =>
  new AppError('SECRET_UNREADABLE', 'The stored secret cannot be decrypted with the current encryption keys; rotate the secret, or restore the key it was stored with.');

/** Whether an error came from a mail library or a socket (rather than from the caller's code). */
export function isMailLibraryError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const shape = error as Record<string, unknown>;
  return typeof shape.code === 'string' || typeof shape.responseCode === 'number' || 'responseStatus' in shape || 'authenticationFailed' in shape || 'serverResponseCode' in shape;
}
