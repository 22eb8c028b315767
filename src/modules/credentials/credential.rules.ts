// Input rules for provider credentials, shared by GraphQL and REST: field rules as zod
// schemas, the port/security agreement as one function used by create and by update (on the
// merged record), and validate* helpers that report every problem of a request at once as
// VALIDATION_FAILED. Field names are camelCase; the REST adapter renames them.
import { z } from 'zod';
import { validationFailed, type FieldProblem } from '../../errors.js';
import { toFieldProblems } from '../../shared/validation.js';
import {
  AUTH_KINDS,
  HOST_MAX_LENGTH,
  LABEL_MAX_LENGTH,
  LAST_TEST_STATUSES,
  PORT_MAX,
  PORT_MIN,
  PROVIDER_KINDS,
  SECRET_MAX_LENGTH,
  SECURITY_MODES,
  USERNAME_MAX_LENGTH,
  type AuthKind,
  type LastTestStatus,
  type ProviderKind,
  type SecurityMode,
} from './credential.values.js';
import { normalizeHost } from './normalize-host.js';

// ---------------------------------------------------------------------------------------
// Field rules
// ---------------------------------------------------------------------------------------

/** A missing required field says so; any other wrong value gets the field's own rule. */
const expecting = (rule: string) => (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : rule);

const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: expecting(`must be one of ${values.join(', ')}`) });

const providerKind = oneOf(PROVIDER_KINDS);
const securityMode = oneOf(SECURITY_MODES);
const authKind = oneOf(AUTH_KINDS);

const PORT_RULE = `must be a whole number from ${PORT_MIN} to ${PORT_MAX}`;
// No coercion: "993" is a caller bug worth reporting, not a value to guess at.
const port = z.number({ error: expecting(PORT_RULE) }).int({ error: PORT_RULE }).min(PORT_MIN, { error: PORT_RULE }).max(PORT_MAX, { error: PORT_RULE });

const host = z.string({ error: expecting('must be a string') }).transform((raw, context) => {
  const result = normalizeHost(raw);
  if (result.ok) return result.host;
  context.addIssue({ code: 'custom', message: result.message });
  return z.NEVER;
});

// Control characters (CR and LF above all) in a username would be written into the IMAP or
// SMTP command stream; surrounding spaces are almost always a copy-and-paste accident.
const username = z
  .string({ error: expecting('must be a string') })
  .min(1, { error: 'must not be empty' })
  .max(USERNAME_MAX_LENGTH, { error: `must be at most ${USERNAME_MAX_LENGTH} characters` })
  .refine((value) => !/\p{Cc}/u.test(value), { error: 'must not contain control characters such as line breaks' })
  .refine((value) => value.trim() === value, { error: 'must not start or end with whitespace' });

// The secret is taken byte for byte (spaces are legitimate in passwords); only NUL is refused
// because SASL PLAIN uses it as the separator. Messages never echo the value.
const secret = z
  .string({ error: expecting('must be a string') })
  .min(1, { error: 'must not be empty' })
  .max(SECRET_MAX_LENGTH, { error: `must be at most ${SECRET_MAX_LENGTH} characters` })
  .refine((value) => !value.includes('\u0000'), { error: 'must not contain NUL characters' });

// A label is a one-line display name: trimmed, and empty (or null) means "no label".
const label = z
  .string({ error: 'must be a string or null' })
  .trim()
  .max(LABEL_MAX_LENGTH, { error: `must be at most ${LABEL_MAX_LENGTH} characters` })
  .refine((value) => !/\p{Cc}/u.test(value), { error: 'must not contain control characters such as line breaks' })
  .transform((value) => (value === '' ? null : value))
  .nullable();

// `verify: null` (a GraphQL client passing an unset variable) means the default.
const verify = z
  .boolean({ error: 'must be true or false' })
  .nullish()
  .transform((value) => value ?? false);

const objectBody = { error: (issue: { code?: string }) => (issue.code === 'invalid_type' ? 'must be an object' : undefined) };

/** A field that may appear in a body only to be refused with a message explaining why. */
const refusedField = (message: string) => z.never({ error: message }).optional();

