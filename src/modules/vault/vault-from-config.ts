// The vault the server and the operator commands use: the configured key ring, or in
// development a key file under ./data/ (see key-ring.ts).
import { resolve } from 'node:path';
import type { Config } from '../../config.js';
import { loadKeyRing } from './key-ring.js';
import { Vault } from './vault.js';

export const DEVELOPMENT_KEY_FILE = resolve('data', 'credentials-encryption.keys');

export function vaultFromConfig(config: Config, warn: (message: string) => void): Vault {
  return new Vault(loadKeyRing({ configured: config.encryptionKeys, developmentKeyFile: DEVELOPMENT_KEY_FILE, warn }));
}
