// Probes for orchestrators: /healthz says the process answers; /readyz proves a real
// database round trip and answers 503 while the database is unreachable.
import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../app-services.js';

const READINESS_TIMEOUT_MS = 2_000;

export function registerHealthRoutes(app: FastifyInstance, services: AppServices): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (request, reply) => {
    try {
      await withTimeout(services.db.ping(), READINESS_TIMEOUT_MS);
      return { status: 'ok', database: services.db.provider };
    } catch (error) {
      request.log.warn({ reason: (error as Error).message }, 'readiness check failed');
      return reply.code(503).send({ error: { code: 'UNAVAILABLE', message: 'The database is unreachable.' } });
    }
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
