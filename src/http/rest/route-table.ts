// The REST route table: one row per route, each calling the same service method GraphQL
// uses. Adding a route is adding a row. Rows see camelCase input (the adapter converts the
// snake_case body) and return camelCase output (converted back on the way out).
import type { AppServices } from '../../app-services.js';
import type { CallerInfo } from '../../modules/auth/auth.service.js';
import type { Viewer } from '../../modules/auth/policy.js';
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
  summary: string;
  handle(call: RestCall): Promise<unknown>;
}

const pageOf = (query: Record<string, unknown>) => toPageRequest(numberOrRaw(query.limit), query.cursor);

/** Query strings are text: a numeric limit is converted, anything else is left for validation to name. */
const numberOrRaw = (value: unknown): unknown => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);

const listBody = <T>(page: { items: T[]; nextCursor: string | null }) => ({ data: page.items, pageInfo: { nextCursor: page.nextCursor } });

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
    method: 'GET', path: '/api/accounts/:account_id/members', graphql: 'accountMembers', status: 200,
    summary: 'List the members of an account.',
    handle: async ({ services, viewer, params }) => ({ data: await services.members.list(viewer, params.account_id!) }),
  },
  {
    method: 'POST', path: '/api/accounts/:account_id/members', graphql: 'putAccountMember', status: 200,
    summary: 'Add an existing user to the account with a role, or change their role (admin).',
    handle: ({ services, viewer, params, body, caller }) => services.members.put(viewer, params.account_id!, body, caller.requestId),
  },
  {
    method: 'DELETE', path: '/api/accounts/:account_id/members/:user_id', graphql: 'removeAccountMember', status: 204,
    summary: 'Remove a member (admin). The last admin cannot be removed.',
    handle: ({ services, viewer, params, caller }) => services.members.remove(viewer, params.account_id!, params.user_id!, caller.requestId),
  },
  {
    method: 'GET', path: '/api/accounts/:account_id/audit-events', graphql: 'auditEvents', status: 200,
    summary: 'The audit log of an account, newest first (admin).',
    handle: async ({ services, viewer, params, query }) => listBody(await services.audit.list(viewer, params.account_id!, pageOf(query))),
  },
];
