// The OpenAPI 3.1 document of the REST adapter, generated from the route table: every row
// becomes one operation (method, path, summary, status, security from the row; body schema,
// response schema, extra error statuses and examples from its entry in openapi-routes.ts).
// Served at GET /api/openapi.json.
import { STATUS_CODES } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../shared/pagination.js';
import { ROUTE_DOCS, type ExampleExchange, type RouteDoc } from './openapi-routes.js';
import { componentRef, componentSchemas, errorSchemaName, requestBodySchema, type JsonSchema } from './openapi-schemas.js';
import { REST_ROUTES, type RestRoute } from './route-table.js';

export const OPENAPI_PATH = '/api/openapi.json';
const JSON_TYPE = 'application/json';

/** `/api/provider-credentials/:id` → `/api/provider-credentials/{id}` */
export const toOpenApiPath = (path: string): string => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
export const pathParameterNames = (path: string): string[] => [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => match[1]!);

const PATH_PARAMETERS: Record<string, { description: string; example: string }> = {
  account_id: { description: 'The account (`acc_…`). Not a member of it: 404.', example: 'acc_eo9CDhJcE-v9gp4lZiop_' },
  id: { description: 'The provider credential (`pc_…`). Absent, deleted or in an account you are not a member of: 404.', example: 'pc_MPzVbjwCq_Bdx5kkWxaWB' },
  user_id: { description: 'The user (`usr_…`).', example: 'usr_YgWNRnVp7z4knnF9Yn_9t' },
};

const PAGE_PARAMETERS = [
  {
    name: 'limit',
    in: 'query',
    required: false,
    description: `Page size, 1–${MAX_PAGE_SIZE}.`,
    schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE },
    example: DEFAULT_PAGE_SIZE,
  },
  {
    name: 'cursor',
    in: 'query',
    required: false,
    description: 'The `page_info.next_cursor` of the previous page (opaque); absent for the first page.',
    schema: { type: 'string' },
  },
];

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'VALIDATION_FAILED: a body field, query parameter or the body itself broke a rule; `details` names each field (snake_case) and the rule.',
  401: 'UNAUTHENTICATED: the bearer token is missing, malformed, unknown, expired or revoked (or, at sign-in, the email or password is wrong).',
  403: 'FORBIDDEN: a member without the role this operation needs (or sign-up is disabled on this server).',
  404: 'NOT_FOUND: the object does not exist, or it belongs to an account you are not a member of.',
  409: 'CONFLICT: a concurrent change (safe to retry) or a rule about the current state; CREDENTIAL_NOT_VERIFIED / SECRET_UNREADABLE: the credential cannot be used yet.',
  410: 'CREDENTIAL_DELETED: the credential was deleted and its secret destroyed.',
  413: 'PAYLOAD_TOO_LARGE: the request body exceeds 64 KiB.',
  415: 'UNSUPPORTED_MEDIA_TYPE: send the body as application/json.',
  422: 'VERIFICATION_FAILED: with `verify: true` the connectivity test failed and nothing changed; `details` is the test result.',
  429: 'RATE_LIMITED: too many requests; retry after the number of seconds in `Retry-After`.',
  500: 'INTERNAL: an unexpected failure (logged); never a stack trace.',
  502: 'MAIL_SERVER_ERROR: the mail server refused or failed the session; `details` says how (code, message, hint, stage).',
  503: 'UNAVAILABLE: the database (or the rate-limit store) is unreachable; try again shortly.',
};

