// The JSON Schemas of the OpenAPI document. Request bodies are converted from the very zod
// schemas the services validate with (z.toJSONSchema, input side), response bodies from the zod
// descriptions below of what the services return; both are written in camelCase like the
// services and renamed to snake_case here with the REST adapter's own camelToSnake, so the
// document spells every key the way a REST caller sends and receives it.
import { z } from 'zod';
import { HTTP_STATUS_BY_CODE, type ErrorCode } from '../../errors.js';
import { ROLES } from '../../modules/auth/policy.js';
import { CONNECTIVITY_ERROR_CODES } from '../../modules/connectivity/types.js';
import { searchFilterSchema } from '../../modules/credentials/credential.rules.js';
import { AUTH_KINDS, PROVIDER_KINDS, SECURITY_MODES } from '../../modules/credentials/credential.values.js';
import { searchBodySchema } from '../../modules/credentials/search-body.schema.js';
import { MAX_PAGE_SIZE } from '../../shared/pagination.js';
import { camelToSnake } from './case-conversion.js';

export type JsonSchema = Record<string, unknown>;

const COMPONENT_PREFIX = '#/components/schemas/';
export const componentRef = (name: string): JsonSchema => ({ $ref: `${COMPONENT_PREFIX}${name}` });

// ---------------------------------------------------------------------------------------
// zod → JSON Schema, snake_case
// ---------------------------------------------------------------------------------------

/** Keywords whose value is one schema, or a list or map of schemas (everything else is left alone). */
const SCHEMA_KEYWORDS = new Set(['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedProperties', 'unevaluatedItems']);
const SCHEMA_LIST_KEYWORDS = new Set(['anyOf', 'oneOf', 'allOf', 'prefixItems']);
const SCHEMA_MAP_KEYWORDS = new Set(['$defs', 'patternProperties', 'dependentSchemas']);

/**
 * Renames the property names of a JSON Schema (the keys of `properties`, the entries of
 * `required`) with `rename`, at every depth; keywords, `$ref`s and values stay as they are.
 */
export function renameProperties(schema: unknown, rename: (key: string) => string): unknown {
  if (Array.isArray(schema) || schema === null || typeof schema !== 'object') return schema;
  const out: JsonSchema = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (keyword === 'properties' && isObject(value)) {
      out[keyword] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [rename(name), renameProperties(sub, rename)]));
    } else if (keyword === 'required' && Array.isArray(value)) {
      out[keyword] = value.map((name) => (typeof name === 'string' ? rename(name) : name));
    } else if (SCHEMA_KEYWORDS.has(keyword)) {
      out[keyword] = renameProperties(value, rename);
    } else if (SCHEMA_LIST_KEYWORDS.has(keyword) && Array.isArray(value)) {
      out[keyword] = value.map((sub) => renameProperties(sub, rename));
    } else if (SCHEMA_MAP_KEYWORDS.has(keyword) && isObject(value)) {
      out[keyword] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, renameProperties(sub, rename)]));
    } else {
      out[keyword] = value;
    }
  }
  return out;
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** `$schema` and `$id` belong to stand-alone JSON Schema documents, not to OpenAPI components. */
function withoutDocumentKeywords({ $schema: _schema, $id: _id, ...rest }: JsonSchema): JsonSchema {
  return rest;
}

type ZodOverride = NonNullable<Parameters<typeof z.toJSONSchema>[1]>['override'];

/**
 * Some rules start from `z.unknown()` and pipe into the real rule (so that `null` gets its own
 * message before the type check); on the input side JSON Schema would only see `unknown`.
 * Such a pipe is documented as the rule it pipes into. A refused field (`z.never`) is
 * documented with the message the caller gets when sending it.
 */
const documentRules: ZodOverride = (context) => {
  const def = context.zodSchema._zod.def as unknown as { type: string; in?: z.ZodType; out?: z.ZodType; error?: (issue: object) => unknown };
  if (def.type === 'pipe' && def.in?._zod.def.type === 'unknown' && def.out) {
    const target = withoutDocumentKeywords(z.toJSONSchema(def.out, REQUEST_OPTIONS) as JsonSchema);
    if (Object.keys(target).length > 0) {
      for (const key of Object.keys(context.jsonSchema)) delete (context.jsonSchema as JsonSchema)[key];
      Object.assign(context.jsonSchema, target);
    }
  }
  if (def.type === 'never' && typeof def.error === 'function') {
    const message = def.error({ code: 'invalid_type', expected: 'never', input: null });
    if (typeof message === 'string') context.jsonSchema.description = `Refused: ${message}.`;
  }
};

const REQUEST_OPTIONS = { io: 'input', unrepresentable: 'any', override: documentRules } as const satisfies Parameters<typeof z.toJSONSchema>[1];

