// GraphQL types for signing in and out.
import { Field, InputType, ObjectType } from 'type-graphql';
import { AccountType, UserType } from '../accounts/account.types.js';

@InputType('SignUpInput')
export class SignUpInputType {
  @Field()
  email!: string;

  @Field()
  password!: string;

  @Field()
  accountName!: string;
}

@InputType('SignInInput')
export class SignInInputType {
  @Field()
  email!: string;

  @Field()
  password!: string;
}

@ObjectType('AuthPayload', { description: 'A new bearer token. signUp fills `account`; signIn fills `accounts`.' })
export class AuthPayloadType {
  @Field({ description: 'Send as "Authorization: Bearer <token>". Shown once; only its hash is stored.' })
  token!: string;

  @Field(() => UserType)
  user!: UserType;

  @Field(() => AccountType, { nullable: true, description: 'The account created by signUp.' })
  account?: AccountType | null;

  @Field(() => [AccountType], { description: 'Every account the user belongs to.' })
  accounts!: AccountType[];
}
