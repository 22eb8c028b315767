// The one HTTP server: GraphQL at /graphql, REST under /api, probes at /healthz and /readyz.
import cors from '@fastify/cors';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { AppServices } from '../app-services.js';
import { registerErrorHandling } from './error-handler.js';
import { registerGraphiQL } from './graphiql.route.js';
import { registerGraphQL } from './graphql.route.js';
import { registerHealthRoutes } from './health.routes.js';
import { registerRestRoutes } from './rest/register.js';

/** Large enough for any valid request (a secret is at most 8 KiB), small enough to refuse floods. */
export const BODY_LIMIT_BYTES = 64 * 1024;

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

export async function buildHttpServer(services: AppServices): Promise<FastifyInstance> {
  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger; the cast keeps Fastify's default generic types.
    loggerInstance: services.logger as FastifyBaseLogger,
    // One line per request is written by the onResponse hook below instead.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
    requestIdHeader: false,
    // A caller's x-request-id is kept when it is sane, so logs can be joined across services.
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
    },
    return503OnClosing: true,
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  // During shutdown, a response to a request that was already in flight tells the client to
  // close its keep-alive connection; otherwise that connection would hold close() open.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
    app.server.closeIdleConnections();
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request',
    );
  });

  if (services.config.corsOrigins.length > 0) {
    // Bearer tokens only: browsers never send cookies or credentials to this API.
    await app.register(cors, { origin: services.config.corsOrigins, credentials: false, exposedHeaders: ['x-request-id', 'retry-after'] });
  }

  registerErrorHandling(app);
  registerHealthRoutes(app, services);
  registerGraphiQL(app, services);
  await registerGraphQL(app, services);
  registerRestRoutes(app, services);
  return app;
}
