import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeyRingError, generateKeyEntry, loadKeyRing, parseKeyRing } from '../../src/modules/vault/key-ring.js';
import { Vault } from '../../src/modules/vault/vault.js';

const keyA = generateKeyEntry('a');
const keyB = generateKeyEntry('b');
const context = { credentialId: 'pc_one', secretVersion: 1, field: 'secret' as const };

describe('key ring', () => {
  it('uses the first key to encrypt and every key to decrypt', () => {
    const ring = parseKeyRing(`${keyB},${keyA}`);
    expect(ring.activeKeyId).toBe('b');
    expect([...ring.keys.keys()]).toEqual(['b', 'a']);
  });

  it.each([
    ['', /got nothing/],
    ['nokey', /entry 1 needs a key id/],
    ['k1:not base64!', /key "k1" is not valid base64/],
    [`k1:${Buffer.alloc(16).toString('base64')}`, /key "k1" must decode to 32 bytes \(AES-256\), got 16/],
    [`${keyA},${keyA}`, /key id "a" appears twice/],
  ])('refuses %j with a clear message that never shows a key', (text, message) => {
    expect(() => parseKeyRing(text)).toThrow(KeyRingError);
    expect(() => parseKeyRing(text)).toThrow(message);
    try {
      parseKeyRing(text);
    } catch (error) {
      expect((error as Error).message).not.toContain(keyA.split(':')[1]);
    }
  });

  it('creates a 0600 development key file with a warning, once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pca-keys-'));
    try {
      const file = join(dir, 'data', 'keys');
      const warnings: string[] = [];
      const ring = loadKeyRing({ configured: undefined, developmentKeyFile: file, warn: (m) => warnings.push(m) });
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(warnings[0]).toMatch(/CREDENTIALS_ENCRYPTION_KEYS is not set/);
      const again = loadKeyRing({ configured: undefined, developmentKeyFile: file, warn: () => {} });
      expect(again.activeKeyId).toBe(ring.activeKeyId);
      expect(readFileSync(file, 'utf8')).toMatch(/^dev[a-z0-9]+:/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('vault (AES-256-GCM)', () => {
  const vault = new Vault(parseKeyRing(`${keyA}`));

  it('round-trips and uses a fresh nonce every time', () => {
    const one = vault.seal('hunter2', context);
    const two = vault.seal('hunter2', context);
    expect(one.ciphertext).not.toBe(two.ciphertext);
    expect(vault.open(one, context)).toBe('hunter2');
    expect(one.ciphertext).not.toContain('hunter2');
    expect(one.ciphertext).not.toContain(Buffer.from('hunter2').toString('base64'));
  });

  it('detects tampering with any byte', () => {
    const sealed = vault.seal('a secret worth protecting', context);
    const raw = Buffer.from(sealed.ciphertext, 'base64url');
    for (const index of [0, 5, 12, raw.length - 17, raw.length - 1]) {
      const copy = Buffer.from(raw);
      copy[index] = copy[index]! ^ 0x01;
      expect(vault.open({ ...sealed, ciphertext: copy.toString('base64url') }, context)).toBeNull();
    }
    expect(vault.open({ ...sealed, ciphertext: 'AAAA' }, context)).toBeNull();
  });

  it('does not decrypt a cipher text moved to another credential, version or field', () => {
    const sealed = vault.seal('bound', context);
    expect(vault.open(sealed, { ...context, credentialId: 'pc_two' })).toBeNull();
    expect(vault.open(sealed, { ...context, secretVersion: 2 })).toBeNull();
    expect(vault.open(sealed, { ...context, field: 'username' })).toBeNull();
  });

  it('decrypts with an old key still in the ring, and not once it is removed', () => {
    const sealedUnderA = vault.seal('old', context);
    expect(new Vault(parseKeyRing(`${keyB},${keyA}`)).open(sealedUnderA, context)).toBe('old');
    expect(new Vault(parseKeyRing(keyB)).open(sealedUnderA, context)).toBeNull();
    // A key of the same id but other bytes does not decrypt either.
    expect(new Vault(parseKeyRing(generateKeyEntry('a'))).open(sealedUnderA, context)).toBeNull();
  });
});
