// `npm test` and `npm start` install exactly what pnpm-lock.yaml records. When a package.json no longer
// matches it, pnpm's own advice (`--no-frozen-lockfile`) would hide the problem: end with what to do.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const { packageManager } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const STALE = /ERR_PNPM_(OUTDATED_LOCKFILE|LOCKFILE_CONFIG_MISMATCH|LOCKFILE_MISSING_DEPENDENCY)/;

const child = spawn('npx', ['-y', packageManager, 'install', '--frozen-lockfile'], {
  stdio: ['inherit', 'pipe', 'pipe'],
});
let output = '';
for (const [from, to] of [
  [child.stdout, process.stdout],
  [child.stderr, process.stderr],
])
  from.on('data', (chunk) => {
    output += chunk;
    to.write(chunk);
  });
child.on('close', (code) => {
  if (code !== 0 && STALE.test(output))
    console.error(
      `pnpm-lock.yaml is out of date with a package.json: run \`npx -y ${packageManager} install\` and commit pnpm-lock.yaml.`,
    );
  process.exit(code ?? 1);
});