// ---------------------------------------------------------------------------------------
// Schemas
// ---------------------------------------------------------------------------------------

export const createCredentialSchema = z.strictObject(
  {
    providerKind,
    host,
    port,
    securityMode,
    authKind,
    username,
    secret,
    label: label.optional().transform((value) => value ?? null),
    verify,
  },
  objectBody,
);

const NOT_NULL = 'must not be null; leave the field out to keep the current value';
const keepOrChange = <S extends z.ZodType>(schema: S) =>
  z
    .unknown()
    .refine((value): boolean => value !== null, { error: NOT_NULL, abort: true })
    .pipe(schema as unknown as z.ZodType<z.output<S>, unknown>)
    .optional();

export const updateCredentialSchema = z.strictObject(
  {
    host: keepOrChange(host),
    port: keepOrChange(port),
    securityMode: keepOrChange(securityMode),
    authKind: keepOrChange(authKind),
    username: keepOrChange(username),
    label: label.optional(),
    secret: refusedField('cannot be changed by an update; secrets change only through rotate'),
    providerKind: refusedField('cannot be changed; create a separate credential for the other provider kind'),
  },
  objectBody,
);

export const rotateCredentialSchema = z.strictObject(
  {
    secret,
    username: keepOrChange(username),
    verify,
  },
  objectBody,
);

/** Search filter values: null means "no constraint", like a field left out. */
const optionalFilter = <S extends z.ZodType>(schema: S) => schema.nullish().transform((value) => value ?? undefined);

/** Case-insensitive substring: trimmed and lower-cased; empty means "no constraint". */
const substring = (max: number) =>
  z
    .string({ error: 'must be a string' })
    .trim()
    .max(max, { error: `must be at most ${max} characters` })
    .transform((value) => (value === '' ? undefined : value.toLowerCase()));

const DATE_TIME_RULE = 'must be an ISO 8601 date-time with a time zone, e.g. 2026-01-31T09:00:00Z';
const dateTime = z.unknown().transform((value, context) => {
  const date = toDate(value);
  if (date) return date;
  context.addIssue({ code: 'custom', message: DATE_TIME_RULE });
  return z.NEVER;
});

export const searchFilterSchema = z.strictObject(
  {
    providerKind: optionalFilter(providerKind),
    securityMode: optionalFilter(securityMode),
    authKind: optionalFilter(authKind),
    // Exact host: normalised exactly as stored hosts are, so `MAIL.Example.com.` finds
    // `mail.example.com` and an impossible host is reported instead of matching nothing.
    host: optionalFilter(host),
    hostContains: optionalFilter(substring(HOST_MAX_LENGTH)),
    labelContains: optionalFilter(substring(LABEL_MAX_LENGTH)),
    lastTestStatus: optionalFilter(oneOf(LAST_TEST_STATUSES)),
    createdAfter: optionalFilter(dateTime),
    createdBefore: optionalFilter(dateTime),
  },
  objectBody,
);

export type CreateCredentialInput = z.infer<typeof createCredentialSchema>;
export type RotateCredentialInput = z.infer<typeof rotateCredentialSchema>;
/** A validated search filter: only the constraints that were given; all combine with AND. */
export interface SearchFilter {
  providerKind?: ProviderKind;
  securityMode?: SecurityMode;
  authKind?: AuthKind;
  /** Normalised like stored hosts; compare for equality. */
  host?: string;
  /** Lower-cased; match case-insensitively against the stored (punycode) host. */
  hostContains?: string;
  /** Lower-cased; match against the lower-cased label. */
  labelContains?: string;
  lastTestStatus?: LastTestStatus;
  createdAfter?: Date;
  createdBefore?: Date;
}

/** The fields whose combination the connection rules judge. */
export interface ConnectionRecord {
  providerKind: ProviderKind;
  port: number;
  securityMode: SecurityMode;
  authKind: AuthKind;
}

/** The stored connection details an update starts from. */
export interface ConnectionFields extends ConnectionRecord {
  host: string;
  /** The current clear username, when the caller has it; without it any username in the body counts as a change. */
  username?: string;
}

