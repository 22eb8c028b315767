// The REST route table: one row per route, each calling the same service method GraphQL
// uses. Adding a route is adding a row. Rows see camelCase input (the adapter converts the
// snake_case body) and return camelCase output (converted back on the way out).
import type { AppServices } from '../../app-services.js';
import type { CallerInfo } from '../../modules/auth/auth.service.js';
import type { Action, Viewer } from '../../modules/auth/policy.js';
import { toPageRequest } from '../../shared/pagination.js';

export interface RestCall {
  services: AppServices;
  caller: CallerInfo;
  /** Present on every route not marked public. */
  viewer: Viewer;
  params: Record<string, string>;
  query: Record<string, unknown>;
  /** The JSON body with its keys converted to camelCase. */
  body: unknown;
}

export interface RestRoute {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  /** The GraphQL field that does the same, for the docs and the parity tests. */
  graphql: string;
  status: number;
  public?: boolean;
  /**
   * The policy action the service checks (src/modules/auth/policy.ts); absent on routes any
   * signed-in user may call. The authorization matrix test derives each caller's outcome from it.
   */
  action?: Action;
  summary: string;
  handle(call: RestCall): Promise<unknown>;
}

const pageOf = (query: Record<string, unknown>) => toPageRequest(numberOrRaw(query.limit), query.cursor);

/** Query strings are text: a numeric limit is converted, anything else is left for validation to name. */
const numberOrRaw = (value: unknown): unknown => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);

const listBody = <T>(page: { items: T[]; nextCursor: string | null }) => ({ data: page.items, pageInfo: { nextCursor: page.nextCursor } });

const credentialCaller = ({ viewer, caller }: RestCall) => ({ viewer, requestId: caller.requestId });

