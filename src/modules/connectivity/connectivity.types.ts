// GraphQL types for a connectivity test result (the spec's Test payload in camelCase).
import { Field, Int, ObjectType } from 'type-graphql';
import { ProviderKindValue } from '../credentials/credential.enums.js';

@ObjectType('ConnectivityError')
export class ConnectivityErrorType {
  @Field({ description: 'DNS_NOT_FOUND, HOST_NOT_ALLOWED, CONNECTION_REFUSED, TIMEOUT, TLS_HANDSHAKE_FAILED, TLS_CERTIFICATE_INVALID, STARTTLS_UNAVAILABLE, AUTH_FAILED, AUTH_METHOD_UNSUPPORTED, PROTOCOL_ERROR or SECRET_UNREADABLE' })
  code!: string;

  @Field()
  message!: string;

  @Field(() => String, { nullable: true, description: 'Which setting is likely wrong, in plain words.' })
  hint?: string | null;
}

@ObjectType('TlsCertificate')
export class TlsCertificateType {
  @Field(() => String, { nullable: true })
  subject!: string | null;

  @Field(() => String, { nullable: true })
  issuer!: string | null;

  @Field(() => String, { nullable: true })
  validTo!: string | null;

  @Field(() => String, { nullable: true })
  fingerprint256!: string | null;
}

@ObjectType('TlsSession')
export class TlsSessionType {
  @Field(() => String, { nullable: true })
  protocol!: string | null;

  @Field(() => String, { nullable: true })
  cipher!: string | null;

  @Field()
  authorized!: boolean;

  @Field(() => TlsCertificateType, { nullable: true })
  certificate!: TlsCertificateType | null;
}

@ObjectType('ConnectivityServerInfo')
export class ConnectivityServerInfoType {
  @Field(() => String, { nullable: true })
  greeting!: string | null;

  @Field(() => [String])
  capabilities!: string[];

  @Field(() => TlsSessionType, { nullable: true })
  tls!: TlsSessionType | null;
}

@ObjectType('ConnectivityTestResult')
export class ConnectivityTestResultType {
  @Field({ description: 'Whether the login succeeded. A failed test is still a successful call.' })
  ok!: boolean;

  @Field(() => ProviderKindValue)
  providerKind!: string;

  @Field({ description: 'The last stage reached: dns, connect, tls, greeting, auth or ready.' })
  stage!: string;

  @Field(() => ConnectivityErrorType, { nullable: true })
  error!: ConnectivityErrorType | null;

  @Field(() => Int)
  latencyMs!: number;

  @Field()
  testedAt!: string;

  @Field(() => ConnectivityServerInfoType, { nullable: true, description: 'Only on the result of testProviderCredential; null in lastTest.' })
  server?: ConnectivityServerInfoType | null;
}
