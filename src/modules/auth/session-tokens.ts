// Bearer tokens: 256 random bits, shown to the caller once; only their SHA-256 is stored, so
// a leaked database holds no usable token.
import { createHash, randomBytes } from 'node:crypto';

const TOKEN_PREFIX = 'pct_';
const TOKEN_PATTERN = /^pct_[A-Za-z0-9_-]{43}$/;

export const newSessionToken = (): string => `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;

export const hashSessionToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** Extracts the token from an Authorization header; undefined when absent, null when malformed. */
export function parseBearer(header: string | undefined): string | undefined | null {
  if (header === undefined || header === '') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match && TOKEN_PATTERN.test(match[1]!) ? match[1]! : null;
}
