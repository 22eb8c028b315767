// Opaque, prefixed, URL-safe IDs: a type prefix and 21 nanoid characters (126 random bits).
// Never sequential: an ID reveals neither order nor count.
import { nanoid } from 'nanoid';

export const ID_PREFIXES = {
  user: 'usr',
  account: 'acc',
  membership: 'mem',
  session: 'ses',
  credential: 'pc',
  connectivityTest: 'ct',
  auditEvent: 'evt',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

export const newId = (kind: IdKind): string => `${ID_PREFIXES[kind]}_${nanoid()}`;

export const hasIdShape = (kind: IdKind, value: string): boolean => new RegExp(`^${ID_PREFIXES[kind]}_[A-Za-z0-9_-]{21}$`).test(value);
