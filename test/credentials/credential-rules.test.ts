import { describe, expect, it } from 'vitest';
import { AppError, type FieldProblem } from '../../src/errors.js';
import {
  checkConnectionRules,
  validateCreate,
  validateRotate,
  validateSearchFilter,
  validateUpdate,
  type ConnectionFields,
} from '../../src/modules/credentials/credential.rules.js';
import { INVALID_BODIES, VALID_CREATE_BODY, type InvalidBody } from './invalid-bodies.js';

const STRICT = { allowInsecureTransport: false };
const INSECURE_ALLOWED = { allowInsecureTransport: true };

/** The stored credential every update body applies to: what VALID_CREATE_BODY creates. */
const CURRENT: ConnectionFields = {
  providerKind: 'imap',
  host: 'imap.example.com',
  port: 993,
  securityMode: 'ssl_tls',
  authKind: 'password',
  username: 'user@example.com',
};

function validate(kind: InvalidBody['kind'], body: unknown, options = STRICT): unknown {
  switch (kind) {
    case 'create':
      return validateCreate(body, options);
    case 'update':
      return validateUpdate(body, CURRENT, options);
    case 'rotate':
      return validateRotate(body);
    case 'search':
      return validateSearchFilter(body);
  }
}

function problemsOf(action: () => unknown): FieldProblem[] {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('VALIDATION_FAILED');
    return (error as AppError).details as FieldProblem[];
  }
  throw new Error('expected VALIDATION_FAILED, but the input was accepted');
}

describe('invalid bodies', () => {
  it('has a broad table', () => {
    expect(INVALID_BODIES.length).toBeGreaterThanOrEqual(70);
    expect(new Set(INVALID_BODIES.map((entry) => entry.name)).size).toBe(INVALID_BODIES.length);
    // Replayable over HTTP: survives a JSON round trip unchanged.
    expect(JSON.parse(JSON.stringify(INVALID_BODIES))).toEqual(INVALID_BODIES);
  });

  it.each(INVALID_BODIES.map((entry) => [`${entry.kind}: ${entry.name}`, entry] as const))('%s', (_title, entry) => {
    const problems = problemsOf(() => validate(entry.kind, entry.body));
    expect(problems.map((problem) => problem.field)).toContain(entry.field);
    for (const problem of problems) expect(problem.message).toMatch(/\S/);
  });

  it('never echoes a secret in messages', () => {
    for (const entry of INVALID_BODIES) {
      const secret = entry.body.secret;
      if (typeof secret !== 'string' || secret.length < 3) continue;
      const error = (() => {
        try {
          validate(entry.kind, entry.body);
        } catch (caught) {
          return caught as AppError;
        }
      })();
      expect(error?.message).not.toContain(secret);
      expect(JSON.stringify(error?.details)).not.toContain(secret);
    }
  });
});

describe('messages', () => {
  it('lists enum values in lower case', () => {
    expect(problemsOf(() => validateCreate({ ...VALID_CREATE_BODY, providerKind: 'IMAP' }, STRICT))).toEqual([
      { field: 'providerKind', message: 'must be one of imap, smtp' },
    ]);
    expect(problemsOf(() => validateCreate({ ...VALID_CREATE_BODY, securityMode: 'tls' }, STRICT))).toEqual([
      { field: 'securityMode', message: 'must be one of ssl_tls, starttls, none' },
    ]);
    expect(problemsOf(() => validateSearchFilter({ lastTestStatus: 'passed' }))).toEqual([
      { field: 'filter.lastTestStatus', message: 'must be one of succeeded, failed, never' },
    ]);
  });

  it('says when a field is missing, and names unknown fields', () => {
    const { secret: _secret, ...withoutSecret } = VALID_CREATE_BODY;
    expect(problemsOf(() => validateCreate({ ...withoutSecret, nickname: 'x' }, STRICT))).toEqual([
      { field: 'secret', message: 'is required' },
      { field: 'nickname', message: 'is not a known field' },
    ]);
  });

  it('explains the port / security rules in words', () => {
    expect(problemsOf(() => validateCreate({ ...VALID_CREATE_BODY, securityMode: 'starttls' }, STRICT))).toEqual([
      { field: 'securityMode', message: 'port 993 is IMAP over implicit TLS; use securityMode ssl_tls' },
    ]);
    expect(problemsOf(() => validateCreate({ ...VALID_CREATE_BODY, port: 587, securityMode: 'starttls' }, STRICT))).toEqual([
      { field: 'port', message: 'port 587 is an SMTP port, not for providerKind imap; IMAP uses 993 (ssl_tls) or 143 (starttls)' },
    ]);
    expect(problemsOf(() => validateCreate({ ...VALID_CREATE_BODY, port: 143, securityMode: 'none' }, STRICT))).toEqual([
      { field: 'securityMode', message: 'none would send the secret across the network in clear text and is disabled on this server; use ssl_tls or starttls' },
    ]);
  });

  it('tells why a secret is refused on update', () => {
    expect(problemsOf(() => validateUpdate({ secret: 'x' }, CURRENT, STRICT))).toEqual([
      { field: 'secret', message: 'cannot be changed by an update; secrets change only through rotate' },
    ]);
    expect(problemsOf(() => validateUpdate({}, CURRENT, STRICT))).toEqual([
      { field: 'body', message: 'must contain at least one field to change: host, port, securityMode, authKind, username or label' },
    ]);
  });

  it('refuses bodies that are not objects', () => {
    for (const body of [null, [], 'text', 42]) {
      expect(problemsOf(() => validateCreate(body, STRICT))).toEqual([{ field: 'body', message: 'must be an object' }]);
      expect(problemsOf(() => validateUpdate(body, CURRENT, STRICT))).toEqual([{ field: 'body', message: 'must be an object' }]);
      expect(problemsOf(() => validateRotate(body))).toEqual([{ field: 'body', message: 'must be an object' }]);
    }
    expect(problemsOf(() => validateSearchFilter([]))).toEqual([{ field: 'filter', message: 'must be an object' }]);
  });
});

