// `npm run credentials:rekey [-- --check] [-- --batch-size N]`: re-encrypt every stored secret
// under the first key of CREDENTIALS_ENCRYPTION_KEYS, or (--check) report per key id.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../../config.js';
import { openDatabase } from '../../db/client.js';
import { createLogger } from '../../logger.js';
import { checkKeyUsage, rekeySecrets } from './rekey.js';
import { vaultFromConfig } from './vault-from-config.js';

const USAGE = `Usage: npm run credentials:rekey -- [--check] [--batch-size N]
  Re-encrypts every stored secret under the first key of CREDENTIALS_ENCRYPTION_KEYS.
  --check        report how many secrets each key id holds and how many are unreadable
  --batch-size   rows per transaction (default 500)`;

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { check: { type: 'boolean' }, 'batch-size': { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const batchSize = values['batch-size'] === undefined ? 500 : Number(values['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) throw new ConfigError('--batch-size: expected a whole number from 1 to 10000');
  const config = loadConfig();
  const logger = createLogger({ level: 'warn' });
  const vault = vaultFromConfig(config, (message) => logger.warn(message));
  const db = await openDatabase(config.databaseUrl);
  try {
    if (values.check) {
      const { keys, unreadable } = await checkKeyUsage(db, vault);
      for (const key of keys) process.stdout.write(`${key.keyId}\t${key.secrets} secret(s)\t${key.keyId === vault.activeKeyId ? 'active' : key.inRing ? 'in ring' : 'NOT IN RING'}\n`);
      process.stdout.write(`unreadable with the current ring: ${unreadable}\n`);
      return unreadable > 0 ? 2 : 0;
    }
    const bar = (done: number, total: number) => {
      const width = 30;
      const filled = total === 0 ? width : Math.round((done / total) * width);
      process.stderr.write(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total}`);
    };
    const report = await rekeySecrets(db, vault, { batchSize, onProgress: ({ done, total }) => bar(done, total) });
    process.stderr.write('\n');
    process.stdout.write(`re-encrypted ${report.rekeyed} secret(s) under key ${vault.activeKeyId}; ${report.skipped} changed meanwhile (already current); ${report.unreadable} unreadable\n`);
    return report.unreadable > 0 ? 2 : 0;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`credentials:rekey: ${error.message}\n`);
    process.exit(1);
  },
);
