import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { Metafile } from 'esbuild';
import { bundleLambda, RUNTIME_PROVIDED } from '../infra/lib/bundling.ts';
import { median } from './load.ts';

const run = promisify(execFile);

/** The Lambda entries, bundled as CDK bundles them (infra/lib/bundling.ts). */
export const LAMBDA_ENTRIES = [
  { name: 'api', entry: 'functions/api/lambda.ts' },
  { name: 'imports', entry: 'functions/imports/lambda.ts' },
] as const;

/** Environment a handler reads at cold start; dummy values, nothing is contacted during import. */
const COLD_START_ENV: Record<string, string> = {
  TABLE_NAME: 'aftersales-bench',
  AUTH_ISSUER: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_bench',
  AUTH_JWKS_URL: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_bench/.well-known/jwks.json',
  AUTH_CLIENT_IDS: 'bench-client',
  USER_POOL_ID: 'us-east-1_bench',
  UPLOAD_BUCKET: 'aftersales-bench-uploads',
  CURSOR_SECRET: 'aftersales-bench-cursor-secret-of-enough-length-0123456789',
  IMPORTS_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/aftersales-bench-imports',
  IMPORTS_DLQ_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/aftersales-bench-imports-dlq',
  AWS_REGION: 'us-east-1',
  POWERTOOLS_SERVICE_NAME: 'aftersales',
  // Node here may be older than the SDK's supported floor; the Lambda runtime (node22) is not.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

const IMPORT_RUNS = 5;
/**
 * A bundle and its SDK-only floor are imported in turns, this many times each: a single import varies
 * by tens of milliseconds on a shared machine, and taking turns exposes both to the same drift. With 11
 * the ratio of one bundle moved between 1.12× and 1.30× from one run to the next, with 21 by ±0.05×.
 */
export const PAIRED_IMPORT_RUNS = 41;

export interface BundleStats {
  bytes: number;
  gzipBytes: number;
  mapBytes: number;
  /** Largest contributors to the output (bytes), by package (workspace code by folder)… */
  topPackages: Record<string, number>;
  /** …and by folder inside a package. */
  topFolders: Record<string, number>;
}

export interface ColdImport {
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Resident set size of the process after the import (MiB). */
  rssMiB: number;
}

export interface LambdaBundleResult {
  entry: string;
  deployed: BundleStats;
  withSdk: BundleStats;
  /** `await import(bundle with SDK)` in a fresh `node`, no flags (taking turns with `sdkOnlyColdImport`). */
  coldImport: ColdImport;
  /** The same with `--enable-source-maps`, which the functions set in NODE_OPTIONS. */
  coldImportSourceMaps: ColdImport;
  /** The `@aws-sdk/*` modules the deployed bundle imports from the runtime, each imported whole… */
  sdkModules: string[];
  /** …bundled the same way and imported in a fresh `node`: the floor the function's cold import is compared with. */
  sdkOnlyColdImport: ColdImport;
  /** `coldImport` ÷ `sdkOnlyColdImport` (medians). */
  coldImportOverSdk: number;
  /** The median of each turn's bundle ÷ floor: two imports a second apart share the machine's state. */
  coldImportOverSdkInTurns: number;
}

/** `zod` for `…/node_modules/zod/v4/locales/en.js`; workspace code by folder (`packages/data`). */
function packageOf(input: string): { pkg: string; folder: string } {
  const nm = input.lastIndexOf('node_modules/');
  if (nm < 0) {
    const workspace = /^(packages|functions)\/[^/]+/.exec(input)?.[0] ?? input;
    return { pkg: workspace, folder: workspace };
  }
  const parts = input.slice(nm + 'node_modules/'.length).split('/');
  const nameLength = parts[0]?.startsWith('@') ? 2 : 1;
  const pkg = parts.slice(0, nameLength).join('/');
  // Up to two folders inside the package: enough to tell `zod/v4/locales` from `zod/v4/core`.
  const dirs = parts.slice(nameLength, -1).slice(0, 2);
  return { pkg, folder: [pkg, ...dirs].join('/') };
}

function largest(sizes: Map<string, number>, n: number): Record<string, number> {
  return Object.fromEntries([...sizes.entries()].sort((a, b) => b[1] - a[1]).slice(0, n));
}

function statsOf(outfile: string, meta: Metafile | undefined, repoRoot: string): BundleStats {
  const js = readFileSync(outfile);
  const output = meta?.outputs[relative(repoRoot, outfile)];
  if (!output) throw new Error(`esbuild metafile has no output ${outfile}`);
  const byPackage = new Map<string, number>();
  const byFolder = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const { pkg, folder } = packageOf(input);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + bytesInOutput);
    byFolder.set(folder, (byFolder.get(folder) ?? 0) + bytesInOutput);
  }
  return {
    bytes: js.length,
    gzipBytes: gzipSync(js).length,
    mapBytes: readFileSync(`${outfile}.map`).length,
    topPackages: largest(byPackage, 6),
    topFolders: largest(byFolder, 3),
  };
}

async function bundle(
  repoRoot: string,
  entry: string,
  outfile: string,
  external: string[],
): Promise<{ stats: BundleStats; meta: Metafile }> {
  const result = await bundleLambda({ entry, outfile, external, repoRoot });
  return { stats: statsOf(outfile, result.metafile, repoRoot), meta: result.metafile };
}

