// The classifiers on the error shapes the libraries really produce (stack notes, "What the
// clients report"), including ones the loopback servers cannot provoke (expired certificates,
// temporary failures).
import { describe, expect, it } from 'vitest';
import { classifyImapError } from '../../src/modules/connectivity/classify-imap-error.js';
import { classifySmtpError, TOKEN_REJECTED } from '../../src/modules/connectivity/classify-smtp-error.js';
import { ProbeFailure } from '../../src/modules/connectivity/probe-context.js';
import type { ClassifyContext } from '../../src/modules/connectivity/transport-errors.js';
import type { ProbeStage, SecurityMode } from '../../src/modules/connectivity/types.js';

const context = (stage: ProbeStage, securityMode: SecurityMode = 'ssl_tls', overrides: Partial<ClassifyContext> = {}): ClassifyContext => ({
  stage,
  providerKind: 'imap',
  securityMode,
  authKind: 'password',
  host: 'mail.example.test',
  port: 993,
  ...overrides,
});

const error = (message: string, fields: Record<string, unknown>) => Object.assign(new Error(message), fields);

describe('classifyImapError', () => {
  const cases: Array<[string, unknown, ClassifyContext, string, RegExp?]> = [
    ['wrong password', error('Command failed', { authenticationFailed: true, serverResponseCode: 'AUTHENTICATIONFAILED', response: 'NO' }), context('auth'), 'AUTH_FAILED'],
    ['NO without a response code', error('Command failed', { authenticationFailed: true, response: 'NO login failed' }), context('auth'), 'AUTH_FAILED'],
    ['client-side refusal (LOGINDISABLED)', error('Login is disabled', { authenticationFailed: true }), context('auth', 'none'), 'AUTH_METHOD_UNSUPPORTED', /starttls/],
    ['PRIVACYREQUIRED', error('Command failed', { authenticationFailed: true, serverResponseCode: 'PRIVACYREQUIRED', response: 'NO' }), context('auth', 'none'), 'AUTH_METHOD_UNSUPPORTED'],
    ['UNAVAILABLE', error('Command failed', { authenticationFailed: true, serverResponseCode: 'UNAVAILABLE', response: 'NO' }), context('auth'), 'PROTOCOL_ERROR', /later/],
    ['port closed', error('connect ECONNREFUSED', { code: 'ECONNREFUSED' }), context('connect'), 'CONNECTION_REFUSED'],
    ['no route', error('connect EHOSTUNREACH', { code: 'EHOSTUNREACH' }), context('connect'), 'CONNECTION_REFUSED'],
    ['TLS to a plain port', error('wrong version number', { code: 'ERR_SSL_WRONG_VERSION_NUMBER' }), context('tls'), 'TLS_HANDSHAKE_FAILED', /starttls/],
    ['plain to a TLS port', error('Failed to receive greeting', { code: 'GREETING_TIMEOUT' }), context('greeting', 'starttls'), 'TIMEOUT', /ssl_tls/],
    ['handshake stalls', error('Timeout', { code: 'CONNECT_TIMEOUT' }), context('tls'), 'TIMEOUT'],
    ['self-signed', error('self-signed certificate', { code: 'DEPTH_ZERO_SELF_SIGNED_CERT', tlsFailed: true }), context('tls', 'starttls'), 'TLS_CERTIFICATE_INVALID', /CONNECTIVITY_EXTRA_CA_FILE/],
    ['unknown CA', error('unable to verify', { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }), context('tls'), 'TLS_CERTIFICATE_INVALID', /CONNECTIVITY_EXTRA_CA_FILE/],
    ['expired', error('certificate has expired', { code: 'CERT_HAS_EXPIRED' }), context('tls'), 'TLS_CERTIFICATE_INVALID', /renew/],
    ['name mismatch', error("Hostname/IP does not match certificate's altnames", { code: 'ERR_TLS_CERT_ALTNAME_INVALID' }), context('tls'), 'TLS_CERTIFICATE_INVALID', /host name/],
    ['STARTTLS not offered', error('Server does not support STARTTLS', { tlsFailed: true }), context('tls', 'starttls'), 'STARTTLS_UNAVAILABLE', /ssl_tls/],
    ['closed during handshake', error('socket hang up', { code: 'ECONNRESET' }), context('tls'), 'TLS_HANDSHAKE_FAILED'],
    ['closed before greeting', error('Connection closed', { code: 'NoConnection' }), context('greeting'), 'PROTOCOL_ERROR'],
    ['parser failure', error('Unexpected char', { code: 'ParserError11' }), context('greeting'), 'PROTOCOL_ERROR'],
    ['anything else', 'a string was thrown', context('auth'), 'PROTOCOL_ERROR'],
  ];

  it.each(cases)('%s', (_name, thrown, ctx, code, hint) => {
    const classified = classifyImapError(thrown, ctx);
    expect(classified.code).toBe(code);
    if (hint) expect(`${classified.message} ${classified.hint ?? ''}`).toMatch(hint);
  });

  it('passes failures the probe raised itself through unchanged', () => {
    const failure = { code: 'STARTTLS_UNAVAILABLE' as const, message: 'no STARTTLS' };
    expect(classifyImapError(new ProbeFailure(failure), context('tls'))).toBe(failure);
  });

  it('builds its own messages, never the server text', () => {
    const leaky = error('NO [AUTHENTICATIONFAILED] bad password for alice@example.test', {
      authenticationFailed: true,
      serverResponseCode: 'AUTHENTICATIONFAILED',
      response: 'bad password for alice@example.test',
    });
    expect(JSON.stringify(classifyImapError(leaky, context('auth')))).not.toContain('alice');
  });
});

