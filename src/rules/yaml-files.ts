/**
 * Rule files on disk: a YAML file, or a directory walked for `.yml`/`.yaml` files (sorted, so runs are
 * repeatable), parsed with node positions so every problem can name `file:line:column`.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isScalar, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import type { SourcePosition } from './rule';
import { ruleProblem, type RuleProblem } from './problems';

export interface YamlFile {
  readonly path: string;
  readonly text: string;
  readonly documents: readonly Document.Parsed[];
  readonly lines: LineCounter;
}

export type YamlFilesResult = { readonly ok: true; readonly files: readonly YamlFile[]; readonly problems: readonly RuleProblem[] } | { readonly ok: false; readonly message: string };

/** Reads and parses every rule file under `path`. A file that is not YAML is a problem, not a stop. */
export async function readYamlFiles(path: string): Promise<YamlFilesResult> {
  let paths: string[];
  try {
    paths = (await stat(path)).isDirectory() ? await yamlFilesUnder(path) : [path];
  } catch (error) {
    return { ok: false, message: `${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (error as Error).message}` };
  }
  if (paths.length === 0) return { ok: false, message: `${path}: no .yml or .yaml files in this directory` };
  const files: YamlFile[] = [];
  const problems: RuleProblem[] = [];
  for (const file of paths) {
    const parsed = parseYamlText(file, await readFile(file, 'utf8'));
    const broken = parsed.documents.flatMap((doc) => doc.errors);
    if (broken.length > 0) {
      for (const error of broken) problems.push(ruleProblem(positionAt(parsed, error.pos[0]), null, `not valid YAML: ${firstLine(error.message)}`));
      continue;
    }
    files.push(parsed);
  }
  return { ok: true, files, problems };
}

/** Parses YAML text keeping node positions; errors are left on the documents for the caller. */
export function parseYamlText(path: string, text: string): YamlFile {
  const lines = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false });
  return { path, text, documents: Array.isArray(documents) ? documents : [], lines };
}

async function yamlFilesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await yamlFilesUnder(full)));
    else if (/\.ya?ml$/i.test(entry.name)) out.push(full);
  }
  return out;
}

export function positionAt(file: Pick<YamlFile, 'path' | 'lines'>, offset: number): SourcePosition {
  const { line, col } = file.lines.linePos(offset);
  return { file: file.path, line, column: col };
}

export function positionOf(file: Pick<YamlFile, 'path' | 'lines'>, node: Node | null | undefined): SourcePosition {
  return positionAt(file, node?.range?.[0] ?? 0);
}

/**
 * Maps an offset inside a scalar's value to its place in the file. Plain and quoted scalars on one
 * line start at the node (after the quote); block scalars (`|`, `>`) start on the lines after the
 * indicator, so each line of the value is found in the source in turn. A value line that does not
 * occur verbatim (escapes in a quoted scalar) maps to the start of the scalar.
 */
export function scalarOffsetMapper(file: YamlFile, node: Node): (offset: number) => SourcePosition {
  const start = node.range?.[0] ?? 0;
  if (!isScalar(node) || typeof node.value !== 'string') return () => positionAt(file, start);
  const value = node.value;
  const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
  if (node.type === 'PLAIN' || (quoted && !value.includes('\n'))) {
    const begin = start + (quoted ? 1 : 0);
    const verbatim = file.text.startsWith(value, begin);
    return (offset) => positionAt(file, verbatim ? begin + offset : start);
  }
  const lineStarts: { valueOffset: number; sourceOffset: number }[] = [];
  let from = start;
  let valueOffset = 0;
  for (const line of value.split('\n')) {
    const found = line === '' ? -1 : file.text.indexOf(line, from);
    if (found >= 0) {
      lineStarts.push({ valueOffset, sourceOffset: found });
      from = found + line.length;
    }
    valueOffset += line.length + 1;
  }
  return (offset) => {
    let best: { valueOffset: number; sourceOffset: number } | undefined;
    for (const entry of lineStarts) if (entry.valueOffset <= offset) best = entry;
    return positionAt(file, best === undefined ? start : best.sourceOffset + (offset - best.valueOffset));
  };
}

function firstLine(text: string): string {
  return text.split('\n')[0]!;
}
