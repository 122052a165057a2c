import path from 'node:path';
import { bundleLambda } from './bundling.ts';
import { REPO_ROOT } from './toolchain.ts';

/**
 * `tsx infra/lib/bundle-cli.ts <entry> <outdir>`: bundles one function for CDK. CDK's local bundling hook
 * is synchronous and esbuild plugins need the asynchronous API, so `ServiceFunction` runs this in a child.
 */
const [entry, outdir] = process.argv.slice(2);
if (!entry || !outdir)
  throw new Error('usage: bundle-cli.ts <entry under the repository> <output directory>');
await bundleLambda({ entry, outfile: path.join(outdir, 'index.mjs'), repoRoot: REPO_ROOT });