describe('classifySmtpError', () => {
  const smtp = (stage: ProbeStage, securityMode: SecurityMode = 'ssl_tls', authKind: 'password' | 'oauth2' = 'password') =>
    context(stage, securityMode, { providerKind: 'smtp', port: 465, authKind });

  const cases: Array<[string, unknown, ClassifyContext, string, RegExp?]> = [
    ['wrong password', error('Invalid login', { code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN' }), smtp('auth'), 'AUTH_FAILED'],
    ['rejected token (no renewal)', error('token rejected', { code: 'EAUTH', originalCode: TOKEN_REJECTED }), smtp('auth', 'ssl_tls', 'oauth2'), 'AUTH_FAILED', /OAuth2/],
    ['login before STARTTLS', error('Invalid login', { code: 'EAUTH', responseCode: 538 }), smtp('auth', 'none'), 'AUTH_METHOD_UNSUPPORTED', /starttls/],
    ['mechanism unsupported', error('Invalid login', { code: 'EAUTH', responseCode: 504 }), smtp('auth'), 'AUTH_METHOD_UNSUPPORTED'],
    ['temporary auth failure', error('Invalid login', { code: 'EAUTH', responseCode: 454 }), smtp('auth'), 'PROTOCOL_ERROR', /later/],
    ['port closed', error('connect ECONNREFUSED', { code: 'ESOCKET', originalCode: 'ECONNREFUSED' }), smtp('connect'), 'CONNECTION_REFUSED'],
    ['raw socket error from dialling', error('connect ECONNREFUSED', { code: 'ECONNREFUSED' }), smtp('connect'), 'CONNECTION_REFUSED'],
    ['TLS to a plain port', error('wrong version number', { code: 'ESOCKET', originalCode: 'ERR_SSL_WRONG_VERSION_NUMBER' }), smtp('tls'), 'TLS_HANDSHAKE_FAILED', /starttls/],
    ['plain to a TLS port', error('Greeting never received', { code: 'ETIMEDOUT', timeoutType: 'GREETING_TIMEOUT' }), smtp('greeting', 'starttls'), 'TIMEOUT', /ssl_tls/],
    ['handshake stalls', error('Connection timeout', { code: 'ETIMEDOUT', timeoutType: 'CONNECT_TIMEOUT' }), smtp('tls'), 'TIMEOUT'],
    ['self-signed', error('self-signed certificate', { code: 'ESOCKET', originalCode: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), smtp('tls'), 'TLS_CERTIFICATE_INVALID', /CONNECTIVITY_EXTRA_CA_FILE/],
    ['name mismatch', error('altnames', { code: 'ESOCKET', originalCode: 'ERR_TLS_CERT_ALTNAME_INVALID' }), smtp('tls'), 'TLS_CERTIFICATE_INVALID'],
    ['STARTTLS refused by the server', error('Error upgrading connection with STARTTLS', { code: 'ETLS', command: 'STARTTLS', responseCode: 502 }), smtp('tls', 'starttls'), 'STARTTLS_UNAVAILABLE'],
    ['upgrade failed locally', error('Error initiating TLS', { code: 'ETLS', command: 'STARTTLS' }), smtp('tls', 'starttls'), 'TLS_HANDSHAKE_FAILED'],
    ['421 on connect', error('Connection closed', { code: 'ECONNECTION', responseCode: 421 }), smtp('greeting'), 'PROTOCOL_ERROR', /421/],
    ['closed unexpectedly', error('Connection closed unexpectedly', { code: 'ECONNECTION' }), smtp('greeting'), 'PROTOCOL_ERROR'],
    ['an IMAP server', error('Invalid greeting', { code: 'EPROTOCOL', response: '* OK IMAP ready' }), smtp('greeting', 'starttls'), 'PROTOCOL_ERROR', /provider kind/],
    ['session refused in the greeting', error('Invalid greeting', { code: 'EPROTOCOL', response: '554 go away', responseCode: 554 }), smtp('greeting'), 'PROTOCOL_ERROR', /554/],
    ['anything else', undefined, smtp('auth'), 'PROTOCOL_ERROR'],
  ];

  it.each(cases)('%s', (_name, thrown, ctx, code, hint) => {
    const classified = classifySmtpError(thrown, ctx);
    expect(classified.code).toBe(code);
    if (hint) expect(`${classified.message} ${classified.hint ?? ''}`).toMatch(hint);
  });
});
