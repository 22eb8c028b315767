// GraphQL transport for provider credentials: arguments in, one service call, payload out.
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { toConnection } from '../../graphql/connection.js';
import { callerOf, loadersOf, type GraphQLContext } from '../../graphql/context.js';
import { AppError } from '../../errors.js';
import { AccountType } from '../accounts/account.types.js';
import { ConnectivityTestResultType } from '../connectivity/connectivity.types.js';
import type { PublicCredential } from './credential.presenter.js';
import {
  CreateProviderCredentialInput,
  ProviderCredentialConnection,
  ProviderCredentialFilter,
  ProviderCredentialType,
  RotateProviderCredentialInput,
  UpdateProviderCredentialInput,
} from './credential.types.js';

const PAGE_FIELDS = { limit: 'first', cursor: 'after' };

/** GraphQL input objects are class instances; the service wants plain objects. */
const plain = (input: object | null | undefined): Record<string, unknown> | undefined =>
  input ? Object.fromEntries(Object.entries(input).map(([key, value]) => [key, value instanceof Date ? value.toISOString() : value])) : undefined;

@Resolver(() => ProviderCredentialType)
export class CredentialsResolver {
  @Query(() => ProviderCredentialType, { nullable: true, description: 'null when the credential does not exist or is not visible to the caller.' })
  async providerCredential(@Arg('id', () => ID) id: string, @Ctx() context: GraphQLContext): Promise<PublicCredential | null> {
    try {
      return await context.services.credentials.get(await callerOf(context), id);
    } catch (error) {
      if (error instanceof AppError && error.code === 'NOT_FOUND') return null;
      throw error;
    }
  }

  @Query(() => ProviderCredentialConnection)
  async providerCredentials(
    @Arg('accountId', () => ID) accountId: string,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() context: GraphQLContext,
  ): Promise<ProviderCredentialConnection> {
    return toConnection(await context.services.credentials.list(await callerOf(context), accountId, first, after, PAGE_FIELDS), (node) => node as ProviderCredentialType);
  }

  @Query(() => ProviderCredentialConnection)
  async searchProviderCredentials(
    @Arg('accountId', () => ID) accountId: string,
    @Arg('filter', () => ProviderCredentialFilter, { nullable: true }) filter: ProviderCredentialFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() context: GraphQLContext,
  ): Promise<ProviderCredentialConnection> {
    const page = await context.services.credentials.search(await callerOf(context), accountId, { filter: plain(filter), limit: first, cursor: after }, PAGE_FIELDS);
    return toConnection(page, (node) => node as ProviderCredentialType);
  }

  @Mutation(() => ProviderCredentialType)
  async createProviderCredential(
    @Arg('accountId', () => ID) accountId: string,
    @Arg('input', () => CreateProviderCredentialInput) input: CreateProviderCredentialInput,
    @Ctx() context: GraphQLContext,
  ): Promise<PublicCredential> {
    return context.services.credentials.create(await callerOf(context), accountId, plain(input));
  }

  @Mutation(() => ProviderCredentialType)
  async updateProviderCredential(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateProviderCredentialInput) input: UpdateProviderCredentialInput,
    @Ctx() context: GraphQLContext,
  ): Promise<PublicCredential> {
    return context.services.credentials.update(await callerOf(context), id, plain(input));
  }

  @Mutation(() => Boolean)
  async deleteProviderCredential(@Arg('id', () => ID) id: string, @Ctx() context: GraphQLContext): Promise<boolean> {
    await context.services.credentials.delete(await callerOf(context), id);
    return true;
  }

  @Mutation(() => ConnectivityTestResultType, { description: 'Connects and signs in with the stored details. A failed login is a successful call with ok: false.' })
  async testProviderCredential(@Arg('id', () => ID) id: string, @Ctx() context: GraphQLContext): Promise<ConnectivityTestResultType> {
    return context.services.credentials.test(await callerOf(context), id);
  }

  @Mutation(() => ProviderCredentialType, { description: 'Replaces the secret (and optionally the username); secretVersion + 1.' })
  async rotateProviderCredential(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => RotateProviderCredentialInput) input: RotateProviderCredentialInput,
    @Ctx() context: GraphQLContext,
  ): Promise<PublicCredential> {
    return context.services.credentials.rotate(await callerOf(context), id, plain(input));
  }

  @FieldResolver(() => AccountType)
  async account(@Root() credential: PublicCredential, @Ctx() context: GraphQLContext): Promise<AccountType> {
    const account = await loadersOf(context).accountById.load(credential.accountId);
    if (!account) throw new AppError('NOT_FOUND', 'The account was not found.');
    return account;
  }
}

@Resolver(() => AccountType)
export class AccountCredentialsResolver {
  @FieldResolver(() => ProviderCredentialConnection, { description: 'Newest first; batched per request.' })
  async providerCredentials(
    @Root() account: AccountType,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() context: GraphQLContext,
  ): Promise<ProviderCredentialConnection> {
    const caller = await callerOf(context);
    if (after) return toConnection(await context.services.credentials.list(caller, account.id, first, after, PAGE_FIELDS), (node) => node as ProviderCredentialType);
    // First pages are batched across accounts: the service still checks the policy.
    const { limit } = context.services.credentials.authorizeFirstPage(caller, account.id, first, PAGE_FIELDS);
    return toConnection(await loadersOf(context).firstCredentialPage.load({ accountId: account.id, limit }), (node) => node as ProviderCredentialType);
  }
}
