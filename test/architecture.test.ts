/**
 * The layering the README describes, enforced: which folder of src/ may
 * import which. Content flows one way (content -> render -> live -> server),
 * the content pipeline knows nothing of HTTP or the file layout of the
 * project, and only the configuration module reads the environment.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/paths.js';

const SRC = path.join(PROJECT_ROOT, 'src');

/** For each layer, the layers it may import (besides itself). */
const ALLOWED: Record<string, readonly string[]> = {
  'paths.ts': [],
  'logger.ts': [],
  config: ['paths.ts'],
  content: [],
  store: ['content'],
  render: ['content', 'paths.ts'],
  search: ['content', 'render'],
  parallel: ['content', 'render', 'paths.ts'],
  live: ['content', 'render', 'store', 'logger.ts'],
  server: ['content', 'render', 'live', 'store', 'search', 'config', 'logger.ts', 'paths.ts'],
  editor: ['content', 'render', 'live', 'store', 'server', 'config', 'logger.ts', 'paths.ts'],
  deploy: ['content', 'render', 'search', 'server', 'paths.ts'],
  pdf: ['content'],
  cli: ['*'],
};

/** The only modules deploy/ may take from server/: the rules a static host must reproduce. */
const DEPLOY_FROM_SERVER = new Set([
  'server/securityHeaders.ts',
  'server/respond.ts',
  'server/download.ts',
  'server/redirects.ts',
]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sourceFiles(path.join(dir, d.name)) : d.name.endsWith('.ts') ? [path.join(dir, d.name)] : [],
  );
}

function layerOf(file: string): string {
  const relative = path.relative(SRC, file).split(path.sep);
  return relative.length === 1 ? relative[0]! : relative[0]!;
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(
    /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'|(?:^|\n)\s*import\s+'([^']+)'/g,
  )) {
    const spec = m[1] ?? m[2]!;
    if (spec.startsWith('.')) found.push(path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts'));
  }
  return found;
}

describe('architecture', () => {
  const files = sourceFiles(SRC);

  it('finds the source', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(new Set(files.map(layerOf))).toEqual(
      new Set(Object.keys(ALLOWED).filter((l) => l !== 'search' || files.some((f) => layerOf(f) === 'search'))),
    );
  });

  it('imports only across the layers the README allows', () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = layerOf(file);
      const allowed = ALLOWED[from];
      if (!allowed) {
        violations.push(`${path.relative(SRC, file)} is in no known layer`);
        continue;
      }
      for (const target of importsOf(file)) {
        const to = layerOf(target);
        const relativeTarget = path.relative(SRC, target).split(path.sep).join('/');
        if (to === from || allowed.includes('*') || allowed.includes(to)) {
          if (from === 'deploy' && to === 'server' && !DEPLOY_FROM_SERVER.has(relativeTarget)) {
            violations.push(
              `${path.relative(SRC, file)} imports ${relativeTarget}: the export takes ` +
                `only header and caching rules from server/`,
            );
          }
          continue;
        }
        violations.push(`${path.relative(SRC, file)} (${from}) imports ${relativeTarget} (${to})`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('has no import cycles between modules', () => {
    const graph = new Map(files.map((f) => [f, importsOf(f).filter((t) => files.includes(t))]));
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (file: string, trail: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'visiting') {
        cycles.push([...trail.slice(trail.indexOf(file)), file].map((f) => path.relative(SRC, f)).join(' -> '));
        return;
      }
      state.set(file, 'visiting');
      for (const next of graph.get(file) ?? []) visit(next, [...trail, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it('reads the environment only in the configuration module and the command runner that hands it over', () => {
    const readers = files
      .filter((f) => /process\.env\b/.test(readFileSync(f, 'utf8')))
      .map((f) => path.relative(SRC, f));
    expect(readers.sort()).toEqual(['cli/runCommand.ts']);
  });

  it(
    'keeps no state at module level in the content pipeline: no module-level ' +
      'let, and no empty Map, Set or WeakMap to fill',
    () => {
      const offenders: string[] = [];
      for (const file of files.filter((f) => ['content', 'render', 'store', 'search'].includes(layerOf(f)))) {
        const lines = readFileSync(file, 'utf8').split('\n');
        lines.forEach((line, i) => {
          if (
            /^(?:export )?let /.test(line) ||
            /^(?:export )?const \w+(?:: [^=]+)? = new (?:Weak)?(?:Map|Set)(?:<[^>]*>)?\(\)/.test(line)
          ) {
            offenders.push(`${path.relative(SRC, file)}:${i + 1}: ${line.trim()}`);
          }
        });
      }
      expect(offenders).toEqual([]);
    },
  );
});