describe('all problems at once', () => {
  it('reports field problems and the cross-field verdict together', () => {
    const problems = problemsOf(() =>
      validateCreate({ ...VALID_CREATE_BODY, host: 'imaps://x', username: '', securityMode: 'starttls', extra: 1 }, STRICT),
    );
    expect(problems.map((problem) => problem.field).sort()).toEqual(['extra', 'host', 'securityMode', 'username']);
  });

  it('skips the cross-field rules when one of their fields is itself invalid', () => {
    const problems = problemsOf(() => validateCreate({ ...VALID_CREATE_BODY, port: '993', securityMode: 'starttls' }, STRICT));
    expect(problems).toEqual([{ field: 'port', message: 'must be a whole number from 1 to 65535' }]);
  });

  it('reports both the agreement and the clear-text rule on securityMode', () => {
    const problems = problemsOf(() => validateCreate({ ...VALID_CREATE_BODY, securityMode: 'none' }, STRICT));
    expect(problems).toHaveLength(2);
    expect(problems.every((problem) => problem.field === 'securityMode')).toBe(true);
  });

  it('judges an update against the stored record even when another field is invalid', () => {
    const problems = problemsOf(() => validateUpdate({ port: 143, label: 'x'.repeat(101) }, CURRENT, STRICT));
    expect(problems.map((problem) => problem.field).sort()).toEqual(['label', 'port']);
  });

  it('judges an update by the stored providerKind when the body tries to change it', () => {
    const problems = problemsOf(() => validateUpdate({ providerKind: 'smtp', port: 587 }, CURRENT, STRICT));
    expect(problems.map((problem) => problem.field).sort()).toEqual(['port', 'providerKind']);
  });
});

describe('checkConnectionRules', () => {
  const record = (providerKind: 'imap' | 'smtp', port: number, securityMode: 'ssl_tls' | 'starttls' | 'none') => ({ providerKind, port, securityMode, authKind: 'password' as const });

  it.each([
    ['imap', 993, 'ssl_tls'],
    ['imap', 143, 'starttls'],
    ['smtp', 465, 'ssl_tls'],
    ['smtp', 587, 'starttls'],
    ['smtp', 25, 'starttls'],
    ['imap', 1993, 'ssl_tls'],
    ['imap', 1143, 'starttls'],
    ['smtp', 2525, 'ssl_tls'],
    ['smtp', 2587, 'starttls'],
  ] as const)('%s %i %s agrees', (providerKind, port, securityMode) => {
    expect(checkConnectionRules(record(providerKind, port, securityMode), STRICT)).toEqual([]);
  });

  it.each([
    ['imap', 143, 'none'],
    ['smtp', 587, 'none'],
    ['smtp', 25, 'none'],
    ['imap', 10143, 'none'],
  ] as const)('%s %i %s is allowed only with insecure transport enabled', (providerKind, port, securityMode) => {
    expect(checkConnectionRules(record(providerKind, port, securityMode), INSECURE_ALLOWED)).toEqual([]);
    expect(checkConnectionRules(record(providerKind, port, securityMode), STRICT)).toEqual([expect.objectContaining({ field: 'securityMode' })]);
  });

  it('still refuses a disagreeing none when insecure transport is enabled', () => {
    expect(checkConnectionRules(record('imap', 993, 'none'), INSECURE_ALLOWED)).toEqual([
      { field: 'securityMode', message: 'port 993 is IMAP over implicit TLS; use securityMode ssl_tls' },
    ]);
    expect(checkConnectionRules(record('smtp', 465, 'none'), INSECURE_ALLOWED)).toHaveLength(1);
  });

  it('reports a disagreement on the field the caller asks for', () => {
    expect(checkConnectionRules(record('imap', 143, 'ssl_tls'), { ...STRICT, agreementField: 'port' })).toEqual([
      { field: 'port', message: 'port 143 is plain IMAP upgraded with STARTTLS; use securityMode starttls, or port 993 for ssl_tls' },
    ]);
  });
});

