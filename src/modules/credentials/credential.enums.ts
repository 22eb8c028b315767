// GraphQL enums for credentials. Names follow GraphQL's upper-case convention; their internal
// values are the lower-case strings the services and REST use, so no resolver converts them.
import { registerEnumType } from 'type-graphql';

export enum ProviderKindValue {
  IMAP = 'imap',
  SMTP = 'smtp',
}
export enum SecurityModeValue {
  SSL_TLS = 'ssl_tls',
  STARTTLS = 'starttls',
  NONE = 'none',
}
export enum AuthKindValue {
  PASSWORD = 'password',
  OAUTH2 = 'oauth2',
}
export enum LastTestStatusValue {
  SUCCEEDED = 'succeeded',
  FAILED = 'failed',
  NEVER = 'never',
}
registerEnumType(ProviderKindValue, { name: 'ProviderKind' });
registerEnumType(SecurityModeValue, { name: 'SecurityMode', description: 'SSL_TLS: TLS from the first byte; STARTTLS: upgrade a plain connection; NONE: clear text.' });
registerEnumType(AuthKindValue, { name: 'AuthKind', description: 'PASSWORD, or OAUTH2 where the secret is an access token (XOAUTH2).' });
registerEnumType(LastTestStatusValue, { name: 'LastTestStatus' });
