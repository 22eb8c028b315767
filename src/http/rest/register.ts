// Registers the REST adapter: every row of the route table becomes one Fastify route that
// authenticates, converts cases, calls the row's service method and sends its status.
import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../../app-services.js';
import { AppError, validationFailed, type FieldProblem } from '../../errors.js';
import type { Viewer } from '../../modules/auth/policy.js';
import { camelToSnake, convertKeys, snakeToCamel } from './case-conversion.js';
import { registerOpenApiRoute } from './openapi.js';
import { REST_ROUTES } from './route-table.js';

export function registerRestRoutes(app: FastifyInstance, services: AppServices): void {
  // GET /api/openapi.json: the document of the routes below, generated from the same table.
  registerOpenApiRoute(app);
  for (const route of REST_ROUTES) {
    app.route({
      method: route.method,
      url: route.path,
      handler: async (request, reply) => {
        const caller = { requestId: request.id, ip: request.ip };
        try {
          const viewer = route.public ? (undefined as unknown as Viewer) : await services.auth.authenticate(request.headers.authorization);
          if (request.body !== undefined && (request.body === null || typeof request.body !== 'object' || Array.isArray(request.body))) {
            throw new AppError('VALIDATION_FAILED', 'The request body must be a JSON object.', [{ field: 'body', message: 'must be a JSON object' }]);
          }
          const result = await route.handle({
            services,
            caller,
            viewer,
            params: request.params as Record<string, string>,
            query: request.query as Record<string, unknown>,
            body: convertKeys(request.body ?? {}, snakeToCamel),
          });
          if (route.status === 204) return reply.code(204).send();
          return reply.code(route.status).send(convertKeys(JSON.parse(JSON.stringify(result)), camelToSnake));
        } catch (error) {
          throw toRestError(error);
        }
      },
    });
  }
}

/** Error details speak REST's snake_case: field names in validation problems, keys elsewhere. */
function toRestError(error: unknown): unknown {
  if (!(error instanceof AppError) || error.details === undefined) return error;
  if (error.code === 'VALIDATION_FAILED' && Array.isArray(error.details)) {
    return validationFailed(
      (error.details as FieldProblem[]).map((problem) => ({ field: problem.field.split('.').map(camelToSnake).join('.'), message: snakeCaseFieldNames(problem.message) })),
    );
  }
  return new AppError(error.code, error.message, convertKeys(error.details, camelToSnake), error.retryAfterSeconds);
}

/** Field names quoted inside a message ("use securityMode ssl_tls") as REST callers write them. */
const snakeCaseFieldNames = (message: string): string => message.replace(/\b[a-z]+(?:[A-Z][a-z0-9]*)+\b/g, camelToSnake);
