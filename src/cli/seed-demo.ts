// `npm run seed:demo`: idempotent demo data on the database named by DATABASE_URL (pending
// migrations applied first), then the sign-in details and a ready bearer token. Refuses to run
// with NODE_ENV=production.
import { createServices } from '../app-services.js';
import { ConfigError, loadConfig } from '../config.js';
import { AppError } from '../errors.js';
import { seedDemoData, type DemoSeedResult } from './demo-data.js';
import { openCliRuntime } from './runtime.js';

function report(result: DemoSeedResult, databaseUrl: string, baseUrl: string): string {
  const created = [result.created.user && 'user', result.created.account && 'account', result.created.credentials > 0 && `${result.created.credentials} credential(s)`].filter(Boolean);
  return [
    `Demo data ready in ${databaseUrl} (${created.length ? `created: ${created.join(', ')}` : 'already complete: nothing added'}).`,
    '',
    `  email:     ${result.email}`,
    `  password:  ${result.password}`,
    `  account:   ${result.account.name} (${result.account.id})`,
    `  token:     ${result.token}`,
    '',
    'Credentials (fictitious example.* hosts: a connectivity test of them fails, by design):',
    ...result.credentials.map((c) => `  ${c.id}  ${c.providerKind.padEnd(4)} ${c.securityMode.padEnd(8)} ${`${c.host}:${c.port}`.padEnd(22)} ${c.label}`),
    '',
    'Try it:',
    `  curl -s ${baseUrl}/api/me -H "authorization: Bearer ${result.token}"`,
    `  GraphiQL: ${baseUrl}/graphql  (Headers tab: {"Authorization": "Bearer ${result.token}"})`,
  ].join('\n');
}

async function main(): Promise<number> {
  if (loadConfig().production) throw new ConfigError('seed:demo refuses to run with NODE_ENV=production: it creates a user with a published password.');
  const { config, logger, db } = await openCliRuntime();
  const services = createServices(config, logger, db);
  try {
    const result = await seedDemoData(services);
    const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
    process.stdout.write(`${report(result, config.databaseUrl, `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`)}\n`);
    return 0;
  } finally {
    await services.rateLimits.close();
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`seed:demo: ${error instanceof ConfigError || error instanceof AppError ? error.message : `failed: ${error.message}`}\n`);
    process.exit(1);
  },
);
