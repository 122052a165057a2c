import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type BuildOptions, type BuildResult, build, type Plugin } from 'esbuild';

/**
 * How every Lambda function is bundled — by CDK (`ServiceFunction`), by the bench and by the bundle
 * test, from this one place: Node.js 22 ESM, minified, a linked source map without sources, CommonJS
 * dependencies given a `require`, and the parts of dependencies we never call left out.
 *
 * We run esbuild ourselves instead of through `NodejsFunction` because its CLI cannot take a plugin, and
 * the plugin below is what keeps zod's 250 KiB of translated error messages out of every function.
 * (`z.compile`, which re-exports bring in the same way, stays: the data layer compiles record schemas.)
 */

/** ESM output still has to load CommonJS dependencies that call `require`: define it at the top. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __aftersalesCreateRequire } from 'node:module'; " +
  'const require = __aftersalesCreateRequire(import.meta.url);';

/** The Node.js 22 Lambda runtime ships the AWS SDK for JavaScript v3. */
export const RUNTIME_PROVIDED = ['@aws-sdk/*'];

/**
 * Modules of dependencies that a bundle must not carry. zod's schema classes refer to its JSON Schema
 * code, so tree shaking cannot drop it (15 KiB); the locales came in through zod's namespace object,
 * which is no longer built (`import * as z`, see biome.json) and stay listed in case it ever is again.
 * Nothing a function runs calls into them. Each is replaced by a module with the same export names
 * whose members throw if anything ever does call them: a mistake is loud, not silent.
 */
export const LEFT_OUT: readonly { module: string; why: string }[] = [
  {
    module: 'zod/v4/locales/index.js',
    why: "error messages in 40+ languages (`z.locales`); the API answers with its own codes, and zod's English default is imported separately",
  },
  { module: 'zod/v4/classic/from-json-schema.js', why: '`z.fromJSONSchema()`, which we do not use' },
  // zod's JSON Schema output: the OpenAPI document is generated at build time (openapi-document.ts), so
  // the Lambda never converts a schema. Reading a schema's `~standard` (Standard Schema, which nothing
  // we ship reads: the API validates with `safeParse`, packages/api/src/platform/route.ts) or its derived
  // `minLength`, `format`, `isInt` and the like would now throw.
  { module: 'zod/v4/core/to-json-schema.js', why: '`z.toJSONSchema()` and `.toJSONSchema()`' },
  { module: 'zod/v4/core/json-schema-processors.js', why: 'how each zod type becomes JSON Schema' },
  {
    module: 'zod/v4/core/json-schema-generator.js',
    why: '`JSONSchemaGenerator`, the older form of the same',
  },
];

const STUB_NAMESPACE = 'left-out';

/** The names a module exports, read from its text (enough for the plain ESM files listed above). */
export function exportedNames(source: string): string[] {
  const names = new Set<string>();
  for (const m of source.matchAll(
    /^export\s+(?:async\s+)?(?:const|let|var|function\*?|class)\s+([A-Za-z_$][\w$]*)/gm,
  ))
    names.add(m[1]!);
  for (const m of source.matchAll(/^export\s*\{([^}]*)\}/gm))
    for (const part of m[1]!.split(',')) {
      const name = part
        .trim()
        .split(/\s+as\s+/)
        .pop();
      if (name) names.add(name);
    }
  return [...names];
}

function stubOf(file: string, module: string): string {
  const names = exportedNames(readFileSync(file, 'utf8'));
  const lines = [
    `const leftOut = (name) => function () { throw new Error(name + ' of ${module} is left out of this bundle (infra/lib/bundling.ts)'); };`,
    ...names.map((n) => `export const ${n} = leftOut(${JSON.stringify(n)});`),
  ];
  return lines.join('\n');
}

/** Replaces each module of `LEFT_OUT` with a stub whose exports throw when called. */
export const leaveOutUnused: Plugin = {
  name: 'leave-out-unused',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (!args.importer.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const file = path.resolve(args.resolveDir, args.path);
      const hit = LEFT_OUT.find((x) => file.endsWith(`${path.sep}${x.module.split('/').join(path.sep)}`));
      return hit ? { path: file, namespace: STUB_NAMESPACE, pluginData: hit.module } : undefined;
    });
    b.onLoad({ filter: /.*/, namespace: STUB_NAMESPACE }, (args) => ({
      contents: stubOf(args.path, String(args.pluginData)),
      loader: 'js',
    }));
  },
};

/** The esbuild options of a function bundle (`external`: what the runtime provides). */
export function lambdaBuildOptions(opts: {
  entry: string;
  outfile: string;
  external?: string[];
  repoRoot: string;
}): BuildOptions & { metafile: true } {
  return {
    absWorkingDir: opts.repoRoot,
    entryPoints: [opts.entry],
    outfile: opts.outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    mainFields: ['module', 'main'],
    banner: { js: ESM_REQUIRE_BANNER },
    minify: true,
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'none',
    external: opts.external ?? RUNTIME_PROVIDED,
    plugins: [leaveOutUnused],
    metafile: true,
    logLevel: 'warning',
  };
}

/**
 * Files a function reads next to its bundle, made when it is bundled. The API serves /openapi.json from
 * one (functions/api/lambda.ts): generating it there would put the OpenAPI generator and zod's JSON
 * Schema code in the bundle and into every cold start.
 */
export const BESIDE_BUNDLE: Readonly<Record<string, () => Promise<Record<string, string>>>> = {
  'functions/api/lambda.ts': async () => {
    const { appOpenApiJson } = await import('@aftersales/api/openapi-document');
    return { 'openapi.json': appOpenApiJson() };
  },
};

/** Bundles one function entry (a file under `functions/`) to `outfile`, with its `BESIDE_BUNDLE` files. */
export async function bundleLambda(opts: {
  entry: string;
  outfile: string;
  external?: string[];
  repoRoot: string;
}): Promise<BuildResult<{ metafile: true }>> {
  const result = await build(lambdaBuildOptions(opts));
  if (result.errors.length > 0) throw new Error(`esbuild failed for ${opts.entry}`);
  // Keyed by the entry relative to the repository, however the caller spelled it.
  const entry = path
    .relative(opts.repoRoot, path.resolve(opts.repoRoot, opts.entry))
    .split(path.sep)
    .join('/');
  const files = (await BESIDE_BUNDLE[entry]?.()) ?? {};
  for (const [name, text] of Object.entries(files))
    writeFileSync(path.join(path.dirname(opts.outfile), name), text);
  return result;
}
