// Maps what nodemailer's SMTPConnection reports (and the raw socket errors of the probe's own
// dialling) to a connectivity error. First matching rule wins. nodemailer puts its own kind in
// `code` (ESOCKET, ETLS, EAUTH, ETIMEDOUT, ECONNECTION, EPROTOCOL, EDNS) and Node's code in
// `originalCode`; `responseCode` is the SMTP reply code when the server answered.
import { credentialsRejected, loginNeedsTls, TEMPORARY_AUTH_FAILURE } from './auth-messages.js';
import { ProbeFailure } from './probe-context.js';
import { classifyTransportCode, connectionClosedFailure, starttlsUnavailable, timeoutFailure, type ClassifyContext } from './transport-errors.js';
import type { ConnectivityError } from './types.js';

/** Set by the SMTP probe on the error it raises when a rejected OAuth2 token would be retried. */
export const TOKEN_REJECTED = 'TOKEN_REJECTED';

interface SmtpErrorShape {
  code?: string;
  originalCode?: string;
  responseCode?: number;
  command?: string;
  response?: string;
}

interface Rule {
  matches(error: SmtpErrorShape, ctx: ClassifyContext): boolean;
  classify(error: SmtpErrorShape, ctx: ClassifyContext): ConnectivityError;
}

const mechanismRefused = (reason: string): ConnectivityError => ({
  code: 'AUTH_METHOD_UNSUPPORTED',
  message: `The server refused the login method: ${reason}.`,
});

/** Reply codes to AUTH (RFC 4954). */
const AUTH_REPLY_CODES: Record<number, (ctx: ClassifyContext) => ConnectivityError> = {
  535: (ctx) => credentialsRejected(ctx.authKind),
  454: () => TEMPORARY_AUTH_FAILURE,
  530: (ctx) => loginNeedsTls(ctx.securityMode),
  538: (ctx) => loginNeedsTls(ctx.securityMode),
  534: () => mechanismRefused('it considers the mechanism too weak'),
  504: () => mechanismRefused('the mechanism is not supported'),
  502: () => mechanismRefused('AUTH is not implemented'),
  500: () => mechanismRefused('AUTH is not recognised'),
};

const sourceCode = (error: SmtpErrorShape) => error.originalCode ?? error.code;

const RULES: Rule[] = [
  {
    matches: (error) => error.code === 'ETIMEDOUT',
    classify: (_error, ctx) => timeoutFailure(ctx),
  },
  {
    matches: (error) => error.code === 'EAUTH' && !!error.responseCode && !!AUTH_REPLY_CODES[error.responseCode],
    classify: (error, ctx) => AUTH_REPLY_CODES[error.responseCode!]!(ctx),
  },
  {
    matches: (error) => error.code === 'EAUTH' && (!!error.responseCode || error.originalCode === TOKEN_REJECTED),
    classify: (_error, ctx) => credentialsRejected(ctx.authKind),
  },
  {
    // The server answered STARTTLS with an error: it cannot start TLS.
    matches: (error) => error.code === 'ETLS' && error.command === 'STARTTLS' && !!error.responseCode,
    classify: (_error, ctx) => starttlsUnavailable(ctx),
  },
  {
    matches: (error, ctx) => classifyTransportCode(sourceCode(error), ctx) !== null,
    classify: (error, ctx) => classifyTransportCode(sourceCode(error), ctx)!,
  },
  {
    matches: (error) => error.code === 'ETLS',
    classify: () => ({ code: 'TLS_HANDSHAKE_FAILED', message: 'The TLS upgrade after STARTTLS failed.' }),
  },
  {
    matches: (error) => error.code === 'ECONNECTION' && error.responseCode === 421,
    classify: () => ({ code: 'PROTOCOL_ERROR', message: 'The server is not accepting connections right now (421).', hint: 'Try again later.' }),
  },
  {
    matches: (error) => error.code === 'ECONNECTION' || error.code === 'ESOCKET',
    classify: (_error, ctx) => connectionClosedFailure(ctx),
  },
  {
    matches: (error) => error.code === 'EPROTOCOL' && /^\* /.test(error.response ?? ''),
    classify: () => ({
      code: 'PROTOCOL_ERROR',
      message: 'The server greeted like an IMAP server, not an SMTP server.',
      hint: 'Check the provider kind and the port.',
    }),
  },
  {
    matches: (error) => error.code === 'EPROTOCOL' && (error.responseCode ?? 0) >= 400,
    classify: (error) => ({
      code: 'PROTOCOL_ERROR',
      message: `The server refused the session (reply code ${error.responseCode}).`,
      hint: 'The server may not accept connections from this network; check with the provider.',
    }),
  },
];

export function classifySmtpError(error: unknown, ctx: ClassifyContext): ConnectivityError {
  if (error instanceof ProbeFailure) return error.failure;
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SmtpErrorShape;
  const rule = RULES.find((candidate) => candidate.matches(shape, ctx));
  return rule
    ? rule.classify(shape, ctx)
    : { code: 'PROTOCOL_ERROR', message: `The server's answer during the ${ctx.stage} stage was not valid SMTP.` };
}