/** A generic example for each error status, used where a route documents no exchange of its own. */
const ERROR_EXAMPLES: Record<number, { name: string; value: unknown }> = {
  400: {
    name: 'validation_failed',
    value: { error: { code: 'VALIDATION_FAILED', message: 'Invalid input: port: must be a whole number from 1 to 65535', details: [{ field: 'port', message: 'must be a whole number from 1 to 65535' }] } },
  },
  401: { name: 'unauthenticated', value: { error: { code: 'UNAUTHENTICATED', message: 'Sign in first and send the token as "Authorization: Bearer <token>".' } } },
  403: { name: 'forbidden', value: { error: { code: 'FORBIDDEN', message: 'This operation needs the admin role in the account; you are member.' } } },
  404: { name: 'not_found', value: { error: { code: 'NOT_FOUND', message: 'The provider credential was not found.' } } },
  409: { name: 'conflict', value: { error: { code: 'CONFLICT', message: 'The credential was changed by another request at the same time; read it again and retry.' } } },
  410: { name: 'credential_deleted', value: { error: { code: 'CREDENTIAL_DELETED', message: 'The provider credential was deleted; its secret is destroyed and it can no longer be used.' } } },
  413: { name: 'payload_too_large', value: { error: { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large.' } } },
  415: { name: 'unsupported_media_type', value: { error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the request body as application/json.' } } },
  422: {
    name: 'verification_failed',
    value: {
      error: {
        code: 'VERIFICATION_FAILED',
        message: 'The connectivity test failed: The connection was refused.',
        details: { ok: false, provider_kind: 'imap', stage: 'connect', error: { code: 'CONNECTION_REFUSED', message: 'The connection was refused.' }, latency_ms: 3, tested_at: '2026-11-26T20:05:00.000Z', server: null },
      },
    },
  },
  429: { name: 'rate_limited', value: { error: { code: 'RATE_LIMITED', message: 'Too many attempts; wait before trying again.' } } },
  500: { name: 'internal', value: { error: { code: 'INTERNAL', message: 'An unexpected error occurred. It has been logged.' } } },
  502: {
    name: 'mail_server_error',
    value: {
      error: {
        code: 'MAIL_SERVER_ERROR',
        message: 'The mail server could not be used: The server rejected the username or password.',
        details: { code: 'AUTH_FAILED', message: 'The server rejected the username or password.', stage: 'auth' },
      },
    },
  },
  503: { name: 'unavailable', value: { error: { code: 'UNAVAILABLE', message: 'The database is unreachable; try again shortly.' } } },
};

/** The error statuses every route of its kind can answer, whatever it does. */
export function impliedErrorStatuses(route: RestRoute, doc: RouteDoc): number[] {
  const statuses = [500, 503];
  if (!route.public) statuses.push(401);
  if (pathParameterNames(route.path).length > 0) statuses.push(404);
  if (route.method === 'POST' || route.method === 'PATCH') statuses.push(400, 413, 415);
  if (doc.paged) statuses.push(400);
  return statuses;
}

export function errorStatusesOf(route: RestRoute, doc: RouteDoc): number[] {
  return [...new Set([...impliedErrorStatuses(route, doc), ...(doc.errors ?? [])])].sort((a, b) => a - b);
}

const routeName = (route: RestRoute) => `${route.method} ${route.path}`;

/** The entry of a row in openapi-routes.ts, checked against the row. */
export function routeDocOf(route: RestRoute): RouteDoc {
  const doc = ROUTE_DOCS[route.graphql];
  if (!doc) throw new Error(`${routeName(route)} (${route.graphql}) has no entry in src/http/rest/openapi-routes.ts`);
  const success = Object.values(doc.examples).find((example) => example.status === route.status);
  if (!success) throw new Error(`${routeName(route)}: no example answers its status ${route.status}`);
  if (doc.body && success.request === undefined) throw new Error(`${routeName(route)}: the ${route.status} example sends no body`);
  if (route.status === 204 ? doc.response !== undefined : doc.response === undefined) {
    throw new Error(`${routeName(route)}: a ${route.status} route ${route.status === 204 ? 'has no' : 'needs a'} response schema`);
  }
  const statuses = new Set([route.status, ...errorStatusesOf(route, doc)]);
  for (const [name, example] of Object.entries(doc.examples)) {
    if (!statuses.has(example.status)) throw new Error(`${routeName(route)}: example ${name} answers ${example.status}, which the route does not document`);
    if (example.request !== undefined && !doc.body) throw new Error(`${routeName(route)}: example ${name} sends a body, but the route takes none`);
    if ((example.status === 204) !== (example.response === undefined)) throw new Error(`${routeName(route)}: example ${name} must have a response body unless it is 204`);
  }
  return doc;
}

const tagOf = (path: string): string =>
  path.includes('/provider-credentials') ? 'Provider credentials'
    : path.includes('/audit-events') ? 'Audit'
      : path.includes('/auth/') ? 'Authentication'
        : 'Users and members';

/** Request and response examples of one exchange share its name; a request example says what it answers. */
const examplesOf = (exchanges: [string, ExampleExchange][], pick: (exchange: ExampleExchange) => unknown, saysStatus = false) =>
  Object.fromEntries(
    exchanges.map(([name, exchange]) => [name, { summary: exchange.summary, ...(saysStatus && { description: `Answers ${exchange.status}.` }), value: pick(exchange) }]),
  );

function operationOf(route: RestRoute): Record<string, unknown> {
  const doc = routeDocOf(route);
  const exchanges = Object.entries(doc.examples);
  const parameters: unknown[] = pathParameterNames(route.path).map((name) => {
    const parameter = PATH_PARAMETERS[name];
    if (!parameter) throw new Error(`${routeName(route)}: describe the path parameter ${name} in PATH_PARAMETERS (openapi.ts)`);
    return { name, in: 'path', required: true, description: parameter.description, schema: { type: 'string' }, example: parameter.example };
  });
  if (doc.paged) parameters.push(...PAGE_PARAMETERS);

  const responses: Record<string, unknown> = {};
  const successExamples = exchanges.filter(([, exchange]) => exchange.status === route.status);
  responses[String(route.status)] = route.status === 204
    ? { description: STATUS_CODES[204] }
    : { description: STATUS_CODES[route.status], content: { [JSON_TYPE]: { schema: componentRef(doc.response!), examples: examplesOf(successExamples, (exchange) => exchange.response) } } };
  for (const status of errorStatusesOf(route, doc)) {
    const own = exchanges.filter(([, exchange]) => exchange.status === status);
    const generic = ERROR_EXAMPLES[status];
    if (!generic && own.length === 0) throw new Error(`${routeName(route)}: no example for HTTP ${status}`);
    responses[String(status)] = {
      description: ERROR_DESCRIPTIONS[status] ?? STATUS_CODES[status],
      ...(status === 429 && { headers: { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer', minimum: 1 } } } }),
      content: {
        [JSON_TYPE]: {
          schema: componentRef(errorSchemaName(status)),
          examples: own.length > 0 ? examplesOf(own, (exchange) => exchange.response) : { [generic!.name]: { value: generic!.value } },
        },
      },
    };
  }

  const requestExamples = exchanges.filter(([, exchange]) => exchange.request !== undefined);
  return {
    operationId: route.graphql,
    summary: route.summary,
    description: `GraphQL: \`${route.graphql}\`.`,
    tags: [tagOf(route.path)],
    ...(route.public && { security: [] }),
    ...(parameters.length > 0 && { parameters }),
    ...(doc.body && {
      requestBody: {
        required: true,
        content: { [JSON_TYPE]: { schema: componentRef(doc.body.name), examples: examplesOf(requestExamples, (exchange) => exchange.request, true) } },
      },
    }),
    responses,
  };
}

/** Builds the whole document from the route table. Throws, naming the row, when a row's entry is missing or inconsistent. */
export function buildOpenApiDocument(routes: readonly RestRoute[] = REST_ROUTES): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const requestSchemas: Record<string, JsonSchema> = {};
  const errorStatuses = new Set<number>();
  for (const route of routes) {
    const doc = routeDocOf(route);
    const path = toOpenApiPath(route.path);
    const method = route.method.toLowerCase();
    paths[path] ??= {};
    if (paths[path][method]) throw new Error(`${routeName(route)} appears twice in the route table`);
    paths[path][method] = operationOf(route);
    if (doc.body) requestSchemas[doc.body.name] = requestBodySchema(doc.body.schema);
    for (const status of errorStatusesOf(route, doc)) errorStatuses.add(status);
  }
  paths[OPENAPI_PATH] = {
    get: {
      operationId: 'openApiDocument',
      summary: 'This OpenAPI document.',
      tags: ['Documentation'],
      security: [],
      responses: { 200: { description: STATUS_CODES[200], content: { [JSON_TYPE]: { schema: { type: 'object' } } } } },
    },
  };

  return {
    openapi: '3.1.0',
    info: {
      title: 'Provider credentials API (REST)',
      version: '1',
      description:
        'The REST adapter of the provider credentials API (GraphQL at /graphql is the primary interface; every operation here calls the same service). ' +
        'Keys are snake_case. Send `Authorization: Bearer <token>` (from sign-up or sign-in) on every route except sign-up and sign-in. ' +
        'Errors are `{ "error": { "code", "message", "details" } }`.',
    },
    tags: [
      { name: 'Authentication' },
      { name: 'Users and members' },
      { name: 'Provider credentials' },
      { name: 'Audit' },
      { name: 'Documentation' },
    ],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A session token (`pct_…`) from sign-up or sign-in.' } },
      schemas: { ...requestSchemas, ...componentSchemas([...errorStatuses].sort((a, b) => a - b)) },
    },
  };
}

/** GET /api/openapi.json: public, built once on first request. */
export function registerOpenApiRoute(app: FastifyInstance): void {
  let document: Record<string, unknown> | undefined;
  app.get(OPENAPI_PATH, async (_request, reply) => {
    document ??= buildOpenApiDocument();
    return reply.type(`${JSON_TYPE}; charset=utf-8`).send(document);
  });
}
