// The key ring for secrets at rest: `id1:base64key,id2:base64key`, the first key encrypts and
// every key decrypts. In development without CREDENTIALS_ENCRYPTION_KEYS, a key file is created
// under ./data/ (mode 0600) so the server starts with zero setup; production refuses that.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export const KEY_BYTES = 32;
const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

export interface KeyRing {
  /** The key that encrypts new secrets. */
  activeKeyId: string;
  keys: ReadonlyMap<string, Buffer>;
}

export class KeyRingError extends Error {
  override name = 'KeyRingError';
  /** What is wrong, without the source's name: configuration prefixes its own variable name. */
  readonly problem: string;
  constructor(source: string, problem: string) {
    super(`${source}: ${problem}`);
    this.problem = problem;
  }
}

/** Parses `id:base64key,…`; throws KeyRingError naming the bad entry (never the key). */
export function parseKeyRing(text: string, source = 'CREDENTIALS_ENCRYPTION_KEYS'): KeyRing {
  const keys = new Map<string, Buffer>();
  const entries = text.split(',').map((entry) => entry.trim()).filter(Boolean);
  if (entries.length === 0) throw new KeyRingError(source, `expected id:base64key[,id:base64key…], got nothing`);
  for (const [index, entry] of entries.entries()) {
    const separator = entry.indexOf(':');
    const id = separator > 0 ? entry.slice(0, separator) : '';
    const encoded = separator > 0 ? entry.slice(separator + 1) : '';
    if (!KEY_ID_PATTERN.test(id)) throw new KeyRingError(source, `entry ${index + 1} needs a key id of 1-32 letters, digits, _ or - before ":"`);
    if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(encoded)) throw new KeyRingError(source, `key "${id}" is not valid base64`);
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== KEY_BYTES) throw new KeyRingError(source, `key "${id}" must decode to ${KEY_BYTES} bytes (AES-256), got ${key.length}`);
    if (keys.has(id)) throw new KeyRingError(source, `key id "${id}" appears twice`);
    keys.set(id, key);
  }
  return { activeKeyId: entries[0]!.slice(0, entries[0]!.indexOf(':')), keys };
}

export function generateKeyEntry(id: string): string {
  return `${id}:${randomBytes(KEY_BYTES).toString('base64')}`;
}

export interface LoadKeyRingOptions {
  /** The ring from CREDENTIALS_ENCRYPTION_KEYS, parsed (and required in production) by config.ts. */
  configured: KeyRing | undefined;
  developmentKeyFile: string;
  warn(message: string): void;
}

export function loadKeyRing({ configured, developmentKeyFile, warn }: LoadKeyRingOptions): KeyRing {
  if (configured) return configured;
  if (!existsSync(developmentKeyFile)) {
    mkdirSync(dirname(developmentKeyFile), { recursive: true });
    writeFileSync(developmentKeyFile, `${generateKeyEntry(`dev${Date.now().toString(36)}`)}\n`, { mode: 0o600 });
  }
  chmodSync(developmentKeyFile, 0o600);
  warn(`CREDENTIALS_ENCRYPTION_KEYS is not set: using the development key file ${developmentKeyFile}. Set the variable in production.`);
  return parseKeyRing(readFileSync(developmentKeyFile, 'utf8'), developmentKeyFile);
}
