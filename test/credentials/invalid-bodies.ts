// Request bodies every interface must refuse with VALIDATION_FAILED, shared by the unit tests
// of the rules and by end-to-end tests that replay them over REST and GraphQL.
//
// Conventions for replaying:
// - Bodies are JSON-serialisable and use the service's camelCase names; the REST replay
//   converts keys to snake_case, GraphQL passes them as the input object.
// - `create` bodies are complete create requests.
// - `update` and `rotate` bodies apply to a credential created from VALID_CREATE_BODY
//   (IMAP, 993, ssl_tls, password).
// - `search` bodies are the `filter` object (REST: `{ "filter": body }`); their fields are
//   reported as `filter.<name>`.
// - The server runs with ALLOW_INSECURE_TRANSPORT off (the default).
// - `field` is the camelCase field the error details must name (possibly among others).

export interface InvalidBody {
  name: string;
  kind: 'create' | 'update' | 'rotate' | 'search';
  body: Record<string, unknown>;
  field: string;
}

export const VALID_CREATE_BODY = {
  providerKind: 'imap',
  host: 'imap.example.com',
  port: 993,
  securityMode: 'ssl_tls',
  authKind: 'password',
  username: 'user@example.com',
  secret: 'correct horse battery staple',
  label: 'Support inbox',
} as const;

/** A create body with some fields replaced; `undefined` removes a field. */
const create = (name: string, field: string, changes: Record<string, unknown>): InvalidBody => {
  const body: Record<string, unknown> = { ...VALID_CREATE_BODY, ...changes };
  for (const [key, value] of Object.entries(changes)) if (value === undefined) delete body[key];
  return { name, kind: 'create', body, field };
};
const update = (name: string, field: string, body: Record<string, unknown>): InvalidBody => ({ name, kind: 'update', body, field });
const rotate = (name: string, field: string, body: Record<string, unknown>): InvalidBody => ({ name, kind: 'rotate', body, field });
const search = (name: string, field: string, body: Record<string, unknown>): InvalidBody => ({ name, kind: 'search', body, field: `filter.${field}` });

const imap = (port: number, securityMode: string) => ({ providerKind: 'imap', port, securityMode });
const smtp = (port: number, securityMode: string) => ({ providerKind: 'smtp', host: 'smtp.example.com', port, securityMode });

