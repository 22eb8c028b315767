// What the OpenAPI document needs to know about each REST route beyond its row in
// route-table.ts: the zod schema its body is validated with, the shape of its success body, the
// error statuses only it can answer, and named example exchanges. Keyed by the row's `graphql`
// name; the document generator refuses a row without an entry here.
import type { z } from 'zod';
import { memberInputSchema, signInSchema, signUpSchema } from '../../modules/auth/auth.schemas.js';
import { createCredentialSchema, rotateCredentialSchema, updateCredentialSchema } from '../../modules/credentials/credential.rules.js';
import { searchRequestSchema, sendTestMessageRequestSchema, type ResponseName } from './openapi-schemas.js';

export interface ExampleExchange {
  summary: string;
  /** The request body exactly as a REST caller sends it (snake_case). */
  request?: unknown;
  /** The status this exchange answers with. */
  status: number;
  /** The response body exactly as received; absent for 204. */
  response?: unknown;
}

export interface RouteDoc {
  /** The zod schema the service validates the body with (camelCase; documented in snake_case). Absent: no body. */
  body?: { name: string; schema: z.ZodType };
  /** The success body; absent for 204. */
  response?: ResponseName;
  /** List routes take `limit` and `cursor` in the query string. */
  paged?: boolean;
  /** Error statuses beyond those every route of its kind can answer (see impliedErrorStatuses in openapi.ts). */
  errors?: number[];
  /** Named example exchanges; one answers the row's success status (and sends its body). */
  examples: Record<string, ExampleExchange>;
}

// ---------------------------------------------------------------------------------------
// Example values (the spec's examples, with ids of the real shape)
// ---------------------------------------------------------------------------------------

const ACCOUNT_ID = 'acc_eo9CDhJcE-v9gp4lZiop_';
const USER_ID = 'usr_55yBd9Yw2Dl9jsG-Aj1pG';
const COLLEAGUE_ID = 'usr_YgWNRnVp7z4knnF9Yn_9t';
const CREDENTIAL_ID = 'pc_MPzVbjwCq_Bdx5kkWxaWB';
const TOKEN = 'pct_YQfdF1CfPEJubYGu5IAVAE_Nrhoj312JRMhp5UO3B9o';
const CREATED_AT = '2026-11-26T20:00:00.000Z';

const USER = { id: USER_ID, email: 'me@example.com', created_at: CREATED_AT };
const ACCOUNT = { id: ACCOUNT_ID, name: 'My company', created_at: CREATED_AT };

const CREATE_BODY = {
  provider_kind: 'imap',
  host: 'mail.example.com',
  port: 993,
  security_mode: 'ssl_tls',
  auth_kind: 'password',
  username: 'user@example.com',
  secret: 'app-password-1',
  label: 'Support inbox',
};

const CREDENTIAL = {
  id: CREDENTIAL_ID,
  account_id: ACCOUNT_ID,
  provider_kind: 'imap',
  host: 'mail.example.com',
  port: 993,
  security_mode: 'ssl_tls',
  auth_kind: 'password',
  username_masked: 'u***@example.com',
  label: 'Support inbox',
  secret_version: 1,
  last_rotated_at: null,
  last_test: null,
  created_at: CREATED_AT,
  updated_at: CREATED_AT,
};

const FAILED_TEST = {
  ok: false,
  provider_kind: 'imap',
  stage: 'auth',
  error: { code: 'AUTH_FAILED', message: 'The server rejected the username or password.' },
  latency_ms: 84,
  tested_at: '2026-11-26T20:05:00.000Z',
};

const TEST_RESULT = {
  ...FAILED_TEST,
  server: {
    greeting: '* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE AUTH=PLAIN] Dovecot ready.',
    capabilities: ['IMAP4rev1', 'IDLE'],
    tls: {
      protocol: 'TLSv1.3',
      cipher: 'TLS_AES_256_GCM_SHA384',
      authorized: true,
      certificate: {
        subject: 'mail.example.com',
        issuer: 'R11',
        valid_to: '2027-02-24T19:59:59.000Z',
        fingerprint256: 'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89',
      },
    },
  },
};

const VERIFICATION_FAILED = {
  error: { code: 'VERIFICATION_FAILED', message: 'The connectivity test failed: The server rejected the username or password.', details: TEST_RESULT },
};

const NOT_VERIFIED = {
  error: { code: 'CREDENTIAL_NOT_VERIFIED', message: 'This credential has no passing connectivity test since it was created or last changed; run a test first.' },
};

