// Reads the first GraphQL error of a failed graphql-request call.
import { ClientError } from 'graphql-request';

export interface GraphQLFailure {
  code: string | undefined;
  message: string;
  details: unknown;
  status: number;
}

export async function graphqlFailure(call: Promise<unknown>): Promise<GraphQLFailure> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ClientError) {
      const first = error.response.errors?.[0];
      return { code: first?.extensions?.code as string | undefined, message: first?.message ?? '', details: first?.extensions?.details, status: error.response.status };
    }
    throw error;
  }
  throw new Error('expected the GraphQL call to fail');
}