/** The JSON Schema of a request body from the zod schema that validates it, keys in snake_case. */
export function requestBodySchema(schema: z.ZodType): JsonSchema {
  return renameProperties(withoutDocumentKeywords(z.toJSONSchema(schema, REQUEST_OPTIONS) as JsonSchema), camelToSnake) as JsonSchema;
}

/**
 * `base` with some fields documented more precisely than their zod rule can say (a rule that
 * accepts anything and checks it in a transform converts to `{}`). Only existing fields may be
 * replaced, so the documented body never names a field the service does not accept.
 */
function documentedAs<S extends z.ZodObject>(base: S, fields: Record<string, z.ZodType>) {
  const unknownKeys = Object.keys(fields).filter((key) => !(key in base.shape));
  if (unknownKeys.length > 0) throw new Error(`documentedAs: ${unknownKeys.join(', ')} not in the schema`);
  return base.extend(fields);
}

const isoDateTime = () => z.string().meta({ format: 'date-time', description: 'An ISO 8601 date-time with a time zone, e.g. 2026-01-31T09:00:00Z.' });

/**
 * The search body: the service takes `{ filter, limit, cursor }` (searchBodySchema) and hands
 * the filter to searchFilterSchema and limit/cursor to the shared pagination rule.
 */
export const searchRequestSchema = documentedAs(searchBodySchema, {
  filter: documentedAs(searchFilterSchema, { createdAfter: isoDateTime().nullish(), createdBefore: isoDateTime().nullish() }).nullish(),
  limit: z.number().int().min(1).max(MAX_PAGE_SIZE).nullish().meta({ description: `Page size, 1–${MAX_PAGE_SIZE}; default 50.` }),
  cursor: z.string().nullish().meta({ description: 'The `next_cursor` of the previous page; null or absent for the first page.' }),
});

/**
 * The body of send-test-message. The service's own schema is private to mail-access.service.ts,
 * so this mirrors it (one `to` address, at most 254 characters, nothing else).
 */
export const sendTestMessageRequestSchema = z.strictObject({
  to: z.string().max(254).meta({ format: 'email', description: 'One email address (local@domain).' }),
});

// ---------------------------------------------------------------------------------------
// Response bodies (camelCase as the services return them)
// ---------------------------------------------------------------------------------------

// Dates leave the server as Date#toISOString() strings.
const dateTime = () => z.string().meta({ format: 'date-time' });
type SchemaMeta = { id: string; description?: string };
const NAMED: [z.ZodType, SchemaMeta][] = [];
/** Registers a component schema: it is emitted once and referenced wherever it is used. */
const named = <S extends z.ZodType>(id: string, schema: S, description?: string): S => {
  NAMED.push([schema, description ? { id, description } : { id }]);
  return schema;
};

const certificate = named('TlsCertificate', z.strictObject({ subject: z.string(), issuer: z.string(), validTo: z.string(), fingerprint256: z.string() }));

const serverSummary = named(
  'ServerSummary',
  z.strictObject({
    greeting: z.string().nullable(),
    capabilities: z.array(z.string()),
    tls: z.strictObject({ protocol: z.string(), cipher: z.string(), authorized: z.boolean(), certificate: certificate.nullable() }).nullable(),
  }),
  'What the server showed of itself.',
);

const testError = named(
  'ConnectivityError',
  z.strictObject({
    code: z.enum(CONNECTIVITY_ERROR_CODES),
    message: z.string().meta({ description: 'For humans; never contains the secret.' }),
    hint: z.string().optional().meta({ description: 'Which setting is the likely cause, when there is one.' }),
  }),
);

const testResultFields = {
  ok: z.boolean(),
  providerKind: z.enum(PROVIDER_KINDS),
  stage: z.enum(['dns', 'connect', 'tls', 'greeting', 'auth', 'ready']).meta({ description: 'The last stage reached.' }),
  error: testError.nullable(),
  latencyMs: z.number().int().min(0),
  testedAt: dateTime(),
};

const testResult = named(
  'ConnectivityTestResult',
  z.strictObject({ ...testResultFields, server: serverSummary.nullable() }),
  'The result of a connectivity test. A failed test is still 200; `ok` says how it went.',
);

const lastTest = named('LastTest', z.strictObject(testResultFields), 'The most recent test result, without its `server` block.');

