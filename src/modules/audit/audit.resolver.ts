// GraphQL transport for the audit log.
import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { toConnection } from '../../graphql/connection.js';
import { requireViewer, type GraphQLContext } from '../../graphql/context.js';
import { toPageRequest } from '../../shared/pagination.js';
import { AuditEventConnection } from './audit.types.js';

@Resolver()
export class AuditResolver {
  @Query(() => AuditEventConnection, { description: 'The account audit log, newest first (admins only).' })
  async auditEvents(
    @Arg('accountId', () => ID) accountId: string,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() context: GraphQLContext,
  ): Promise<AuditEventConnection> {
    const viewer = await requireViewer(context);
    const page = await context.services.audit.list(viewer, accountId, toPageRequest(first, after, { limit: 'first', cursor: 'after' }));
    return toConnection(page, (event) => event);
  }
}
