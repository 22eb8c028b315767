// The closed vocabularies of a provider credential, as the lower-case strings of the API
// contract. One const array per vocabulary so zod schemas, GraphQL enums (upper-cased there)
// and REST documentation all enumerate the same values.

export const PROVIDER_KINDS = ['imap', 'smtp'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

export const SECURITY_MODES = ['ssl_tls', 'starttls', 'none'] as const;
export type SecurityMode = (typeof SECURITY_MODES)[number];

export const AUTH_KINDS = ['password', 'oauth2'] as const;
export type AuthKind = (typeof AUTH_KINDS)[number];

export const LAST_TEST_STATUSES = ['succeeded', 'failed', 'never'] as const;
export type LastTestStatus = (typeof LAST_TEST_STATUSES)[number];

/** Length limits, counted in UTF-16 code units (JavaScript string length). */
export const USERNAME_MAX_LENGTH = 320;
export const SECRET_MAX_LENGTH = 8192;
export const LABEL_MAX_LENGTH = 100;
export const HOST_MAX_LENGTH = 253;

export const PORT_MIN = 1;
export const PORT_MAX = 65535;
