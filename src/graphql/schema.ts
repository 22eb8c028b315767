// The executable GraphQL schema, built from the type-graphql classes of every module.
// `npm run schema:emit` prints it to schema.graphql; a test fails when that file drifts.
import 'reflect-metadata';
import { buildSchema, type NonEmptyArray } from 'type-graphql';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { MembersResolver } from '../modules/accounts/members.resolver.js';
import { AuditResolver } from '../modules/audit/audit.resolver.js';
import { AuthResolver } from '../modules/auth/auth.resolver.js';
import { AccountCredentialsResolver, CredentialsResolver } from '../modules/credentials/credentials.resolver.js';
import { HealthResolver } from '../modules/health/health.resolver.js';
import { MailAccessResolver } from '../modules/mail-access/mail-access.resolver.js';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
const resolvers: NonEmptyArray<Function> = [HealthResolver, AuthResolver, MembersResolver, AuditResolver, CredentialsResolver, AccountCredentialsResolver, MailAccessResolver];

let built: Promise<GraphQLSchema> | undefined;

/** Built once per process: type-graphql's metadata is global and building costs ~100 ms. */
export function getSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({ resolvers, validate: false });
  return built;
}

export async function printSchemaSdl(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await getSchema()))}\n`;
}
