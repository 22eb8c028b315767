// `npm run dev`: the server with file watching and human-readable logs.
//
// tsc (watch mode) compiles src/ to dist/ with decorator metadata, which type-graphql needs
// (tsx/esbuild cannot emit it); once its first build is done, `node --watch` runs
// dist/src/main.js and restarts it whenever tsc rewrites a file it loaded. Each runs in its own
// process group, so that Ctrl-C (or SIGTERM) here stops both, with everything they started
// (the TypeScript package runs its native compiler as a child process).
// Defaults: NODE_ENV=development, LOG_PRETTY=true; anything set in the environment wins.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, NODE_ENV: process.env.NODE_ENV || 'development', LOG_PRETTY: process.env.LOG_PRETTY || 'true' };
const say = (message) => process.stderr.write(`[dev] ${message}\n`);

/** @type {Map<string, import('node:child_process').ChildProcess>} */
const children = new Map();
let stopping = false;

function start(name, args, stdio) {
  const child = spawn(process.execPath, args, { cwd: root, env, stdio, detached: true });
  children.set(name, child);
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (!stopping) {
      say(`${name} exited (${signal ?? `code ${code}`}); stopping`);
      stop(code || 1);
    } else if (children.size === 0) {
      process.exit(exitCode);
    }
  });
  return child;
}

/** Signals a child's whole process group (it was started detached, as a group leader). */
function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

let exitCode = 0;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  exitCode = code;
  if (children.size === 0) process.exit(code);
  // The server shuts down gracefully on SIGTERM (in-flight requests finish); give it a moment.
  for (const child of children.values()) signalGroup(child, 'SIGTERM');
  setTimeout(() => {
    for (const child of children.values()) signalGroup(child, 'SIGKILL');
    process.exit(code || 1);
  }, 12_000).unref();
}

process.on('SIGINT', () => (stopping ? process.exit(130) : (say('stopping (Ctrl-C again to force)'), stop(0))));
process.on('SIGTERM', () => stop(0));
process.on('SIGHUP', () => stop(0));

const tsc = start('tsc', [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--watch', '--preserveWatchOutput'], ['ignore', 'pipe', 'inherit']);
let serverStarted = false;
createInterface({ input: tsc.stdout }).on('line', (line) => {
  if (line.trim() !== '') process.stdout.write(`[tsc] ${line}\n`);
  // "Found 0 errors. Watching for file changes." ends every build, the first one included.
  if (!serverStarted && /Watching for file changes/.test(line)) {
    serverStarted = true;
    say('first build done; starting the server (it restarts when tsc rewrites dist/)');
    start('server', ['--watch', '--watch-preserve-output', 'dist/src/main.js'], 'inherit');
  }
});
say('compiling src/ to dist/ in watch mode…');