/** The runtime-provided modules (`@aws-sdk/*`) a deployed bundle imports. */
function sdkImportsOf(meta: Metafile): string[] {
  const found = new Set<string>();
  for (const output of Object.values(meta.outputs))
    for (const i of output.imports) if (i.external && i.path.startsWith('@aws-sdk/')) found.add(i.path);
  return [...found].sort();
}

/** Where the with-SDK build resolved each of `modules` (so the SDK-only entry gets the very same files). */
function resolvedIn(meta: Metafile, modules: string[], repoRoot: string): string[] {
  return modules.map((m) => {
    for (const input of Object.values(meta.inputs))
      for (const i of input.imports) if (i.original === m) return join(repoRoot, i.path);
    throw new Error(`the bundle with the SDK never imports ${m}`);
  });
}

/** Imports the bundle once in a new Node process and reports how long the import took. */
async function importOnce(
  file: string,
  nodeFlags: string[],
  isHandler: boolean,
): Promise<{ ms: number; rss: number }> {
  const code = [
    'const t0 = performance.now();',
    `const m = await import(${JSON.stringify(pathToFileURL(file).href)});`,
    'const ms = performance.now() - t0;',
    isHandler ? "if (typeof m.handler !== 'function') throw new Error('the bundle exports no handler');" : '',
    'process.stdout.write(JSON.stringify({ ms, rss: process.memoryUsage().rss }));',
  ].join('\n');
  const { stdout } = await run(process.execPath, [...nodeFlags, '--input-type=module', '-e', code], {
    env: COLD_START_ENV,
    timeout: 30_000,
  });
  return JSON.parse(stdout) as { ms: number; rss: number };
}

function summarize(runs: { ms: number; rss: number }[]): ColdImport {
  const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
  const rss = runs.map((r) => r.rss).sort((a, b) => a - b);
  return {
    medianMs: median(ms),
    minMs: ms[0]!,
    maxMs: ms[ms.length - 1]!,
    rssMiB: median(rss) / 1024 / 1024,
  };
}

async function coldImport(file: string, nodeFlags: string[], isHandler = true): Promise<ColdImport> {
  const runs: { ms: number; rss: number }[] = [];
  for (let i = 0; i < IMPORT_RUNS; i++) runs.push(await importOnce(file, nodeFlags, isHandler));
  return summarize(runs);
}

/** The bundle and its SDK-only floor, imported in turns (`PAIRED_IMPORT_RUNS` each). */
async function pairedColdImports(
  bundle: string,
  sdkOnly: string,
): Promise<{ bundle: ColdImport; sdkOnly: ColdImport; ratioInTurns: number }> {
  const a: { ms: number; rss: number }[] = [];
  const b: { ms: number; rss: number }[] = [];
  for (let i = 0; i < PAIRED_IMPORT_RUNS; i++) {
    a.push(await importOnce(bundle, [], true));
    b.push(await importOnce(sdkOnly, [], false));
  }
  const ratios = a.map((x, i) => x.ms / b[i]!.ms).sort((x, y) => x - y);
  return { bundle: summarize(a), sdkOnly: summarize(b), ratioInTurns: median(ratios) };
}

/**
 * Bundles every Lambda entry three times into `outDir`: as deployed (AWS SDK external, the runtime
 * provides it); with the SDK inside, which is what a plain Node process can import to time a cold start;
 * and only the SDK modules the deployed bundle imports, each whole, which is what the runtime loads for
 * it before any of our code runs — the floor its cold import is compared with.
 */
export async function measureLambdaBundles(
  repoRoot: string,
  outDir: string,
): Promise<Record<string, LambdaBundleResult>> {
  rmSync(outDir, { recursive: true, force: true });
  const results: Record<string, LambdaBundleResult> = {};
  for (const { name, entry } of LAMBDA_ENTRIES) {
    const deployed = await bundle(repoRoot, entry, join(outDir, name, 'index.mjs'), RUNTIME_PROVIDED);
    const withSdkFile = join(outDir, `${name}-with-sdk`, 'index.mjs');
    const withSdk = await bundle(repoRoot, entry, withSdkFile, []);
    const sdkModules = sdkImportsOf(deployed.meta);
    const sdkEntry = join(outDir, `${name}-sdk-only`, 'entry.mjs');
    mkdirSync(dirname(sdkEntry), { recursive: true });
    writeFileSync(
      sdkEntry,
      resolvedIn(withSdk.meta, sdkModules, repoRoot)
        .map((file, i) => `export * as m${i} from ${JSON.stringify(file)};`)
        .join('\n'),
    );
    const sdkOnlyFile = join(outDir, `${name}-sdk-only`, 'index.mjs');
    await bundle(repoRoot, relative(repoRoot, sdkEntry), sdkOnlyFile, []);
    const {
      bundle: cold,
      sdkOnly: sdkOnlyColdImport,
      ratioInTurns,
    } = await pairedColdImports(withSdkFile, sdkOnlyFile);
    results[name] = {
      entry,
      deployed: deployed.stats,
      withSdk: withSdk.stats,
      coldImport: cold,
      coldImportSourceMaps: await coldImport(withSdkFile, ['--enable-source-maps']),
      sdkModules,
      sdkOnlyColdImport,
      coldImportOverSdk: cold.medianMs / sdkOnlyColdImport.medianMs,
      coldImportOverSdkInTurns: ratioInTurns,
    };
  }
  return results;
}
