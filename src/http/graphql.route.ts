// Apollo Server at /graphql on the shared Fastify instance.
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { fastifyApolloHandler } from '@as-integrations/fastify';
import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../app-services.js';
import type { GraphQLContext } from '../graphql/context.js';
import { createErrorFormatter } from '../graphql/format-error.js';
import { costLimitPlugin, queryShapeRules } from '../graphql/query-limits.js';
import { getSchema } from '../graphql/schema.js';

export async function registerGraphQL(app: FastifyInstance, services: AppServices): Promise<ApolloServer<GraphQLContext>> {
  const schema = await getSchema();
  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    validationRules: queryShapeRules,
    introspection: services.config.graphqlIntrospection,
    includeStacktraceInErrorResponses: false,
    // main.ts owns SIGTERM/SIGINT; Apollo's own handler would re-raise the signal and kill the
    // process before in-flight requests finish.
    stopOnTerminationSignals: false,
    formatError: createErrorFormatter(services.logger),
    // Apollo's landing page loads from a CDN; the project serves its own GraphiQL instead.
    // No drain plugin: Fastify's close() already lets in-flight requests finish, and the
    // plugin's own fastify.close() would wait on this onClose hook (a deadlock).
    plugins: [ApolloServerPluginLandingPageDisabled(), costLimitPlugin(schema)],
  });
  await apollo.start();

  app.route({
    url: '/graphql',
    method: ['GET', 'POST', 'OPTIONS'],
    handler: fastifyApolloHandler(apollo, {
      context: async (request) => ({
        requestId: request.id,
        services,
        ip: request.ip,
        authorization: request.headers.authorization,
      }),
    }),
  });
  app.addHook('onClose', async () => {
    await apollo.stop();
  });
  return apollo;
}
