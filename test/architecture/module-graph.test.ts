import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The shape of the code, checked: no module of ours imports itself back at run time. A cycle makes a
 * module run before one it uses is initialised, depending on which is imported first (a capability's
 * declaration that used `TenantId` at its top level once failed at start-up that way). Type-only imports
 * are erased and do not count.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const SOURCE_ROOTS = ['packages', 'functions'];

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(path, out);
    else if (/\.tsx?$/.test(entry.name) && !/\.(test|d)\.ts$/.test(entry.name)) out.push(path);
  }
  return out;
}

/** The workspace packages whose sources are checked: each of `packages/*`, and `functions` (one package). */
function packageDirs(): string[] {
  const packages = readdirSync(join(ROOT, 'packages'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => join(ROOT, 'packages', d.name));
  return [...packages, join(ROOT, 'functions')];
}

/** `@aftersales/x[/sub]` → the file its package.json exports for it (`./*` patterns included). */
function workspaceExports(): (specifier: string) => string | undefined {
  const exact = new Map<string, string>();
  const patterns: { prefix: string; suffix: string; target: string }[] = [];
  for (const pkgDir of packageDirs()) {
    let pkg: { name?: string; exports?: Record<string, string> };
    try {
      pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
    } catch {
      continue;
    }
    for (const [sub, target] of Object.entries(pkg.exports ?? {})) {
      if (!pkg.name || typeof target !== 'string') continue;
      const specifier = sub === '.' ? pkg.name : `${pkg.name}/${sub.slice(2)}`;
      const [prefix, suffix] = specifier.split('*');
      if (suffix === undefined) exact.set(specifier, resolve(pkgDir, target));
      else patterns.push({ prefix: prefix!, suffix, target: resolve(pkgDir, target) });
    }
  }
  return (specifier) => {
    const found = exact.get(specifier);
    if (found) return found;
    for (const { prefix, suffix, target } of patterns)
      if (specifier.startsWith(prefix) && specifier.endsWith(suffix))
        return target.replace('*', specifier.slice(prefix.length, specifier.length - suffix.length));
    return undefined;
  };
}

/** Run-time imports and re-exports of a module (`import type` / `export type` are erased). */
export function runtimeSpecifiers(source: string): string[] {
  const specifiers: string[] = [];
  const statement =
    /^\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]/gm;
  for (const m of source.matchAll(statement)) {
    if (m[5]) specifiers.push(m[5]);
    else if (!m[2] && m[4]) specifiers.push(m[4]);
  }
  return specifiers;
}

function importGraph(): Map<string, string[]> {
  const exported = workspaceExports();
  const graph = new Map<string, string[]>();
  for (const file of SOURCE_ROOTS.flatMap((r) => sourceFiles(join(ROOT, r)))) {
    const targets = runtimeSpecifiers(readFileSync(file, 'utf8')).flatMap((spec) => {
      if (spec.startsWith('.')) return [resolve(dirname(file), spec)];
      const target = exported(spec);
      return target ? [target] : [];
    });
    graph.set(file, targets);
  }
  return graph;
}

/** Every cycle, each as the files along it (found by depth-first search). */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') found.push([...path.slice(path.indexOf(next)), next]);
      else if (!state.has(next) && graph.has(next)) visit(next);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return found;
}

describe('the module graph', () => {
  it('reads run-time imports and leaves type-only ones out', () => {
    const source = [
      "import * as z from 'zod';",
      "import type { Role } from './tenancy.ts';",
      "import { type A, b } from './b.ts';",
      "export type { C } from './c.ts';",
      "export * from './d.ts';",
      "import './side-effect.ts';",
    ].join('\n');
    expect(runtimeSpecifiers(source)).toEqual(['zod', './b.ts', './d.ts', './side-effect.ts']);
  });

  it('resolves workspace imports to files, the functions package’s `./*` pattern included', () => {
    // Act
    const exported = workspaceExports();
    // Assess
    expect(exported('@aftersales/functions/hq-projector/lambda')).toBe(
      join(ROOT, 'functions/hq-projector/lambda.ts'),
    );
    expect(exported('@aftersales/data')).toBe(join(ROOT, 'packages/data/src/index.ts'));
  });

  it('has no import cycle in any package or function', () => {
    // Prepare
    const graph = importGraph();
    // Act
    const found = cycles(graph).map((c) => c.map((f) => relative(ROOT, f)).join(' → '));
    // Assess
    expect(graph.size).toBeGreaterThan(50);
    expect(found).toEqual([]);
  });
});
