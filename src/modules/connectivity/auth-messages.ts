// Login outcomes worded the same way for IMAP and SMTP.
import type { AuthKind, ConnectivityError, SecurityMode } from './types.js';

export function credentialsRejected(authKind: AuthKind): ConnectivityError {
  return authKind === 'oauth2'
    ? {
        code: 'AUTH_FAILED',
        message: 'The server rejected the OAuth2 access token.',
        hint: 'The token may have expired or lack the mail scope; obtain a new one.',
      }
    : { code: 'AUTH_FAILED', message: 'The server rejected the username or password.' };
}

export function loginNeedsTls(securityMode: SecurityMode): ConnectivityError {
  return {
    code: 'AUTH_METHOD_UNSUPPORTED',
    message: 'The server does not accept a login over an unencrypted connection.',
    ...(securityMode === 'none' ? { hint: 'Use starttls or ssl_tls.' } : {}),
  };
}

export function mechanismMissing(authKind: AuthKind, offered: string[]): ConnectivityError {
  const offeredText = offered.length > 0 ? `it offers ${offered.join(', ')}` : 'it offers no login at all';
  return authKind === 'oauth2'
    ? {
        code: 'AUTH_METHOD_UNSUPPORTED',
        message: `The server does not offer OAuth2 login (XOAUTH2 / OAUTHBEARER); ${offeredText}.`,
        hint: 'Use auth kind password, or check that OAuth2 is enabled for this account and server.',
      }
    : {
        code: 'AUTH_METHOD_UNSUPPORTED',
        message: `The server does not offer a password login; ${offeredText}.`,
        ...(offered.some((method) => /OAUTH/i.test(method)) ? { hint: 'The server offers OAuth2; use auth kind oauth2.' } : {}),
      };
}

export const TEMPORARY_AUTH_FAILURE: ConnectivityError = {
  code: 'PROTOCOL_ERROR',
  message: 'The server could not check the credentials right now (temporary failure).',
  hint: 'Try again later.',
};
