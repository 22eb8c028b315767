// The vault is the only code that encrypts or decrypts credential secrets.
// AES-256-GCM, a fresh 96-bit nonce per encryption, and the credential id, the field and the
// secret version bound as associated data: a cipher text copied to another credential, field
// or version does not decrypt. Stored form: base64url(nonce | ciphertext | tag), with the key
// id kept beside it.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { KeyRing } from './key-ring.js';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export type SealedField = 'secret' | 'username';

export interface SealContext {
  credentialId: string;
  secretVersion: number;
  field: SealedField;
}

export interface Sealed {
  keyId: string;
  ciphertext: string;
}

export class Vault {
  constructor(private readonly keyRing: KeyRing) {}

  get activeKeyId(): string {
    return this.keyRing.activeKeyId;
  }

  hasKey(keyId: string): boolean {
    return this.keyRing.keys.has(keyId);
  }

  seal(plaintext: string, context: SealContext): Sealed {
    const key = this.keyRing.keys.get(this.keyRing.activeKeyId)!;
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    cipher.setAAD(associatedData(this.keyRing.activeKeyId, context));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { keyId: this.keyRing.activeKeyId, ciphertext: Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64url') };
  }

  /** Returns the plaintext, or null when it cannot be decrypted (unknown key, tampering, wrong binding). */
  open(sealed: Sealed, context: SealContext): string | null {
    const key = this.keyRing.keys.get(sealed.keyId);
    if (!key) return null;
    const raw = Buffer.from(sealed.ciphertext, 'base64url');
    if (raw.length < NONCE_BYTES + TAG_BYTES) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, NONCE_BYTES));
      decipher.setAAD(associatedData(sealed.keyId, context));
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }
}

function associatedData(keyId: string, { credentialId, secretVersion, field }: SealContext): Buffer {
  return Buffer.from(JSON.stringify(['pcv1', keyId, credentialId, secretVersion, field]), 'utf8');
}
