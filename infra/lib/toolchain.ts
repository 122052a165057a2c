import { fileURLToPath } from 'node:url';

/** The monorepo root (where `pnpm-lock.yaml`, `functions/` and `web/` live). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
