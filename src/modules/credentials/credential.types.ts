// GraphQL types for provider credentials.
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { AuthKindValue, LastTestStatusValue, ProviderKindValue, SecurityModeValue } from './credential.enums.js';
import { ConnectivityTestResultType } from '../connectivity/connectivity.types.js';
import { PageInfoType } from '../../graphql/connection.js';

@ObjectType('ProviderCredential', { description: 'Sign-in details for one IMAP or SMTP server. The secret is write-only and never readable.' })
export class ProviderCredentialType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  accountId!: string;

  @Field(() => ProviderKindValue)
  providerKind!: string;

  @Field()
  host!: string;

  @Field(() => Int)
  port!: number;

  @Field(() => SecurityModeValue)
  securityMode!: string;

  @Field(() => AuthKindValue)
  authKind!: string;

  @Field({ description: 'e.g. u***@example.com; the clear username is never returned.' })
  usernameMasked!: string;

  @Field(() => String, { nullable: true })
  label!: string | null;

  @Field(() => Int, { description: 'Raised by one at each rotation.' })
  secretVersion!: number;

  @Field(() => Date, { nullable: true })
  lastRotatedAt!: Date | null;

  @Field(() => ConnectivityTestResultType, { nullable: true, description: 'The latest test (without its server block), null before the first test and after a change of connection details.' })
  lastTest!: ConnectivityTestResultType | null;

  @Field()
  createdAt!: Date;

  @Field()
  updatedAt!: Date;
}

@ObjectType('ProviderCredentialEdge')
export class ProviderCredentialEdge {
  @Field()
  cursor!: string;

  @Field(() => ProviderCredentialType)
  node!: ProviderCredentialType;
}

@ObjectType('ProviderCredentialConnection')
export class ProviderCredentialConnection {
  @Field(() => [ProviderCredentialEdge])
  edges!: ProviderCredentialEdge[];

  @Field(() => PageInfoType)
  pageInfo!: PageInfoType;
}

// Inputs declare every field optional-or-loose where the service has the rule, so a caller
// gets the same VALIDATION_FAILED details over GraphQL as over REST.
@InputType('CreateProviderCredentialInput')
export class CreateProviderCredentialInput {
  @Field(() => ProviderKindValue)
  providerKind!: string;

  @Field()
  host!: string;

  @Field(() => Int)
  port!: number;

  @Field(() => SecurityModeValue)
  securityMode!: string;

  @Field(() => AuthKindValue)
  authKind!: string;

  @Field()
  username!: string;

  @Field({ description: 'Password or OAuth2 access token. Write-only.' })
  secret!: string;

  @Field(() => String, { nullable: true })
  label?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Test the details first and store nothing unless the test passes.' })
  verify?: boolean | null;
}

@InputType('UpdateProviderCredentialInput', { description: 'Non-secret fields only; secrets change through rotateProviderCredential.' })
export class UpdateProviderCredentialInput {
  @Field(() => String, { nullable: true })
  host?: string;

  @Field(() => Int, { nullable: true })
  port?: number;

  @Field(() => SecurityModeValue, { nullable: true })
  securityMode?: string;

  @Field(() => AuthKindValue, { nullable: true })
  authKind?: string;

  @Field(() => String, { nullable: true })
  label?: string | null;

  @Field(() => String, { nullable: true })
  username?: string;
}

@InputType('RotateProviderCredentialInput')
export class RotateProviderCredentialInput {
  @Field({ description: 'The new password or access token.' })
  secret!: string;

  @Field(() => String, { nullable: true })
  username?: string;

  @Field(() => Boolean, { nullable: true })
  verify?: boolean | null;
}

@InputType('ProviderCredentialFilter', { description: 'All fields optional, combined with AND.' })
export class ProviderCredentialFilter {
  @Field(() => ProviderKindValue, { nullable: true })
  providerKind?: string;

  @Field(() => SecurityModeValue, { nullable: true })
  securityMode?: string;

  @Field(() => AuthKindValue, { nullable: true })
  authKind?: string;

  @Field(() => String, { nullable: true, description: 'Exact host, case-insensitive.' })
  host?: string;

  @Field(() => String, { nullable: true, description: 'Case-insensitive substring of the host.' })
  hostContains?: string;

  @Field(() => String, { nullable: true, description: 'Case-insensitive substring of the label.' })
  labelContains?: string;

  @Field(() => LastTestStatusValue, { nullable: true })
  lastTestStatus?: string;

  @Field(() => Date, { nullable: true })
  createdAfter?: Date;

  @Field(() => Date, { nullable: true })
  createdBefore?: Date;
}
