// Shapes every GraphQL error: AppErrors keep their code, message and details; GraphQL's own
// parse/validation errors keep their message without the input values it quotes; anything
// unexpected becomes a generic INTERNAL (logged, never shown with its message or stack).
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { AppError, toAppError } from '../errors.js';
import type { Logger } from '../logger.js';
import { describeVariableError, withoutValues } from './input-error-message.js';

/** Apollo's codes for a request that is malformed, kept as they are. */
const CALLER_ERROR_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED', 'QUERY_TOO_COMPLEX']);

export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const code = formatted.extensions?.code;
    if (original instanceof AppError) return withCode(formatted, original);
    if (code === 'BAD_USER_INPUT') {
      const described = original instanceof GraphQLError ? describeVariableError(original) : null;
      return {
        message: described?.message ?? withoutValues(formatted.message),
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: 'VALIDATION_FAILED', ...(described && { details: [described.problem] }) },
      };
    }
    if (typeof code === 'string' && CALLER_ERROR_CODES.has(code)) {
      return { message: withoutValues(formatted.message), locations: formatted.locations, path: formatted.path, extensions: { code } };
    }
    const appError = toAppError(original);
    logger.error({ err: original, path: formatted.path }, 'GraphQL resolver failed');
    return withCode(formatted, appError);
  };
}

function withCode(formatted: GraphQLFormattedError, appError: AppError): GraphQLFormattedError {
  return {
    message: appError.message,
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: appError.code, ...(appError.details === undefined ? {} : { details: appError.details }) },
  };
}
