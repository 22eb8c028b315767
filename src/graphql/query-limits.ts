// Limits on the shape and cost of a GraphQL operation, so one request cannot ask for unbounded
// work: depth and aliases are checked while the document is validated; cost (fields times the
// page sizes they ask for) once the operation and its variables are known.
import type { ApolloServerPlugin } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { GraphQLError, type GraphQLSchema, type ValidationContext } from 'graphql';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import { DEFAULT_PAGE_SIZE } from '../shared/pagination.js';

export const MAX_DEPTH = 10;
export const MAX_ALIASES = 15;
export const MAX_COST = 10_000;

// The rules would throw (a 500 from Apollo); reporting the error instead makes it an ordinary
// validation failure: 400, GRAPHQL_VALIDATION_FAILED.
const reportRejection = {
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, '')))],
};

export const queryShapeRules = [
  maxDepthRule({ n: MAX_DEPTH, ignoreIntrospection: true, flattenFragments: true, ...reportRejection }),
  maxAliasesRule({ n: MAX_ALIASES, ...reportRejection }),
];

/** A paged field costs its page size times the cost of one item. */
const pageSizeEstimator: ComplexityEstimator = ({ args, childComplexity }) =>
  'first' in args || 'limit' in args ? Math.max(1, Number(args.first ?? args.limit ?? DEFAULT_PAGE_SIZE)) * Math.max(1, childComplexity) : undefined;

export function costLimitPlugin(schema: GraphQLSchema): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operation }) {
          // GraphiQL's schema query is large and harmless; introspection is switched off in production.
          if (operation?.selectionSet.selections.every((s) => s.kind === 'Field' && s.name.value.startsWith('__'))) return;
          let cost: number;
          try {
            cost = getComplexity({ schema, query: document, variables: request.variables, operationName: request.operationName, estimators: [pageSizeEstimator, simpleEstimator({ defaultComplexity: 1 })] });
          } catch {
            // Variables that do not fit their types: Apollo's own coercion answers that next,
            // as VALIDATION_FAILED. (getComplexity's error would quote the values.)
            return;
          }
          if (cost > MAX_COST) {
            throw new GraphQLError(`The operation costs ${cost}, above the limit of ${MAX_COST}: ask for fewer fields or smaller pages.`, {
              extensions: { code: 'QUERY_TOO_COMPLEX', http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}
