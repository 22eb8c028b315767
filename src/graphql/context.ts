// What every resolver receives. Built once per GraphQL request by the HTTP layer.
import type { AppServices } from '../app-services.js';
import type { Viewer } from '../modules/auth/policy.js';

export interface GraphQLContext {
  requestId: string;
  ip: string;
  services: AppServices;
  /** The raw Authorization header; `requireViewer` turns it into a viewer once per request. */
  authorization: string | undefined;
  viewer?: Promise<Viewer>;
}

/** The signed-in caller, or UNAUTHENTICATED. Resolved at most once per request. */
export function requireViewer(context: GraphQLContext): Promise<Viewer> {
  context.viewer ??= context.services.auth.authenticate(context.authorization);
  return context.viewer;
}
