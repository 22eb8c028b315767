// The operator CLI: `npm run cli -- <command> [options]`, or `node dist/src/cli/main.js` after
// `npm run build`. Works on the database named by DATABASE_URL, applying pending migrations
// first. `--help` lists the commands.
import { runCli } from './commands.js';

runCli(process.argv.slice(2), { out: (text) => process.stdout.write(`${text}\n`), err: (text) => process.stderr.write(`${text}\n`), env: process.env }).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`cli: ${error.message}\n`);
    process.exit(1);
  },
);
