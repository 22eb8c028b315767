// Turns every error that reaches Fastify into the API's error shape: REST gets
// { error: { code, message, details } }, /graphql gets { errors: [...] }. Never a stack trace,
// never a 500 for a malformed request.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, toAppError } from '../errors.js';

/** Fastify's own request errors, translated into the API's codes and plain messages. */
const FASTIFY_REQUEST_ERRORS: Record<string, () => AppError> = {
  FST_ERR_CTP_BODY_TOO_LARGE: () => new AppError('PAYLOAD_TOO_LARGE', 'The request body is too large.'),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the request body as application/json.'),
  FST_ERR_CTP_INVALID_JSON_BODY: () => new AppError('VALIDATION_FAILED', 'The request body is not valid JSON.', [{ field: 'body', message: 'is not valid JSON' }]),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => new AppError('VALIDATION_FAILED', 'The request body is empty; send a JSON object.', [{ field: 'body', message: 'is empty' }]),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => new AppError('VALIDATION_FAILED', 'The Content-Length header does not match the body.'),
};

export function toResponseError(error: unknown): AppError {
  const fastifyCode = (error as FastifyError | undefined)?.code;
  const translate = fastifyCode ? FASTIFY_REQUEST_ERRORS[fastifyCode] : undefined;
  if (translate) return translate();
  if (error instanceof SyntaxError && (error as FastifyError).statusCode === 400) return FASTIFY_REQUEST_ERRORS.FST_ERR_CTP_INVALID_JSON_BODY();
  return toAppError(error);
}

export function sendError(request: FastifyRequest, reply: FastifyReply, appError: AppError): FastifyReply {
  if (appError.retryAfterSeconds !== undefined) reply.header('retry-after', String(appError.retryAfterSeconds));
  const body = request.url.startsWith('/graphql')
    ? { errors: [{ message: appError.message, extensions: { code: appError.code, ...(appError.details === undefined ? {} : { details: appError.details }) } }] }
    : { error: { code: appError.code, message: appError.message, ...(appError.details === undefined ? {} : { details: appError.details }) } };
  return reply.code(appError.httpStatus).type('application/json; charset=utf-8').send(body);
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const appError = toResponseError(error);
    if (appError.code === 'INTERNAL' || appError.code === 'UNAVAILABLE') {
      request.log.error({ err: error }, 'request failed');
    }
    return sendError(request, reply, appError);
  });

  app.setNotFoundHandler((request, reply) =>
    sendError(request, reply, new AppError('NOT_FOUND', `No route for ${request.method} ${request.url.split('?')[0]}.`)),
  );
}