export interface UpdateChanges {
  host?: string;
  port?: number;
  securityMode?: SecurityMode;
  authKind?: AuthKind;
  username?: string;
  /** null clears the label. */
  label?: string | null;
}

// ---------------------------------------------------------------------------------------
// Port / security agreement
// ---------------------------------------------------------------------------------------

export interface ConnectionRuleOptions {
  /** Operator setting ALLOW_INSECURE_TRANSPORT: permits securityMode none. */
  allowInsecureTransport: boolean;
  /**
   * Which field a port/security disagreement is reported on. Default securityMode (the usual
   * fix); an update that changed only the port passes 'port' so the error names what the
   * caller actually sent.
   */
  agreementField?: 'port' | 'securityMode';
}

interface WellKnownPort {
  provider: ProviderKind;
  modes: readonly SecurityMode[];
  describe: string;
}

// Well-known ports imply how TLS starts; a mismatch would fail at test time with a confusing
// TLS or protocol error, so it is caught at the door.
const WELL_KNOWN_PORTS: Record<number, WellKnownPort> = {
  993: { provider: 'imap', modes: ['ssl_tls'], describe: 'port 993 is IMAP over implicit TLS; use securityMode ssl_tls' },
  143: { provider: 'imap', modes: ['starttls', 'none'], describe: 'port 143 is plain IMAP upgraded with STARTTLS; use securityMode starttls, or port 993 for ssl_tls' },
  465: { provider: 'smtp', modes: ['ssl_tls'], describe: 'port 465 is SMTP over implicit TLS; use securityMode ssl_tls' },
  587: { provider: 'smtp', modes: ['starttls', 'none'], describe: 'port 587 is SMTP submission upgraded with STARTTLS; use securityMode starttls, or port 465 for ssl_tls' },
  25: { provider: 'smtp', modes: ['starttls', 'none'], describe: 'port 25 is SMTP upgraded with STARTTLS; use securityMode starttls, or port 465 for ssl_tls' },
};

const USUAL_PORTS: Record<ProviderKind, string> = {
  imap: 'IMAP uses 993 (ssl_tls) or 143 (starttls)',
  smtp: 'SMTP uses 465 (ssl_tls), 587 or 25 (starttls)',
};

/** Every way the combination breaks the contract's port/security rules; empty when it agrees. */
export function checkConnectionRules(record: ConnectionRecord, options: ConnectionRuleOptions): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const known = WELL_KNOWN_PORTS[record.port];
  if (known && known.provider !== record.providerKind) {
    problems.push({ field: 'port', message: `port ${record.port} is an ${known.provider.toUpperCase()} port, not for providerKind ${record.providerKind}; ${USUAL_PORTS[record.providerKind]}` });
  } else if (known && !known.modes.includes(record.securityMode)) {
    problems.push({ field: options.agreementField ?? 'securityMode', message: known.describe });
  }
  if (record.securityMode === 'none' && !options.allowInsecureTransport) {
    problems.push({ field: 'securityMode', message: 'none would send the secret across the network in clear text and is disabled on this server; use ssl_tls or starttls' });
  }
  return problems;
}

// ---------------------------------------------------------------------------------------
// Validators used by the services
// ---------------------------------------------------------------------------------------

export function validateCreate(input: unknown, options: ConnectionRuleOptions): CreateCredentialInput {
  const result = createCredentialSchema.safeParse(input);
  if (result.success) {
    const problems = checkConnectionRules(result.data, options);
    if (problems.length > 0) throw validationFailed(problems);
    return result.data;
  }
  // Report the cross-field verdict alongside the field problems whenever the four fields it
  // needs are themselves valid, so a caller fixes everything in one round trip.
  const problems = toFieldProblems(result.error);
  const record = validConnectionFields(input, problems);
  if (record) problems.push(...checkConnectionRules(record, options));
  throw validationFailed(problems);
}

