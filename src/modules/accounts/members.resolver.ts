// GraphQL transport for account membership management.
import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { requireViewer, type GraphQLContext } from '../../graphql/context.js';
import { AccountMemberInput, AccountMemberType, RoleValue } from './account.types.js';
import type { MemberView } from './members.service.js';

const toType = (member: MemberView): AccountMemberType => ({ ...member, role: member.role as RoleValue });

@Resolver()
export class MembersResolver {
  @Query(() => [AccountMemberType], { description: 'Members of the account (any member may read).' })
  async accountMembers(@Arg('accountId', () => ID) accountId: string, @Ctx() context: GraphQLContext): Promise<AccountMemberType[]> {
    return (await context.services.members.list(await requireViewer(context), accountId)).map(toType);
  }

  @Mutation(() => AccountMemberType, { description: 'Adds an existing user to the account, or changes their role (admin only).' })
  async putAccountMember(
    @Arg('accountId', () => ID) accountId: string,
    @Arg('input', () => AccountMemberInput) input: AccountMemberInput,
    @Ctx() context: GraphQLContext,
  ): Promise<AccountMemberType> {
    return toType(await context.services.members.put(await requireViewer(context), accountId, { ...input }, context.requestId));
  }

  @Mutation(() => Boolean, { description: 'Removes a member (admin only). The last admin cannot be removed.' })
  async removeAccountMember(@Arg('accountId', () => ID) accountId: string, @Arg('userId', () => ID) userId: string, @Ctx() context: GraphQLContext): Promise<boolean> {
    await context.services.members.remove(await requireViewer(context), accountId, userId, context.requestId);
    return true;
  }
}
