// GraphQL transport for downstream use of a credential: one real use of each protocol.
import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { callerOf, type GraphQLContext } from '../../graphql/context.js';

const REFUSALS =
  'Refused before any connection is opened with CREDENTIAL_DELETED (deleted), CREDENTIAL_NOT_VERIFIED (no passing test since the last change) or SECRET_UNREADABLE (rotate to repair); a failure of the mail server is MAIL_SERVER_ERROR with the classification of a connectivity test in extensions.details.';

@Resolver()
export class MailAccessResolver {
  @Query(() => [String], {
    description: `The folder paths of an IMAP credential's mailbox (IMAP LIST), read with the stored secret; nothing is selected or changed. Member role. ${REFUSALS}`,
  })
  async providerCredentialMailboxes(@Arg('id', () => ID) id: string, @Ctx() context: GraphQLContext): Promise<string[]> {
    return context.services.mailAccess.listMailboxes(await callerOf(context), id);
  }

  @Mutation(() => Boolean, {
    description: `Sends ONE short plain-text test message to \`to\` through an SMTP credential, from its username. This is the ONLY operation of the API that sends mail (a connectivity test never does). Admin role; rate-limited per account like tests. ${REFUSALS}`,
  })
  async sendTestMessage(@Arg('id', () => ID) id: string, @Arg('to', () => String) to: string, @Ctx() context: GraphQLContext): Promise<boolean> {
    return context.services.mailAccess.sendTestMessage(await callerOf(context), id, { to });
  }
}
