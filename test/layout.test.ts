import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

/** TypeScript files of the project, filled by importGraph (src and commands) and by the line-width test. */
const sources: string[] = [];

/** The project's own modules and what each imports (relative imports only), as paths from the repository root. */
function importGraph(): Map<string, string[]> {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(path.join(ROOT, dir))) {
      const rel = path.join(dir, name);
      if (statSync(path.join(ROOT, rel)).isDirectory()) walk(rel);
      else if (name.endsWith('.ts')) files.push(rel);
    }
  };
  walk('src');
  walk('commands');
  sources.push(...files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(path.join(ROOT, file), 'utf8');
    const targets = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/gu)].map((m) =>
      path.normalize(path.join(path.dirname(file), m[1]!)).replace(/\.js$/u, '.ts'),
    );
    graph.set(
      file,
      targets.filter((t) => t.endsWith('.ts')),
    );
  }
  return graph;
}

/** `src/index/build.ts` → `src/index`; a file at the top of src/ is its own unit; commands/ is one folder. */
const folderOf = (file: string): string =>
  file.split('/').length === 2 && file.startsWith('src/') ? file : path.dirname(file).split('/').slice(0, 2).join('/');

function findCycle(edges: ReadonlyMap<string, Iterable<string>>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | null => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      if (state.get(next) === 'open') return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of edges.keys()) {
    if (state.has(node)) continue;
    const found = visit(node);
    if (found) return found;
  }
  return null;
}

describe('the layout (docs/design.md)', () => {
  const graph = importGraph();

  it('imports another folder only through its index.ts', () => {
    const deep = [...graph].flatMap(([file, targets]) =>
      targets
        .filter((t) => folderOf(t) !== folderOf(file) && t.split('/').length > 2 && path.basename(t) !== 'index.ts')
        .map((t) => `${file} → ${t}`),
    );
    expect(deep).toEqual([]);
  });

  it('has no import cycle between files', () => {
    expect(findCycle(graph)).toBeNull();
  });

  it('has no import cycle between folders', () => {
    const folders = new Map<string, Set<string>>();
    for (const [file, targets] of graph) {
      const from = folderOf(file);
      if (!folders.has(from)) folders.set(from, new Set());
      for (const t of targets) if (folderOf(t) !== from) folders.get(from)!.add(folderOf(t));
    }
    expect(findCycle(folders)).toBeNull();
  });

  it('keeps every line of TypeScript within 120 characters (Biome wraps code; strings and comments are ours)', () => {
    const files = [...sources];
    const walk = (dir: string): void => {
      for (const name of readdirSync(path.join(ROOT, dir))) {
        const rel = path.join(dir, name);
        if (statSync(path.join(ROOT, rel)).isDirectory()) walk(rel);
        else if (name.endsWith('.ts') && !name.endsWith('.tmp.ts')) files.push(rel);
      }
    };
    for (const dir of ['test', 'bench', 'scripts']) walk(dir);
    const long = files.flatMap((file) =>
      readFileSync(path.join(ROOT, file), 'utf8')
        .split('\n')
        .flatMap((line, i) => ([...line].length > 120 ? [`${file}:${i + 1}`] : [])),
    );
    expect(long).toEqual([]);
  });
});