const ADMIN_MEMBER = { user_id: USER_ID, email: 'me@example.com', account_id: ACCOUNT_ID, role: 'admin', created_at: CREATED_AT };
const COLLEAGUE_MEMBER = { user_id: COLLEAGUE_ID, email: 'colleague@example.com', account_id: ACCOUNT_ID, role: 'member', created_at: '2026-11-26T20:10:00.000Z' };

const validationFailed = (problems: { field: string; message: string }[]) => ({
  error: { code: 'VALIDATION_FAILED', message: `Invalid input: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`, details: problems },
});

// ---------------------------------------------------------------------------------------
// One entry per route-table row
// ---------------------------------------------------------------------------------------

export const ROUTE_DOCS: Record<string, RouteDoc> = {
  signUp: {
    body: { name: 'SignUpInput', schema: signUpSchema },
    response: 'SignUpResult',
    errors: [403, 409, 429],
    examples: {
      sign_up: {
        summary: 'Sign up: the new user is admin of the new account',
        request: { email: 'me@example.com', password: 'a long passphrase', account_name: 'My company' },
        status: 201,
        response: { token: TOKEN, user: USER, account: ACCOUNT },
      },
      email_taken: {
        summary: 'The email is already registered',
        request: { email: 'me@example.com', password: 'a long passphrase', account_name: 'My company' },
        status: 409,
        response: { error: { code: 'CONFLICT', message: 'An account with this email already exists; sign in instead.', details: [{ field: 'email', message: 'is already registered' }] } },
      },
    },
  },
  signIn: {
    body: { name: 'SignInInput', schema: signInSchema },
    response: 'SignInResult',
    errors: [401, 429],
    examples: {
      sign_in: {
        summary: 'Sign in',
        request: { email: 'me@example.com', password: 'a long passphrase' },
        status: 200,
        response: { token: TOKEN, user: USER, accounts: [ACCOUNT] },
      },
      wrong_password: {
        summary: 'Wrong email or password: the same answer for both',
        request: { email: 'me@example.com', password: 'not the passphrase' },
        status: 401,
        response: { error: { code: 'UNAUTHENTICATED', message: 'The email or password is incorrect.' } },
      },
    },
  },
  signOut: {
    examples: { sign_out: { summary: 'The token stops working at once', status: 204 } },
  },
  me: {
    response: 'Me',
    examples: { me: { summary: 'The signed-in user', status: 200, response: { ...USER, memberships: [{ role: 'admin', account: ACCOUNT }] } } },
  },
  accountMembers: {
    response: 'MemberList',
    examples: { members: { summary: 'The members of an account', status: 200, response: { data: [ADMIN_MEMBER, COLLEAGUE_MEMBER] } } },
  },
  putAccountMember: {
    body: { name: 'PutAccountMemberInput', schema: memberInputSchema },
    response: 'Member',
    errors: [403, 409],
    examples: {
      add_member: { summary: 'Add an existing user as a member', request: { email: 'colleague@example.com', role: 'member' }, status: 200, response: COLLEAGUE_MEMBER },
      last_admin: {
        summary: 'The last admin cannot be demoted',
        request: { email: 'me@example.com', role: 'member' },
        status: 409,
        response: { error: { code: 'CONFLICT', message: 'An account needs at least one admin: promote another member before removing or demoting the last admin.' } },
      },
    },
  },
  removeAccountMember: {
    errors: [403, 409],
    examples: { remove_member: { summary: 'Remove a member', status: 204 } },
  },
  auditEvents: {
    response: 'AuditEventPage',
    paged: true,
    errors: [403],
    examples: {
      audit: {
        summary: 'A page of audit events, newest first',
        status: 200,
        response: {
          data: [
            {
              id: 'evt_GPQwVj4mLy9BU05gYXwT-',
              account_id: ACCOUNT_ID,
              actor_user_id: USER_ID,
              action: 'credential.created',
              target_id: CREDENTIAL_ID,
              request_id: '5d0c8f2e-8a4b-4f57-9d1e-3b2a6c7d8e9f',
              details: { provider_kind: 'imap', host: 'mail.example.com', port: 993, verified: false },
              created_at: CREATED_AT,
            },
          ],
          page_info: { next_cursor: null },
        },
      },
    },
  },
  createProviderCredential: {
    body: { name: 'CreateProviderCredentialInput', schema: createCredentialSchema },
    response: 'ProviderCredential',
    errors: [403, 422, 429],
    examples: {
      create: { summary: 'Create an IMAP credential', request: CREATE_BODY, status: 201, response: CREDENTIAL },
      invalid: {
        summary: 'Every problem is named at once',
        request: { ...CREATE_BODY, security_mode: 'starttls', color: 'blue' },
        status: 400,
        response: validationFailed([
          { field: 'color', message: 'is not a known field' },
          { field: 'security_mode', message: 'port 993 is IMAP over implicit TLS; use securityMode ssl_tls' },
        ]),
      },
      verify_failed: {
        summary: 'With verify: true nothing is stored unless the test passes',
        request: { ...CREATE_BODY, verify: true },
        status: 422,
        response: VERIFICATION_FAILED,
      },
    },
  },
  providerCredentials: {
    response: 'ProviderCredentialPage',
    paged: true,
    examples: { credentials: { summary: 'A page of credentials, newest first', status: 200, response: { data: [CREDENTIAL], page_info: { next_cursor: null } } } },
  },
  searchProviderCredentials: {
    body: { name: 'SearchProviderCredentialsInput', schema: searchRequestSchema },
    response: 'ProviderCredentialPage',
    examples: {
      search: {
        summary: 'IMAP credentials whose host contains "example"',
        request: { filter: { provider_kind: 'imap', host_contains: 'example' }, limit: 50, cursor: null },
        status: 200,
        response: { data: [CREDENTIAL], page_info: { next_cursor: null } },
      },
      unknown_filter_field: {
        summary: 'Unknown filter fields are refused',
        request: { filter: { hostname: 'mail.example.com' } },
        status: 400,
        response: validationFailed([{ field: 'filter.hostname', message: 'is not a known field' }]),
      },
    },
  },
  providerCredential: {
    response: 'ProviderCredential',
    examples: { credential: { summary: 'One credential', status: 200, response: CREDENTIAL } },
  },
  updateProviderCredential: {
    body: { name: 'UpdateProviderCredentialInput', schema: updateCredentialSchema },
    response: 'ProviderCredential',
    errors: [403, 409],
    examples: {
      update: {
        summary: 'Change the label',
        request: { label: 'Support inbox (EU)' },
        status: 200,
        response: { ...CREDENTIAL, label: 'Support inbox (EU)', updated_at: '2026-11-26T20:20:00.000Z' },
      },
      secret_refused: {
        summary: 'Secrets change only through rotate',
        request: { secret: 'new-app-password' },
        status: 400,
        response: validationFailed([{ field: 'secret', message: 'cannot be changed by an update; secrets change only through rotate' }]),
      },
    },
  },
  deleteProviderCredential: {
    errors: [403],
    examples: { delete: { summary: 'The secret is destroyed at once; audit events remain', status: 204 } },
  },
  testProviderCredential: {
    response: 'ConnectivityTestResult',
    errors: [429],
    examples: { test: { summary: 'A test that reached the server and was refused at login', status: 200, response: TEST_RESULT } },
  },
  rotateProviderCredential: {
    body: { name: 'RotateProviderCredentialInput', schema: rotateCredentialSchema },
    response: 'ProviderCredential',
    errors: [403, 409, 422, 429],
    examples: {
      rotate: {
        summary: 'Replace the secret',
        request: { secret: 'new-app-password' },
        status: 200,
        response: { ...CREDENTIAL, secret_version: 2, last_rotated_at: '2026-11-26T20:30:00.000Z', updated_at: '2026-11-26T20:30:00.000Z' },
      },
      verify_failed: {
        summary: 'With verify: true nothing changes unless the new secret passes a test',
        request: { secret: 'new-app-password', verify: true },
        status: 422,
        response: VERIFICATION_FAILED,
      },
    },
  },
  providerCredentialMailboxes: {
    response: 'MailboxList',
    errors: [400, 409, 410, 429, 502],
    examples: {
      mailboxes: { summary: 'The folder paths of the mailbox', status: 200, response: { data: ['INBOX', 'Sent', 'Drafts', 'Archive'] } },
      not_verified: { summary: 'Refused until a connectivity test has passed', status: 409, response: NOT_VERIFIED },
    },
  },
  sendTestMessage: {
    body: { name: 'SendTestMessageInput', schema: sendTestMessageRequestSchema },
    response: 'TestMessageResult',
    errors: [403, 409, 410, 429, 502],
    examples: {
      send: { summary: 'Send one test message', request: { to: 'me@example.com' }, status: 200, response: { sent: true } },
      not_verified: { summary: 'Refused until a connectivity test has passed', request: { to: 'me@example.com' }, status: 409, response: NOT_VERIFIED },
    },
  },
};
