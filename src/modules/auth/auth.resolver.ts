// GraphQL transport for sign-in: arguments in, service call, payload out.
import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireViewer, type GraphQLContext } from '../../graphql/context.js';
import { MembershipType, RoleValue, UserType } from '../accounts/account.types.js';
import { AuthPayloadType, SignInInputType, SignUpInputType } from './auth.types.js';

@Resolver(() => UserType)
export class AuthResolver {
  @Mutation(() => AuthPayloadType, { description: 'Creates a user, a new account they administer, and a session.' })
  async signUp(@Arg('input', () => SignUpInputType) input: SignUpInputType, @Ctx() context: GraphQLContext): Promise<AuthPayloadType> {
    const result = await context.services.auth.signUp({ ...input }, { requestId: context.requestId, ip: context.ip });
    return { ...result, accounts: [result.account] };
  }

  @Mutation(() => AuthPayloadType)
  async signIn(@Arg('input', () => SignInInputType) input: SignInInputType, @Ctx() context: GraphQLContext): Promise<AuthPayloadType> {
    const result = await context.services.auth.signIn({ ...input }, { requestId: context.requestId, ip: context.ip });
    return { ...result, account: null };
  }

  @Mutation(() => Boolean, { description: 'Revokes the token of this request at once.' })
  async signOut(@Ctx() context: GraphQLContext): Promise<boolean> {
    await context.services.auth.signOut(await requireViewer(context));
    return true;
  }

  @Query(() => UserType, { description: 'The signed-in user.' })
  async me(@Ctx() context: GraphQLContext): Promise<UserType> {
    const viewer = await requireViewer(context);
    return context.services.users.get(viewer.userId);
  }

  @FieldResolver(() => [MembershipType])
  async memberships(@Root() user: UserType, @Ctx() context: GraphQLContext): Promise<MembershipType[]> {
    const memberships = await context.services.users.memberships(user.id);
    return memberships.map((m) => ({ role: m.role as RoleValue, account: m.account }));
  }
}
