// Reads and writes the encrypted secret row of a credential. This file and vault.ts are the
// only code that sees plaintext secrets on their way in or out of the database; callers pass
// plaintext on only to the connectivity probes and the downstream IMAP/SMTP helpers.
//
// The secret is bound to (credential id, secret version); the username to (credential id)
// alone, so a rotation that keeps the username does not need to re-encrypt it.
import type { Tx } from '../../db/transaction.js';
import type { Vault } from './vault.js';

export interface CredentialPlaintext {
  username: string;
  secret: string;
}

export type SecretRow = { keyId: string; secretVersion: number; secretCiphertext: string; usernameCiphertext: string };

const USERNAME_VERSION = 0;

export function sealCredential(vault: Vault, credentialId: string, secretVersion: number, plaintext: CredentialPlaintext): SecretRow {
  const secret = vault.seal(plaintext.secret, { credentialId, secretVersion, field: 'secret' });
  const username = vault.seal(plaintext.username, { credentialId, secretVersion: USERNAME_VERSION, field: 'username' });
  return { keyId: secret.keyId, secretVersion, secretCiphertext: secret.ciphertext, usernameCiphertext: username.ciphertext };
}

/** The plaintext, or null when the row is missing or cannot be decrypted with the key ring. */
export function openCredential(vault: Vault, credentialId: string, row: SecretRow | null): CredentialPlaintext | null {
  if (!row) return null;
  const secret = vault.open({ keyId: row.keyId, ciphertext: row.secretCiphertext }, { credentialId, secretVersion: row.secretVersion, field: 'secret' });
  const username = openUsername(vault, credentialId, row);
  return secret === null || username === null ? null : { username, secret };
}

/**
 * The username alone, or null when it cannot be decrypted. A rotation that keeps the username
 * needs only this, so it can repair a credential whose secret cipher text alone is damaged.
 */
export function openUsername(vault: Vault, credentialId: string, row: SecretRow | null): string | null {
  if (!row) return null;
  return vault.open({ keyId: row.keyId, ciphertext: row.usernameCiphertext }, { credentialId, secretVersion: USERNAME_VERSION, field: 'username' });
}

export async function readSecretRow(tx: Pick<Tx, 'credentialSecret'>, credentialId: string): Promise<SecretRow | null> {
  return tx.credentialSecret.findUnique({
    where: { credentialId },
    select: { keyId: true, secretVersion: true, secretCiphertext: true, usernameCiphertext: true },
  });
}

export async function writeSecretRow(tx: Tx, credentialId: string, row: SecretRow): Promise<void> {
  await tx.credentialSecret.upsert({ where: { credentialId }, create: { credentialId, ...row }, update: row });
}

/** Crypto-shredding: the cipher text row is deleted, not flagged. */
export async function destroySecretRow(tx: Tx, credentialId: string): Promise<void> {
  await tx.credentialSecret.deleteMany({ where: { credentialId } });
}