export function validateUpdate(
  input: unknown,
  current: ConnectionFields,
  options: ConnectionRuleOptions,
): { changes: UpdateChanges; merged: ConnectionFields; connectionChanged: boolean } {
  const result = updateCredentialSchema.safeParse(input);
  if (!result.success) {
    const problems = toFieldProblems(result.error);
    const sent = validConnectionFields(input, problems, current);
    if (sent) problems.push(...checkConnectionRules(sent, { ...options, agreementField: agreementFieldFor(input) }));
    throw validationFailed(problems);
  }

  const { secret: _secret, providerKind: _providerKind, ...parsed } = result.data;
  const changes = Object.fromEntries(Object.entries(parsed).filter(([, value]) => value !== undefined)) as UpdateChanges;
  if (Object.keys(changes).length === 0) {
    throw validationFailed([{ field: 'body', message: 'must contain at least one field to change: host, port, securityMode, authKind, username or label' }]);
  }

  // The whole resulting record must satisfy the rules, not just the fields that were sent.
  const merged: ConnectionFields = {
    providerKind: current.providerKind,
    host: changes.host ?? current.host,
    port: changes.port ?? current.port,
    securityMode: changes.securityMode ?? current.securityMode,
    authKind: changes.authKind ?? current.authKind,
    username: changes.username ?? current.username,
  };
  const problems = checkConnectionRules(merged, { ...options, agreementField: agreementFieldFor(changes) });
  if (problems.length > 0) throw validationFailed(problems);

  const connectionChanged =
    merged.host !== current.host ||
    merged.port !== current.port ||
    merged.securityMode !== current.securityMode ||
    merged.authKind !== current.authKind ||
    (changes.username !== undefined && changes.username !== current.username);
  return { changes, merged, connectionChanged };
}

export function validateRotate(input: unknown): RotateCredentialInput {
  const result = rotateCredentialSchema.safeParse(input);
  if (!result.success) throw validationFailed(toFieldProblems(result.error));
  return withoutUndefined(result.data) as RotateCredentialInput;
}

/**
 * The search body's `filter`; absent or null means no filter. Problems are named
 * `filter.<field>` because the filter is one argument of the search request.
 */
export function validateSearchFilter(input: unknown): SearchFilter {
  if (input === undefined || input === null) return {};
  const result = searchFilterSchema.safeParse(input);
  if (!result.success) throw validationFailed(toFieldProblems(result.error, (path) => (path === 'body' ? 'filter' : `filter.${path}`)));
  return withoutUndefined(result.data) as SearchFilter;
}

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/**
 * The connection fields of a body that failed validation elsewhere, when each of them is
 * valid (taken from the body, or from `current` when the body leaves it out); otherwise
 * undefined, because the agreement of invalid values means nothing. On update the stored
 * providerKind always counts, since the body may not change it.
 */
function validConnectionFields(input: unknown, problems: FieldProblem[], current?: ConnectionFields): ConnectionRecord | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return undefined;
  const body = input as Record<string, unknown>;
  const record: Record<string, unknown> = current ? { providerKind: current.providerKind } : {};
  const keys = current ? (['port', 'securityMode', 'authKind'] as const) : (['providerKind', 'port', 'securityMode', 'authKind'] as const);
  for (const key of keys) {
    if (problems.some((problem) => problem.field === key)) return undefined;
    const value = body[key] ?? current?.[key];
    if (value === undefined) return undefined;
    record[key] = value;
  }
  return record as unknown as ConnectionRecord;
}

function agreementFieldFor(body: unknown): 'port' | 'securityMode' {
  const sent = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  return sent.port !== undefined && sent.securityMode === undefined ? 'port' : 'securityMode';
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}

/** A valid instant from a Date (GraphQL scalar) or a strict ISO 8601 date-time string. */
function toDate(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value !== 'string') return undefined;
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/i.exec(value);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second = '0', , offsetHours = '0', offsetMinutes = '0'] = match;
  // Date.parse rolls 2026-02-30 over to March; check each part is in range instead.
  const daysInMonth = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
  const inRange =
    Number(month) >= 1 && Number(month) <= 12 &&
    Number(day) >= 1 && Number(day) <= daysInMonth &&
    Number(hour) <= 23 && Number(minute) <= 59 && Number(second) <= 59 &&
    Number(offsetHours) <= 23 && Number(offsetMinutes) <= 59;
  if (!inRange) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