describe('validateCreate accepts', () => {
  const body = (changes: Record<string, unknown>) => ({ ...VALID_CREATE_BODY, ...changes });

  it('the documented example, with defaults filled in', () => {
    expect(validateCreate(VALID_CREATE_BODY, STRICT)).toEqual({ ...VALID_CREATE_BODY, verify: false });
  });

  it.each([
    ['IMAP STARTTLS', { port: 143, securityMode: 'starttls' }, {}],
    ['SMTP submission with OAuth2', { providerKind: 'smtp', port: 587, securityMode: 'starttls', authKind: 'oauth2' }, {}],
    ['SMTP implicit TLS', { providerKind: 'smtp', port: 465, securityMode: 'ssl_tls' }, {}],
    ['SMTP port 25 with STARTTLS', { providerKind: 'smtp', port: 25, securityMode: 'starttls' }, {}],
    ['another port with any mode', { port: 2993, securityMode: 'starttls' }, {}],
    ['port 1', { port: 1, securityMode: 'ssl_tls' }, {}],
    ['port 65535', { port: 65535, securityMode: 'ssl_tls' }, {}],
    ['an IPv4 host', { host: '192.0.2.10' }, {}],
    ['an IPv6 host, canonicalised', { host: '2001:DB8:0::1' }, { host: '2001:db8::1' }],
    ['a bracketed IPv6 host', { host: '[::1]' }, { host: '::1' }],
    ['an upper-case host with a trailing dot', { host: 'IMAP.Example.COM.' }, { host: 'imap.example.com' }],
    ['an internationalised host', { host: 'mail.bücher.de' }, { host: 'mail.xn--bcher-kva.de' }],
    ['verify true', { verify: true }, { verify: true }],
    ['verify null as the default', { verify: null }, { verify: false }],
    ['no label', { label: undefined }, { label: null }],
    ['label null', { label: null }, { label: null }],
    ['label empty as no label', { label: '' }, { label: null }],
    ['label trimmed', { label: '  Support  ' }, { label: 'Support' }],
    ['label of 100 characters', { label: 'l'.repeat(100) }, {}],
    ['username of 320 characters', { username: 'u'.repeat(320) }, {}],
    ['username of 1 character', { username: 'u' }, {}],
    ['username with inner spaces', { username: 'Support Team' }, {}],
    ['secret of 8192 characters', { secret: 's'.repeat(8192) }, {}],
    ['secret of 1 character', { secret: 's' }, {}],
    ['secret kept byte for byte', { secret: '  pässwörd with spaces\t😀 ' }, {}],
  ])('%s', (_name, changes, expected) => {
    const input = body(changes);
    if (changes && 'label' in changes && changes.label === undefined) delete (input as Record<string, unknown>).label;
    const result = validateCreate(input, STRICT);
    expect(result).toMatchObject({ ...input, label: 'label' in input ? input.label : null, verify: false, ...expected });
  });

  it.each([
    ['IMAP 143', { port: 143, securityMode: 'none' }],
    ['SMTP 587', { providerKind: 'smtp', port: 587, securityMode: 'none' }],
    ['SMTP 25 with OAuth2', { providerKind: 'smtp', port: 25, securityMode: 'none', authKind: 'oauth2' }],
    ['another port', { port: 3143, securityMode: 'none' }],
  ])('securityMode none on %s when insecure transport is allowed', (_name, changes) => {
    expect(validateCreate(body(changes), INSECURE_ALLOWED)).toMatchObject(changes);
    expect(() => validateCreate(body(changes), STRICT)).toThrow(AppError);
  });

  it('accepts a GraphQL input object (a class instance)', () => {
    class CreateInput {
      constructor(values: object) {
        Object.assign(this, values);
      }
    }
    expect(validateCreate(new CreateInput(VALID_CREATE_BODY), STRICT)).toMatchObject(VALID_CREATE_BODY);
  });
});