export const REST_ROUTES: RestRoute[] = [
  {
    method: 'POST', path: '/api/auth/sign-up', graphql: 'signUp', status: 201, public: true,
    summary: 'Create a user, a new account they administer, and a session token.',
    handle: ({ services, body, caller }) => services.auth.signUp(body, caller),
  },
  {
    method: 'POST', path: '/api/auth/sign-in', graphql: 'signIn', status: 200, public: true,
    summary: 'Exchange email and password for a bearer token.',
    handle: ({ services, body, caller }) => services.auth.signIn(body, caller),
  },
  {
    method: 'POST', path: '/api/auth/sign-out', graphql: 'signOut', status: 204,
    summary: 'Revoke the bearer token of this request.',
    handle: ({ services, viewer }) => services.auth.signOut(viewer),
  },
  {
    method: 'GET', path: '/api/me', graphql: 'me', status: 200,
    summary: 'The signed-in user and their memberships.',
    handle: async ({ services, viewer }) => ({ ...(await services.users.get(viewer.userId)), memberships: await services.users.memberships(viewer.userId) }),
  },
  {
    method: 'GET', path: '/api/accounts/:account_id/members', graphql: 'accountMembers', status: 200, action: 'member.read',
    summary: 'List the members of an account.',
    handle: async ({ services, viewer, params }) => ({ data: await services.members.list(viewer, params.account_id!) }),
  },
  {
    method: 'POST', path: '/api/accounts/:account_id/members', graphql: 'putAccountMember', status: 200, action: 'member.manage',
    summary: 'Add an existing user to the account with a role, or change their role (admin).',
    handle: ({ services, viewer, params, body, caller }) => services.members.put(viewer, params.account_id!, body, caller.requestId),
  },
  {
    method: 'DELETE', path: '/api/accounts/:account_id/members/:user_id', graphql: 'removeAccountMember', status: 204, action: 'member.manage',
    summary: 'Remove a member (admin). The last admin cannot be removed.',
    handle: ({ services, viewer, params, caller }) => services.members.remove(viewer, params.account_id!, params.user_id!, caller.requestId),
  },
  {
    method: 'GET', path: '/api/accounts/:account_id/audit-events', graphql: 'auditEvents', status: 200, action: 'audit.read',
    summary: 'The audit log of an account, newest first (admin).',
    handle: async ({ services, viewer, params, query }) => listBody(await services.audit.list(viewer, params.account_id!, pageOf(query))),
  },
  {
    method: 'POST', path: '/api/accounts/:account_id/provider-credentials', graphql: 'createProviderCredential', status: 201, action: 'credential.create',
    summary: 'Create a provider credential (admin). With verify: true it is tested first and stored only if the test passes.',
    handle: (call) => call.services.credentials.create(credentialCaller(call), call.params.account_id!, call.body),
  },
  {
    method: 'GET', path: '/api/accounts/:account_id/provider-credentials', graphql: 'providerCredentials', status: 200, action: 'credential.read',
    summary: 'List the credentials of an account, newest first.',
    handle: async (call) => listBody(await call.services.credentials.list(credentialCaller(call), call.params.account_id!, numberOrRaw(call.query.limit), call.query.cursor)),
  },
  {
    method: 'POST', path: '/api/accounts/:account_id/provider-credentials/search', graphql: 'searchProviderCredentials', status: 200, action: 'credential.read',
    summary: 'Search the credentials of an account: { filter, limit, cursor }.',
    handle: async (call) => listBody(await call.services.credentials.search(credentialCaller(call), call.params.account_id!, call.body)),
  },
  {
    method: 'GET', path: '/api/provider-credentials/:id', graphql: 'providerCredential', status: 200, action: 'credential.read',
    summary: 'Get one credential.',
    handle: (call) => call.services.credentials.get(credentialCaller(call), call.params.id!),
  },
  {
    method: 'PATCH', path: '/api/provider-credentials/:id', graphql: 'updateProviderCredential', status: 200, action: 'credential.update',
    summary: 'Change non-secret fields (admin). A secret field is refused: use rotate.',
    handle: (call) => call.services.credentials.update(credentialCaller(call), call.params.id!, call.body),
  },
  {
    method: 'DELETE', path: '/api/provider-credentials/:id', graphql: 'deleteProviderCredential', status: 204, action: 'credential.delete',
    summary: 'Delete a credential (admin): its secret is destroyed at once; its audit events remain.',
    handle: (call) => call.services.credentials.delete(credentialCaller(call), call.params.id!),
  },
  {
    method: 'POST', path: '/api/provider-credentials/:id/test', graphql: 'testProviderCredential', status: 200, action: 'credential.test',
    summary: 'Connect and sign in with the stored details; a failed login is 200 with ok: false.',
    handle: (call) => call.services.credentials.test(credentialCaller(call), call.params.id!),
  },
  {
    method: 'POST', path: '/api/provider-credentials/:id/rotate', graphql: 'rotateProviderCredential', status: 200, action: 'credential.rotate',
    summary: 'Replace the secret (admin): secret_version + 1; with verify: true the new secret is tested first.',
    handle: (call) => call.services.credentials.rotate(credentialCaller(call), call.params.id!, call.body),
  },
  {
    method: 'GET', path: '/api/provider-credentials/:id/mailboxes', graphql: 'providerCredentialMailboxes', status: 200, action: 'credential.use',
    summary: 'List the IMAP folder paths with the stored credential: { data: [paths] }. Refused unless the last test passed.',
    handle: async (call) => ({ data: await call.services.mailAccess.listMailboxes(credentialCaller(call), call.params.id!) }),
  },
  {
    method: 'POST', path: '/api/provider-credentials/:id/send-test-message', graphql: 'sendTestMessage', status: 200, action: 'credential.send_test_message',
    summary: 'Send one test message { to } through an SMTP credential (admin): the only route that sends mail.',
    handle: async (call) => ({ sent: await call.services.mailAccess.sendTestMessage(credentialCaller(call), call.params.id!, call.body) }),
  },
];
