// Maps what imapflow throws to a connectivity error. First matching rule wins. See the table in
// docs (stack notes) for the shapes: Node codes pass through as `code`, imapflow's own failures
// have their own codes, login refusals set `authenticationFailed` (also for client-side
// refusals, which carry no server response).
import { credentialsRejected, loginNeedsTls, TEMPORARY_AUTH_FAILURE } from './auth-messages.js';
import { ProbeFailure } from './probe-context.js';
import { classifyTransportCode, connectionClosedFailure, starttlsUnavailable, timeoutFailure, type ClassifyContext } from './transport-errors.js';
import type { ConnectivityError } from './types.js';

interface ImapErrorShape {
  code?: string;
  authenticationFailed?: boolean;
  serverResponseCode?: string;
  response?: unknown;
  tlsFailed?: boolean;
}

interface Rule {
  matches(error: ImapErrorShape, ctx: ClassifyContext): boolean;
  classify(error: ImapErrorShape, ctx: ClassifyContext): ConnectivityError;
}

const TIMEOUT_CODES = new Set(['CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT', 'ETIMEOUT']);
const CLOSED_CODES = new Set(['NoConnection', 'EConnectionClosed', 'ClosedAfterConnectText', 'ClosedAfterConnectTLS', 'StateLogout']);

/** RFC 5530 response codes on a refused login. */
const LOGIN_RESPONSE_CODES: Record<string, (ctx: ClassifyContext) => ConnectivityError> = {
  AUTHENTICATIONFAILED: (ctx) => credentialsRejected(ctx.authKind),
  AUTHORIZATIONFAILED: (ctx) => credentialsRejected(ctx.authKind),
  EXPIRED: (ctx) => ({ ...credentialsRejected(ctx.authKind), hint: 'The server says the credentials have expired.' }),
  CONTACTADMIN: (ctx) => ({ ...credentialsRejected(ctx.authKind), hint: 'The provider asks the account owner to contact its administrator.' }),
  PRIVACYREQUIRED: (ctx) => loginNeedsTls(ctx.securityMode),
  UNAVAILABLE: () => TEMPORARY_AUTH_FAILURE,
};

const RULES: Rule[] = [
  {
    matches: (error) => TIMEOUT_CODES.has(error.code ?? ''),
    classify: (_error, ctx) => timeoutFailure(ctx),
  },
  {
    matches: (error) => !!error.authenticationFailed && !!LOGIN_RESPONSE_CODES[error.serverResponseCode ?? ''],
    classify: (error, ctx) => LOGIN_RESPONSE_CODES[error.serverResponseCode!]!(ctx),
  },
  {
    // A tagged NO/BAD to the login without a known response code: still the server saying no.
    matches: (error) => !!error.authenticationFailed && error.response !== undefined,
    classify: (_error, ctx) => credentialsRejected(ctx.authKind),
  },
  {
    // imapflow refused to send the credentials itself (no usable mechanism, LOGINDISABLED).
    matches: (error) => !!error.authenticationFailed,
    classify: (_error, ctx) => ({
      code: 'AUTH_METHOD_UNSUPPORTED',
      message: 'The server offers no login method the probe can use with these credentials.',
      ...(ctx.securityMode === 'none' ? { hint: 'Use starttls or ssl_tls.' } : {}),
    }),
  },
  {
    matches: (error) => error.code === 'STARTTLS_INJECTION',
    classify: () => ({
      code: 'PROTOCOL_ERROR',
      message: 'The server sent data between STARTTLS and the TLS handshake; the connection may be tampered with.',
    }),
  },
  {
    matches: (error, ctx) => classifyTransportCode(error.code, ctx) !== null,
    classify: (error, ctx) => classifyTransportCode(error.code, ctx)!,
  },
  {
    // imapflow's required-STARTTLS refusal has no code; the probe normally catches this first.
    matches: (error) => !!error.tlsFailed && !error.code,
    classify: (_error, ctx) => starttlsUnavailable(ctx),
  },
  {
    matches: (error) => CLOSED_CODES.has(error.code ?? ''),
    classify: (_error, ctx) => connectionClosedFailure(ctx),
  },
];

export function classifyImapError(error: unknown, ctx: ClassifyContext): ConnectivityError {
  if (error instanceof ProbeFailure) return error.failure;
  const shape = (typeof error === 'object' && error !== null ? error : {}) as ImapErrorShape;
  const rule = RULES.find((candidate) => candidate.matches(shape, ctx));
  return rule
    ? rule.classify(shape, ctx)
    : { code: 'PROTOCOL_ERROR', message: `The server's answer during the ${ctx.stage} stage was not valid IMAP.` };
}