export const INVALID_BODIES: InvalidBody[] = [
  // Enums: unknown values, wrong case, wrong types, missing, null.
  create('providerKind not in the list', 'providerKind', { providerKind: 'pop3' }),
  create('providerKind in upper case', 'providerKind', { providerKind: 'IMAP' }),
  create('providerKind missing', 'providerKind', { providerKind: undefined }),
  create('providerKind null', 'providerKind', { providerKind: null }),
  create('providerKind a number', 'providerKind', { providerKind: 1 }),
  create('securityMode not in the list', 'securityMode', { securityMode: 'tls' }),
  create('securityMode in upper case', 'securityMode', { securityMode: 'SSL_TLS' }),
  create('securityMode missing', 'securityMode', { securityMode: undefined }),
  create('authKind not in the list', 'authKind', { authKind: 'xoauth2' }),
  create('authKind missing', 'authKind', { authKind: undefined }),
  create('authKind an array', 'authKind', { authKind: ['password'] }),

  // Port: bounds and types.
  create('port 0', 'port', { port: 0 }),
  create('port 65536', 'port', { port: 65536 }),
  create('port negative', 'port', { port: -1 }),
  create('port a fraction', 'port', { port: 993.5 }),
  create('port a numeric string', 'port', { port: '993' }),
  create('port null', 'port', { port: null }),
  create('port missing', 'port', { port: undefined }),
  create('port a boolean', 'port', { port: true }),
  create('port an object', 'port', { port: { value: 993 } }),

  // Host: syntax, types and the forms that are not a bare host.
  create('host empty', 'host', { host: '' }),
  create('host missing', 'host', { host: undefined }),
  create('host a number', 'host', { host: 123 }),
  create('host null', 'host', { host: null }),
  create('host an array', 'host', { host: ['imap.example.com'] }),
  create('host with a scheme', 'host', { host: 'imaps://imap.example.com' }),
  create('host with a port', 'host', { host: 'imap.example.com:993' }),
  create('host with a path', 'host', { host: 'imap.example.com/inbox' }),
  create('host with user info', 'host', { host: 'user@imap.example.com' }),
  create('host with inner whitespace', 'host', { host: 'imap .example.com' }),
  create('host with leading whitespace', 'host', { host: ' imap.example.com' }),
  create('host label starting with a hyphen', 'host', { host: '-imap.example.com' }),
  create('host label ending with a hyphen', 'host', { host: 'imap-.example.com' }),
  create('host label of 64 characters', 'host', { host: `${'a'.repeat(64)}.example.com` }),
  create('host longer than 253 characters', 'host', { host: Array.from({ length: 5 }, () => 'a'.repeat(60)).join('.') }),
  create('host with an empty label', 'host', { host: 'imap..example.com' }),
  create('host with a leading dot', 'host', { host: '.example.com' }),
  create('host with an underscore', 'host', { host: 'imap_mail.example.com' }),
  create('host as a decimal IPv4 number', 'host', { host: '2130706433' }),
  create('host as a hex IPv4 spelling', 'host', { host: '0x7f.1' }),
  create('host as an octal IPv4 spelling', 'host', { host: '0177.0.0.1' }),
  create('host as an out-of-range IPv4', 'host', { host: '256.1.1.1' }),
  create('host as bracketed IPv6 with a port', 'host', { host: '[::1]:993' }),
  create('host as IPv6 with a zone id', 'host', { host: 'fe80::1%eth0' }),
  create('host with brackets around IPv4', 'host', { host: '[192.0.2.10]' }),
  create('host with invalid punycode', 'host', { host: 'xn--a.example.com' }),

  // Port and security mode must agree; ports of the other protocol are refused.
  create('IMAP 993 with starttls', 'securityMode', imap(993, 'starttls')),
  create('IMAP 993 with none', 'securityMode', imap(993, 'none')),
  create('IMAP 143 with ssl_tls', 'securityMode', imap(143, 'ssl_tls')),
  create('SMTP 465 with starttls', 'securityMode', smtp(465, 'starttls')),
  create('SMTP 587 with ssl_tls', 'securityMode', smtp(587, 'ssl_tls')),
  create('SMTP 25 with ssl_tls', 'securityMode', smtp(25, 'ssl_tls')),
  create('IMAP on SMTP port 465', 'port', imap(465, 'ssl_tls')),
  create('IMAP on SMTP port 587', 'port', imap(587, 'starttls')),
  create('IMAP on SMTP port 25', 'port', imap(25, 'starttls')),
  create('SMTP on IMAP port 993', 'port', smtp(993, 'ssl_tls')),
  create('SMTP on IMAP port 143', 'port', smtp(143, 'starttls')),

  // Clear-text transport is refused unless the operator allows it.
  create('IMAP 143 with none', 'securityMode', imap(143, 'none')),
  create('SMTP 587 with none', 'securityMode', smtp(587, 'none')),
  create('none on another port with oauth2', 'securityMode', { ...smtp(2525, 'none'), authKind: 'oauth2' }),

  // Username, secret and label bounds and types.
  create('username empty', 'username', { username: '' }),
  create('username of 321 characters', 'username', { username: 'u'.repeat(321) }),
  create('username missing', 'username', { username: undefined }),
  create('username a number', 'username', { username: 42 }),
  create('username with a line break', 'username', { username: 'user\r\nA1 LOGOUT' }),
  create('username with surrounding spaces', 'username', { username: ' user@example.com ' }),
  create('secret empty', 'secret', { secret: '' }),
  create('secret of 8193 characters', 'secret', { secret: 's'.repeat(8193) }),
  create('secret with a NUL character', 'secret', { secret: 'pass\u0000word' }),
  create('secret missing', 'secret', { secret: undefined }),
  create('secret an object', 'secret', { secret: { value: 'x' } }),
  create('label of 101 characters', 'label', { label: 'l'.repeat(101) }),
  create('label a number', 'label', { label: 5 }),
  create('label with a line break', 'label', { label: 'Support\ninbox' }),
  create('verify a string', 'verify', { verify: 'true' }),
  create('verify a number', 'verify', { verify: 1 }),

  // Unknown fields are named.
  create('unknown field', 'password', { password: 'hunter2' }),
  create('read-only field secretVersion', 'secretVersion', { secretVersion: 2 }),
  create('output-only field usernameMasked', 'usernameMasked', { usernameMasked: 'u***' }),

  // Update: what cannot change, what must not be null, and the merged record's agreement.
  update('empty update', 'body', {}),
  update('secret on update', 'secret', { secret: 'new secret' }),
  update('secret with another field on update', 'secret', { label: 'New', secret: 'new secret' }),
  update('providerKind on update', 'providerKind', { providerKind: 'smtp' }),
  update('unknown field on update', 'color', { color: 'blue' }),
  update('port only, disagreeing with the stored ssl_tls', 'port', { port: 143 }),
  update('SMTP port for the stored IMAP credential', 'port', { port: 587 }),
  update('securityMode only, disagreeing with the stored 993', 'securityMode', { securityMode: 'starttls' }),
  update('port and securityMode that disagree', 'securityMode', { port: 143, securityMode: 'ssl_tls' }),
  update('securityMode none refused', 'securityMode', { port: 143, securityMode: 'none' }),
  update('port a string on update', 'port', { port: 'abc' }),
  update('port out of range on update', 'port', { port: 70000 }),
  update('host null on update', 'host', { host: null }),
  update('host with a scheme on update', 'host', { host: 'https://imap.example.com' }),
  update('host a number on update', 'host', { host: 42 }),
  update('authKind not in the list on update', 'authKind', { authKind: 'basic' }),
  update('username empty on update', 'username', { username: '' }),
  update('username null on update', 'username', { username: null }),
  update('label too long on update', 'label', { label: 'l'.repeat(101) }),
  update('label an array on update', 'label', { label: ['a'] }),

  // Rotate.
  rotate('rotate without a secret', 'secret', {}),
  rotate('rotate with an empty secret', 'secret', { secret: '' }),
  rotate('rotate with a NUL in the secret', 'secret', { secret: 'a\u0000b' }),
  rotate('rotate with a secret of 8193 characters', 'secret', { secret: 'x'.repeat(8193) }),
  rotate('rotate with a numeric secret', 'secret', { secret: 123456 }),
  rotate('rotate with an unknown field', 'host', { secret: 'new secret', host: 'imap.example.com' }),
  rotate('rotate with verify a string', 'verify', { secret: 'new secret', verify: 'yes' }),
  rotate('rotate with an empty username', 'username', { secret: 'new secret', username: '' }),
  rotate('rotate with a username containing a line break', 'username', { secret: 'new secret', username: 'a\nb' }),

  // Search filter.
  search('filter providerKind not in the list', 'providerKind', { providerKind: 'pop3' }),
  search('filter securityMode not in the list', 'securityMode', { securityMode: 'ssl' }),
  search('filter authKind in upper case', 'authKind', { authKind: 'PASSWORD' }),
  search('filter lastTestStatus not in the list', 'lastTestStatus', { lastTestStatus: 'passed' }),
  search('filter createdAfter not a date', 'createdAfter', { createdAfter: 'yesterday' }),
  search('filter createdBefore with month 13', 'createdBefore', { createdBefore: '2026-13-01T00:00:00Z' }),
  search('filter createdAfter on 30 February', 'createdAfter', { createdAfter: '2026-02-30T00:00:00Z' }),
  search('filter createdAfter a date without time', 'createdAfter', { createdAfter: '2026-01-01' }),
  search('filter createdAfter without a time zone', 'createdAfter', { createdAfter: '2026-01-01T00:00:00' }),
  search('filter createdBefore a number', 'createdBefore', { createdBefore: 1767225600000 }),
  search('filter host with a scheme', 'host', { host: 'imaps://imap.example.com' }),
  search('filter hostContains a number', 'hostContains', { hostContains: 42 }),
  search('filter labelContains too long', 'labelContains', { labelContains: 'l'.repeat(101) }),
  search('filter with an unknown field', 'provider', { provider: 'imap' }),
];
