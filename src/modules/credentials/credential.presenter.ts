// The only place that decides what of a credential leaves the server. It takes the metadata
// row (which holds no secret) and builds the public payload field by field: a secret, cipher
// text, key id or clear username cannot appear here by accident.
import type { ConnectivityResult as PublicTestResult } from '../connectivity/types.js';

export interface CredentialRow {
  id: string;
  accountId: string;
  providerKind: string;
  host: string;
  port: number;
  securityMode: string;
  authKind: string;
  usernameMasked: string;
  label: string | null;
  secretVersion: number;
  lastRotatedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  lastTest?: { result: string } | null;
}

export type PublicCredential = Omit<CredentialRow, 'lastTest'> & {
  /** The latest test without its `server` block, or null before the first test. */
  lastTest: Omit<PublicTestResult, 'server'> | null;
};

export function presentCredential(row: CredentialRow): PublicCredential {
  return {
    id: row.id,
    accountId: row.accountId,
    providerKind: row.providerKind,
    host: row.host,
    port: row.port,
    securityMode: row.securityMode,
    authKind: row.authKind,
    usernameMasked: row.usernameMasked,
    label: row.label,
    secretVersion: row.secretVersion,
    lastRotatedAt: row.lastRotatedAt,
    lastTest: row.lastTest ? withoutServer(JSON.parse(row.lastTest.result) as PublicTestResult) : null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function withoutServer({ server: _server, ...rest }: PublicTestResult): Omit<PublicTestResult, 'server'> {
  return rest;
}

/** Prisma `include` that loads what the presenter needs in the same query. */
export const CREDENTIAL_INCLUDE = { lastTest: { select: { result: true } } } as const;