const credential = named(
  'ProviderCredential',
  z.strictObject({
    id: z.string().meta({ description: 'pc_…' }),
    accountId: z.string().meta({ description: 'acc_…' }),
    providerKind: z.enum(PROVIDER_KINDS),
    host: z.string(),
    port: z.number().int().min(1).max(65535),
    securityMode: z.enum(SECURITY_MODES),
    authKind: z.enum(AUTH_KINDS),
    usernameMasked: z.string(),
    label: z.string().nullable(),
    secretVersion: z.number().int().min(1),
    lastRotatedAt: dateTime().nullable(),
    lastTest: lastTest.nullable(),
    createdAt: dateTime(),
    updatedAt: dateTime(),
  }),
  'The public credential payload. The secret is write-only and never appears.',
);

const pageInfo = named('PageInfo', z.strictObject({ nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last page.' }) }));

const page = (id: string, item: z.ZodType) => named(id, z.strictObject({ data: z.array(item), pageInfo }));

const user = named('User', z.strictObject({ id: z.string().meta({ description: 'usr_…' }), email: z.string(), createdAt: dateTime() }));
const account = named('Account', z.strictObject({ id: z.string().meta({ description: 'acc_…' }), name: z.string(), createdAt: dateTime() }));
const role = z.enum(ROLES);

const member = named('Member', z.strictObject({ userId: z.string(), email: z.string(), accountId: z.string(), role, createdAt: dateTime() }));

const auditEvent = named(
  'AuditEvent',
  z.strictObject({
    id: z.string().meta({ description: 'evt_…' }),
    accountId: z.string().nullable(),
    actorUserId: z.string().nullable(),
    action: z.string().meta({ description: 'credential.created|updated|rotated|deleted|tested, member.added|role_changed|removed, auth.sign_in_failed' }),
    targetId: z.string().nullable(),
    requestId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).meta({ description: 'Small, non-secret details of the action.' }),
    createdAt: dateTime(),
  }),
);

/** The success bodies a route can name in its OpenAPI entry. */
export const RESPONSE_SCHEMAS = {
  SignUpResult: named('SignUpResult', z.strictObject({ token: z.string(), user, account })),
  SignInResult: named('SignInResult', z.strictObject({ token: z.string(), user, accounts: z.array(account) })),
  Me: named('Me', z.strictObject({ ...user.shape, memberships: z.array(z.strictObject({ role, account })) })),
  MemberList: named('MemberList', z.strictObject({ data: z.array(member) })),
  Member: member,
  AuditEventPage: page('AuditEventPage', auditEvent),
  ProviderCredential: credential,
  ProviderCredentialPage: page('ProviderCredentialPage', credential),
  ConnectivityTestResult: testResult,
  MailboxList: named('MailboxList', z.strictObject({ data: z.array(z.string()).meta({ description: 'IMAP folder paths.' }) })),
  TestMessageResult: named('TestMessageResult', z.strictObject({ sent: z.boolean() })),
};

export type ResponseName = keyof typeof RESPONSE_SCHEMAS;

// ---------------------------------------------------------------------------------------
// The error envelope, one schema per HTTP status, codes from the one status table
// ---------------------------------------------------------------------------------------

const fieldProblem = named('FieldProblem', z.strictObject({ field: z.string().meta({ description: 'snake_case, dotted for nested fields (filter.host).' }), message: z.string() }));

export const codesForStatus = (status: number): ErrorCode[] =>
  (Object.keys(HTTP_STATUS_BY_CODE) as ErrorCode[]).filter((code) => HTTP_STATUS_BY_CODE[code] === status);

export const errorSchemaName = (status: number): string => `Error${status}`;

/** The details each status carries: field problems (400), the test result (422), else anything. */
function errorEnvelope(status: number): z.ZodType {
  const codes = codesForStatus(status);
  if (codes.length === 0) throw new Error(`No error code answers HTTP ${status} (src/errors.ts)`);
  const details = status === 400 ? z.array(fieldProblem).optional() : status === 422 ? testResult : z.unknown().optional();
  return z.strictObject({ error: z.strictObject({ code: z.enum(codes as [ErrorCode, ...ErrorCode[]]), message: z.string(), details }) });
}

/** Every component schema (responses and error envelopes), keys in snake_case. */
export function componentSchemas(errorStatuses: number[]): Record<string, JsonSchema> {
  const registry = z.registry<SchemaMeta>();
  for (const [schema, meta] of NAMED) registry.add(schema, meta);
  for (const status of errorStatuses) {
    registry.add(errorEnvelope(status), { id: errorSchemaName(status), description: `The error envelope of HTTP ${status}: ${codesForStatus(status).join(', ')}.` });
  }
  const converted = z.toJSONSchema(registry, { uri: (id) => `${COMPONENT_PREFIX}${id}` }).schemas;
  return Object.fromEntries(
    Object.entries(converted).map(([name, schema]) => [name, renameProperties(withoutDocumentKeywords(schema as JsonSchema), camelToSnake) as JsonSchema]),
  );
}