describe('validateUpdate accepts', () => {
  it.each([
    ['a label', { label: 'New name' }, { label: 'New name' }, false],
    ['clearing the label with null', { label: null }, { label: null }, false],
    ['clearing the label with an empty string', { label: '' }, { label: null }, false],
    ['a new host, normalised', { host: 'IMAP2.Example.com' }, { host: 'imap2.example.com' }, true],
    ['the same host in another spelling', { host: 'IMAP.EXAMPLE.COM.' }, { host: 'imap.example.com' }, false],
    ['port and mode together', { port: 143, securityMode: 'starttls' }, { port: 143, securityMode: 'starttls' }, true],
    ['another port keeping ssl_tls', { port: 10993 }, { port: 10993 }, true],
    ['the auth kind', { authKind: 'oauth2' }, { authKind: 'oauth2' }, true],
    ['a new username', { username: 'other@example.com' }, { username: 'other@example.com' }, true],
    ['the same username', { username: 'user@example.com' }, { username: 'user@example.com' }, false],
    ['the same port', { port: 993 }, { port: 993 }, false],
  ])('%s', (_name, body, changes, connectionChanged) => {
    const result = validateUpdate(body, CURRENT, STRICT);
    expect(result.changes).toEqual(changes);
    expect(result.connectionChanged).toBe(connectionChanged);
    expect(result.merged).toEqual({ ...CURRENT, ...Object.fromEntries(Object.entries(changes).filter(([key]) => key !== 'label')) });
  });

  it('counts any username as a change when the current one is not known', () => {
    const { username: _username, ...withoutUsername } = CURRENT;
    expect(validateUpdate({ username: 'user@example.com' }, withoutUsername, STRICT).connectionChanged).toBe(true);
  });

  it('allows none when insecure transport is enabled', () => {
    const result = validateUpdate({ port: 143, securityMode: 'none' }, CURRENT, INSECURE_ALLOWED);
    expect(result.merged).toMatchObject({ port: 143, securityMode: 'none' });
    expect(result.connectionChanged).toBe(true);
  });

  it('validates the whole resulting record, not only the fields sent', () => {
    const stored: ConnectionFields = { ...CURRENT, port: 143, securityMode: 'none' };
    expect(validateUpdate({ label: 'x' }, stored, INSECURE_ALLOWED).changes).toEqual({ label: 'x' });
    expect(problemsOf(() => validateUpdate({ label: 'x' }, stored, STRICT))).toEqual([expect.objectContaining({ field: 'securityMode' })]);
  });
});

describe('validateRotate accepts', () => {
  it.each([
    [{ secret: 'new secret' }, { secret: 'new secret', verify: false }],
    [{ secret: 'new secret', verify: true }, { secret: 'new secret', verify: true }],
    [{ secret: 'new secret', verify: null }, { secret: 'new secret', verify: false }],
    [{ secret: 'new secret', username: 'new@example.com' }, { secret: 'new secret', username: 'new@example.com', verify: false }],
    [{ secret: 'x'.repeat(8192) }, { secret: 'x'.repeat(8192), verify: false }],
  ])('%j', (body, expected) => {
    expect(validateRotate(body)).toEqual(expected);
  });
});

describe('validateSearchFilter accepts', () => {
  it.each([
    [undefined, {}],
    [null, {}],
    [{}, {}],
    [{ providerKind: 'imap', securityMode: 'starttls', authKind: 'oauth2', lastTestStatus: 'never' }, { providerKind: 'imap', securityMode: 'starttls', authKind: 'oauth2', lastTestStatus: 'never' }],
    [{ host: 'MAIL.Bücher.DE.' }, { host: 'mail.xn--bcher-kva.de' }],
    [{ hostContains: ' Example.COM ', labelContains: 'Support INBOX' }, { hostContains: 'example.com', labelContains: 'support inbox' }],
    [{ hostContains: '', labelContains: '  ' }, {}],
    [{ providerKind: null, host: null, createdAfter: null }, {}],
    [{ createdAfter: '2026-01-31T09:00:00Z' }, { createdAfter: new Date('2026-01-31T09:00:00Z') }],
    [{ createdBefore: '2026-01-31T09:00:00.123+02:00' }, { createdBefore: new Date('2026-01-31T07:00:00.123Z') }],
    [{ createdAfter: '2024-02-29T23:59:59-05:30' }, { createdAfter: new Date('2024-03-01T05:29:59Z') }],
    [{ createdAfter: new Date('2026-01-01T00:00:00Z') }, { createdAfter: new Date('2026-01-01T00:00:00Z') }],
  ])('%j', (filter, expected) => {
    expect(validateSearchFilter(filter)).toEqual(expected);
  });

  it('names the wrong date field', () => {
    expect(problemsOf(() => validateSearchFilter({ createdAfter: '2026-01-01T00:00:00Z', createdBefore: 'soon' }))).toEqual([
      { field: 'filter.createdBefore', message: 'must be an ISO 8601 date-time with a time zone, e.g. 2026-01-31T09:00:00Z' },
    ]);
  });
});
