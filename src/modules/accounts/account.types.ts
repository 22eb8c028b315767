// GraphQL types for users, accounts and memberships.
import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';

export enum RoleValue {
  ADMIN = 'admin',
  MEMBER = 'member',
}
registerEnumType(RoleValue, { name: 'Role', description: 'admin: everything; member: read, search and test credentials.' });

@ObjectType('Account', { description: 'A tenant. Every provider credential belongs to exactly one account.' })
export class AccountType {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field()
  createdAt!: Date;
}

@ObjectType('Membership', { description: "The viewer's role in one account." })
export class MembershipType {
  @Field(() => RoleValue)
  role!: RoleValue;

  @Field(() => AccountType)
  account!: AccountType;
}

@ObjectType('User')
export class UserType {
  @Field(() => ID)
  id!: string;

  @Field()
  email!: string;

  @Field()
  createdAt!: Date;
}

@ObjectType('AccountMember', { description: 'A user who belongs to an account, with their role.' })
export class AccountMemberType {
  @Field(() => ID)
  userId!: string;

  @Field()
  email!: string;

  @Field(() => RoleValue)
  role!: RoleValue;

  @Field()
  createdAt!: Date;
}

@InputType('AccountMemberInput', { description: 'An existing user (by email) and the role to give them.' })
export class AccountMemberInput {
  @Field()
  email!: string;

  @Field(() => RoleValue)
  role!: RoleValue;
}
