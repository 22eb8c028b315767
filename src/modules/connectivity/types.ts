// The connectivity probe's contract with its caller (the credentials service). Field names are
// camelCase; the REST layer turns them into snake_case (validTo → valid_to).

export type ProviderKind = 'imap' | 'smtp';
export type SecurityMode = 'ssl_tls' | 'starttls' | 'none';
export type AuthKind = 'password' | 'oauth2';

export interface ProbeTarget {
  providerKind: ProviderKind;
  host: string;
  port: number;
  securityMode: SecurityMode;
  authKind: AuthKind;
  username: string;
  /** The password, or the OAuth2 access token when authKind is oauth2. */
  secret: string;
}

export interface ProbeOptions {
  /** One deadline for all stages together, DNS included. */
  timeoutMs: number;
  /** IPs or CIDRs (IPv4 and IPv6) exempt from the private-address guard. */
  allowedHosts: string[];
  /** PEM text trusted in addition to Node's root CAs. */
  extraCa?: string;
  /** Resolves a host name to IP addresses; defaults to the system resolver (dns.lookup). */
  resolver?: (host: string) => Promise<string[]>;
  /** Permit security mode `none`; without it such a target is refused before dialling. */
  allowInsecureTransport?: boolean;
}

/**
 * How far a probe got. The order is dns → connect → tls → greeting → auth → ready for implicit
 * TLS; with STARTTLS the TLS stage comes after the greeting (dns → connect → greeting → tls →
 * auth → ready). A failed result names the stage that was in progress when it failed.
 */
export type ProbeStage = 'dns' | 'connect' | 'tls' | 'greeting' | 'auth' | 'ready';

export const CONNECTIVITY_ERROR_CODES = [
  'DNS_NOT_FOUND',
  'HOST_NOT_ALLOWED',
  'CONNECTION_REFUSED',
  'TIMEOUT',
  'TLS_HANDSHAKE_FAILED',
  'TLS_CERTIFICATE_INVALID',
  'STARTTLS_UNAVAILABLE',
  'AUTH_FAILED',
  'AUTH_METHOD_UNSUPPORTED',
  'PROTOCOL_ERROR',
  'SECRET_UNREADABLE',
] as const;

export type ConnectivityErrorCode = (typeof CONNECTIVITY_ERROR_CODES)[number];

export interface ConnectivityError {
  code: ConnectivityErrorCode;
  /** For humans; never contains the secret or the username. */
  message: string;
  /** Which setting is the likely cause, when there is one. */
  hint?: string;
}

export interface CertificateSummary {
  /** Subject common name (or the whole subject when it has no CN). */
  subject: string;
  /** Issuer common name (or the whole issuer when it has no CN). */
  issuer: string;
  /** Expiry as an ISO 8601 timestamp. */
  validTo: string;
  /** SHA-256 fingerprint, colon-separated hex as Node prints it. */
  fingerprint256: string;
}

export interface TlsSummary {
  protocol: string;
  cipher: string;
  authorized: boolean;
  certificate: CertificateSummary | null;
}

export interface ServerSummary {
  greeting: string | null;
  capabilities: string[];
  tls: TlsSummary | null;
}

export interface ConnectivityResult {
  ok: boolean;
  providerKind: ProviderKind;
  stage: ProbeStage;
  error: ConnectivityError | null;
  latencyMs: number;
  /** ISO 8601 time the probe started. */
  testedAt: string;
  /** What the server showed of itself; null when nothing was received. */
  server: ServerSummary | null;
}
