// Runs once before all test files: builds dist/ so that tests which start the real server
// process (or an operator command) run the same compiled code as `npm start`.
import { spawnSync } from 'node:child_process';

export default function buildOnce(): void {
  const build = spawnSync('npm', ['run', 'build', '--silent'], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
}
