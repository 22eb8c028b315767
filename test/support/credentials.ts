// Helpers for the credential end-to-end tests: the spec's payload keys, the mapping between
// REST (snake_case, lower-case enums) and GraphQL (camelCase, upper-case enums) written out
// independently of the server's own case conversion, row counts, a closed loopback port, and
// a GraphQL caller that keeps the raw response text.
import { createServer } from 'node:net';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import type { TestApp } from './test-app.js';

/** The public credential payload of the spec, key for key. */
export const CREDENTIAL_KEYS = [
  'id',
  'account_id',
  'provider_kind',
  'host',
  'port',
  'security_mode',
  'auth_kind',
  'username_masked',
  'label',
  'secret_version',
  'last_rotated_at',
  'last_test',
  'created_at',
  'updated_at',
] as const;

/** `last_test` is the test result without its `server` block. */
export const LAST_TEST_KEYS = ['ok', 'provider_kind', 'stage', 'error', 'latency_ms', 'tested_at'] as const;

/** Fields whose values are enums: lower-case over REST, upper-case over GraphQL. */
export const ENUM_FIELDS = new Set(['providerKind', 'securityMode', 'authKind', 'lastTestStatus', 'provider_kind', 'security_mode', 'auth_kind', 'last_test_status']);

export const snakeCase = (key: string): string => key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
export const camelCase = (key: string): string => key.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());

/** A camelCase field path (`filter.createdAfter`) as the REST adapter names it (`filter.created_after`). */
export const restFieldName = (field: string): string => field.split('.').map(snakeCase).join('.');

/** Top-level keys of a request body converted to snake_case (values untouched). */
export function toRestBody(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).map(([key, value]) => [snakeCase(key), value]));
}

/** A REST-style (lower-case enum) request body as GraphQL input: enum strings upper-cased, keys camelCase. */
export function toGraphQLInput(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(body).map(([key, value]) => [camelCase(key), ENUM_FIELDS.has(key) && typeof value === 'string' ? value.toUpperCase() : value]),
  );
}

/**
 * A GraphQL ProviderCredential as the REST payload: camelCase → snake_case, enums lower-cased,
 * GraphQL's extra `account` field dropped, and `hint: null` (GraphQL's spelling of an absent
 * optional field) removed from a test error.
 */
export function graphQLCredentialAsRest(node: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'account' || key === '__typename') continue;
    out[snakeCase(key)] = key === 'lastTest' ? graphQLTestResultAsRest(value as Record<string, unknown> | null) : ENUM_FIELDS.has(key) && typeof value === 'string' ? value.toLowerCase() : value;
  }
  return out;
}

export function graphQLTestResultAsRest(result: Record<string, unknown> | null): Record<string, unknown> | null {
  if (result === null) return null;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(result)) {
    if (key === '__typename') continue;
    if (key === 'server' && value === null) continue;
    if (key === 'providerKind') out.provider_kind = String(value).toLowerCase();
    else if (key === 'error' && value !== null) {
      const { hint, ...rest } = value as { hint?: string | null };
      out.error = hint === null || hint === undefined ? rest : { ...rest, hint };
    } else out[snakeCase(key)] = value;
  }
  return out;
}

export interface RowCounts {
  credentials: number;
  secrets: number;
  audits: number;
  tests: number;
}

export async function countRows(t: TestApp): Promise<RowCounts> {
  const prisma = t.app.services.db.prisma;
  const [credentials, secrets, audits, tests] = await Promise.all([
    prisma.providerCredential.count(),
    prisma.credentialSecret.count(),
    prisma.auditEvent.count(),
    prisma.connectivityTest.count(),
  ]);
  return { credentials, secrets, audits, tests };
}

/** A loopback port nobody listens on (bound once, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

/** POST a create body (camelCase keys, lower-case enums) over REST; throws unless 201. */
export async function createOverRest(t: TestApp, token: string, accountId: string, body: Record<string, unknown>): Promise<Record<string, any>> {
  const response = await t.rest('POST', `/api/accounts/${accountId}/provider-credentials`, { token, body: toRestBody(body) });
  if (response.status !== 201) throw new Error(`create failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

export interface RawGraphQLResponse<T> {
  status: number;
  text: string;
  data: T | null | undefined;
  errors: { message: string; extensions?: { code?: string; details?: unknown } }[] | undefined;
}

/** A GraphQL request with a typed document that keeps the raw response text (and never throws on errors). */
export async function graphqlRaw<T, V>(t: TestApp, token: string | undefined, document: TypedDocumentNode<T, V>, variables: V): Promise<RawGraphQLResponse<T>> {
  const response = await fetch(`${t.baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const text = await response.text();
  const parsed = JSON.parse(text) as { data?: T | null; errors?: RawGraphQLResponse<T>['errors'] };
  return { status: response.status, text, data: parsed.data, errors: parsed.errors };
}
