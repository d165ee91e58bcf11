/**
 * The one-way rule of README's Layout section, checked on the source itself: every relative import
 * between `src/` folders is an edge, and the folder graph must have no cycle, nothing may import
 * `cli/`, and `language/` (with the other pure modules) may import nothing of Node or AWS.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(__dirname, '../../src');

/**
 * Folders that must stay pure: no file system, no network, no AWS SDK. (`selection/` is not among
 * them: it reads one service's page of the IAM reference data lazily, when an exact action needs it.)
 */
const PURE = ['language', 'athena-sql', 'time'];

/** What the pure folders may import besides each other: `selection/` reads only reference data shipped in a package. */
const PURE_MAY_IMPORT = [...PURE, 'selection'];

interface Import {
  readonly file: string;
  readonly specifier: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(name) ? [path] : [];
  });
}

/** Static and dynamic imports and re-exports, type-only ones included: a type import is a dependency too. */
function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const found: Import[] = [];
  const pattern = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s*['"]([^'"]+)['"]/gm;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    found.push({ file, specifier: (m[1] ?? m[2] ?? m[3])! });
  }
  return found;
}

/** The top-level folder under src/ a file belongs to (`index.ts` at the top is the library entry point, `.`). */
function folderOf(path: string): string {
  const rel = relative(SRC, path);
  if (rel.includes(sep)) return rel.split(sep)[0]!;
  // `../identity` names a folder's index; `./index` or `./index.ts` is the top-level entry point.
  return existsAsFolder(join(SRC, rel)) ? rel : '.';
}

function existsAsFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function folderGraph(): Map<string, Map<string, string[]>> {
  const graph = new Map<string, Map<string, string[]>>();
  for (const file of sourceFiles(SRC)) {
    const from = folderOf(file);
    const edges = graph.get(from) ?? new Map<string, string[]>();
    graph.set(from, edges);
    for (const { specifier } of importsOf(file)) {
      if (!specifier.startsWith('.')) continue;
      const to = folderOf(resolve(dirname(file), specifier));
      if (to === from) continue;
      edges.set(to, [...(edges.get(to) ?? []), `${relative(SRC, file)} → ${specifier}`]);
    }
  }
  return graph;
}

/** Every cycle's folders, found by depth-first search with an explicit path. */
function cycles(graph: Map<string, Map<string, string[]>>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node)?.keys() ?? []) {
      if (state.get(next) === 'open') found.push([...path.slice(path.indexOf(next)), next]);
      else if (state.get(next) === undefined) visit(next);
    }
    path.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (state.get(node) === undefined) visit(node);
  return found;
}

describe('dependencies between src/ folders', () => {
  const graph = folderGraph();

  it('finds the folders and their imports (the check below is not vacuous)', () => {
    expect(graph.get('cli')?.has('query')).toBe(true);
    expect(graph.has('language')).toBe(true);
  });

  it('has no cycle between folders', () => {
    const described = cycles(graph).map((cycle) =>
      cycle
        .slice(1)
        .map((to, i) => `${cycle[i]} → ${to} (${graph.get(cycle[i]!)!.get(to)![0]})`)
        .join('; '),
    );
    expect(described).toEqual([]);
  });

  it('lets nothing below cli/ import cli/', () => {
    const offenders = [...graph].flatMap(([from, edges]) => (from === 'cli' ? [] : (edges.get('cli') ?? [])));
    expect(offenders).toEqual([]);
  });

  it('keeps the pure folders free of Node built-ins, the AWS SDK and the impure folders', () => {
    const offenders: string[] = [];
    for (const folder of PURE) {
      const dir = join(SRC, folder);
      let files: string[];
      try {
        files = sourceFiles(dir);
      } catch {
        continue; // a pure folder that does not exist (yet) has nothing to check
      }
      for (const { file, specifier } of files.flatMap(importsOf)) {
        const impureFolder = specifier.startsWith('.') && !PURE_MAY_IMPORT.includes(folderOf(resolve(dirname(file), specifier))) && folderOf(resolve(dirname(file), specifier)) !== folder;
        if (/^(node:|fs$|path$|os$|child_process$|worker_threads$|net$|http)/.test(specifier) || specifier.startsWith('@aws-sdk/') || impureFolder) {
          offenders.push(`${relative(SRC, file)} imports ${specifier}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });
});
