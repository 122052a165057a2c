import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The monorepo root (where `pnpm-lock.yaml`, `functions/` and `web/` live). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

let ensured = false;

/**
 * Makes local (non-Docker) bundling work on machines without a global `pnpm`.
 *
 * For a `pnpm-lock.yaml` workspace, CDK's `NodejsFunction` runs `pnpm exec -- esbuild …` whenever it
 * can resolve esbuild as a package (it can: esbuild is installed in the workspace). When `pnpm` is not
 * on PATH (for example `npx cdk synth` or `npx vitest` on a machine that only has Node), this puts
 * `infra/tools` on PATH, whose `pnpm` runs the version pinned in the root `package.json`
 * (`packageManager`) through `npx`. Idempotent; does nothing when a `pnpm` is found.
 */
export function ensurePnpmOnPath(): void {
  if (ensured) return;
  ensured = true;
  if (spawnSync('pnpm', ['--version'], { stdio: 'ignore' }).status === 0) return;
  const pkg: unknown = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  const pinned =
    typeof pkg === 'object' &&
    pkg !== null &&
    'packageManager' in pkg &&
    typeof pkg.packageManager === 'string'
      ? pkg.packageManager.split('+')[0]
      : undefined;
  if (pinned?.startsWith('pnpm@')) process.env.AFTERSALES_PNPM_SPEC = pinned;
  process.env.PATH = [path.join(REPO_ROOT, 'infra', 'tools'), process.env.PATH]
    .filter(Boolean)
    .join(path.delimiter);
}
