// Failures below the mail protocol (socket, TLS, timing), shared by the IMAP and SMTP
// classifiers. Both libraries pass Node's error codes through: imapflow as `code`, nodemailer
// as `originalCode` behind its own ESOCKET / ECONNECTION / EDNS. Messages are written here and
// never copied from an error, which could carry server text.
import type { AuthKind, ConnectivityError, ProbeStage, ProbeTarget, ProviderKind, SecurityMode } from './types.js';

export interface ClassifyContext {
  stage: ProbeStage;
  providerKind: ProviderKind;
  securityMode: SecurityMode;
  authKind: AuthKind;
  host: string;
  port: number;
}

/** What a classifier may know about the probe: never the username or the secret. */
export function classifyContextOf(target: ProbeTarget, stage: ProbeStage): ClassifyContext {
  const { providerKind, securityMode, authKind, host, port } = target;
  return { stage, providerKind, securityMode, authKind, host, port };
}

export const EXTRA_CA_HINT =
  'If the server deliberately uses a private or self-signed certificate, the operator can trust its CA with CONNECTIVITY_EXTRA_CA_FILE.';

const USE_SSL_TLS_HINT = 'If the server expects TLS from the first byte on this port (as on 993 or 465), use ssl_tls.';

function plainPortHint(ctx: ClassifyContext): string {
  const usual = ctx.providerKind === 'imap' ? 'IMAP usually uses 143 with starttls' : 'SMTP submission usually uses 587 with starttls';
  return `The server does not speak TLS from the first byte on this port; use starttls (${usual}).`;
}

type CertificateRule = (ctx: ClassifyContext) => ConnectivityError;

const untrustedIssuer: CertificateRule = () => ({
  code: 'TLS_CERTIFICATE_INVALID',
  message: 'The server certificate was not issued by a trusted certificate authority.',
  hint: EXTRA_CA_HINT,
});

const CERTIFICATE_RULES: Record<string, CertificateRule> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: () => ({
    code: 'TLS_CERTIFICATE_INVALID',
    message: 'The server presented a self-signed certificate.',
    hint: EXTRA_CA_HINT,
  }),
  SELF_SIGNED_CERT_IN_CHAIN: () => ({
    code: 'TLS_CERTIFICATE_INVALID',
    message: 'The server certificate chain ends in a self-signed certificate that is not trusted.',
    hint: EXTRA_CA_HINT,
  }),
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: untrustedIssuer,
  UNABLE_TO_GET_ISSUER_CERT: untrustedIssuer,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: untrustedIssuer,
  CERT_UNTRUSTED: untrustedIssuer,
  INVALID_CA: untrustedIssuer,
  CERT_HAS_EXPIRED: () => ({
    code: 'TLS_CERTIFICATE_INVALID',
    message: 'The server certificate has expired.',
    hint: 'The server operator must renew the certificate.',
  }),
  CERT_NOT_YET_VALID: () => ({
    code: 'TLS_CERTIFICATE_INVALID',
    message: 'The server certificate is not valid yet.',
    hint: 'Check the clocks of this server and of the mail server.',
  }),
  ERR_TLS_CERT_ALTNAME_INVALID: (ctx) => ({
    code: 'TLS_CERTIFICATE_INVALID',
    message: `The server certificate is not valid for the host name ${ctx.host}.`,
    hint: 'Use the host name the certificate was issued for (usually the name the provider documents) instead of an alias or IP address.',
  }),
};

const OTHER_CERTIFICATE_CODES = new Set([
  'CERT_REVOKED', 'CERT_REJECTED', 'CERT_SIGNATURE_FAILURE', 'CERT_CHAIN_TOO_LONG', 'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE', 'UNABLE_TO_DECRYPT_CERT_SIGNATURE', 'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD', 'ERROR_IN_CERT_NOT_AFTER_FIELD', 'HOSTNAME_MISMATCH',
]);

const UNREACHABLE_CODES = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'EADDRNOTAVAIL', 'ENETDOWN']);
const CLOSED_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/** Classifies a Node socket / TLS error code; null when the code is not one of those. */
export function classifyTransportCode(code: string | undefined, ctx: ClassifyContext): ConnectivityError | null {
  if (!code) return null;
  const certificateRule = CERTIFICATE_RULES[code];
  if (certificateRule) return certificateRule(ctx);
  if (OTHER_CERTIFICATE_CODES.has(code)) {
    return { code: 'TLS_CERTIFICATE_INVALID', message: 'The server certificate was rejected.', hint: EXTRA_CA_HINT };
  }
  if (code === 'ECONNREFUSED') {
    return {
      code: 'CONNECTION_REFUSED',
      message: `The server refused the connection on port ${ctx.port}.`,
      hint: 'Check the host and the port; nothing is listening there.',
    };
  }
  if (UNREACHABLE_CODES.has(code)) {
    return { code: 'CONNECTION_REFUSED', message: 'The server could not be reached from here (no route to the host).' };
  }
  if (code === 'ETIMEDOUT') return timeoutFailure(ctx);
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG' || code === 'ERR_SSL_HTTP_REQUEST') {
    return {
      code: 'TLS_HANDSHAKE_FAILED',
      message: 'The server did not answer the TLS handshake with TLS.',
      ...(ctx.securityMode === 'ssl_tls' ? { hint: plainPortHint(ctx) } : {}),
    };
  }
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code === 'EPROTO') {
    return {
      code: 'TLS_HANDSHAKE_FAILED',
      message: 'The TLS handshake failed (no common protocol version or cipher, or the server aborted it).',
    };
  }
  if (CLOSED_CODES.has(code)) return connectionClosedFailure(ctx);
  return null;
}

/** The server hung up while the probe was waiting for it. */
export function connectionClosedFailure(ctx: ClassifyContext): ConnectivityError {
  if (ctx.stage === 'tls') {
    return {
      code: 'TLS_HANDSHAKE_FAILED',
      message: 'The server closed the connection during the TLS handshake.',
      ...(ctx.securityMode === 'ssl_tls' ? { hint: plainPortHint(ctx) } : {}),
    };
  }
  return { code: 'PROTOCOL_ERROR', message: `The server closed the connection during the ${ctx.stage} stage.` };
}

const TIMEOUT_MESSAGES: Record<string, string> = {
  dns: 'The host name could not be resolved in time.',
  connect: 'The server did not accept the connection in time (a firewall may be dropping it).',
  tls: 'The TLS handshake did not finish in time.',
  greeting: 'The server accepted the connection but did not greet in time.',
  auth: 'The server did not answer the login in time.',
  ready: 'The server did not close the session in time.',
};

/** A deadline passed; the stage says where the server stopped answering. */
export function timeoutFailure(ctx: ClassifyContext): ConnectivityError {
  const tlsFirstPort = ctx.stage === 'greeting' && ctx.securityMode !== 'ssl_tls';
  return {
    code: 'TIMEOUT',
    message: TIMEOUT_MESSAGES[ctx.stage] ?? 'The server did not answer in time.',
    ...(tlsFirstPort ? { hint: USE_SSL_TLS_HINT } : {}),
  };
}

export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function starttlsUnavailable(ctx: Pick<ClassifyContext, 'providerKind'>): ConnectivityError {
  const tlsPort = ctx.providerKind === 'imap' ? '993' : '465';
  return {
    code: 'STARTTLS_UNAVAILABLE',
    message: 'The server does not offer STARTTLS, so the connection would stay unencrypted.',
    hint: `Use ssl_tls if the server has a TLS port (usually ${tlsPort}).`,
  };
}
