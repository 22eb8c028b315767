// What every resolver receives. Built once per GraphQL request by the HTTP layer.
import type { AppServices } from '../app-services.js';
import type { Viewer } from '../modules/auth/policy.js';
import { createCredentialLoaders, type CredentialLoaders } from '../modules/credentials/credential.loaders.js';

export interface GraphQLContext {
  requestId: string;
  ip: string;
  services: AppServices;
  /** The raw Authorization header; `requireViewer` turns it into a viewer once per request. */
  authorization: string | undefined;
  viewer?: Promise<Viewer>;
  loaders?: CredentialLoaders;
}

/** The signed-in caller, or UNAUTHENTICATED. Resolved at most once per request. */
export function requireViewer(context: GraphQLContext): Promise<Viewer> {
  context.viewer ??= context.services.auth.authenticate(context.authorization);
  return context.viewer;
}

/** The request's DataLoaders, created on first use so requests that need none pay nothing. */
export function loadersOf(context: GraphQLContext): CredentialLoaders {
  context.loaders ??= createCredentialLoaders(context.services.db);
  return context.loaders;
}

/** What a service needs to know about the caller. */
export async function callerOf(context: GraphQLContext): Promise<{ viewer: Viewer; requestId: string }> {
  return { viewer: await requireViewer(context), requestId: context.requestId };
}
