/**
 * A reader for the DOT that ctq writes, independent of the writer: statements one a line, attributes as
 * `key=value` or `key="quoted"` with DOT's `\"` and `\\` escapes (https://graphviz.org/doc/info/lang.html).
 */
export interface DotNode {
  readonly id: string;
  readonly attrs: Readonly<Record<string, string>>;
}
export interface DotEdge {
  readonly from: string;
  readonly to: string;
  readonly attrs: Readonly<Record<string, string>>;
}
export interface DotGraph {
  readonly graphAttrs: Readonly<Record<string, string>>;
  readonly nodes: readonly DotNode[];
  readonly edges: readonly DotEdge[];
}

function parseAttrs(text: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    while (text[i] === ' ' || text[i] === ',') i++;
    if (i >= text.length) break;
    const eq = text.indexOf('=', i);
    if (eq < 0) throw new Error(`attribute without '=' at ${i}: ${text.slice(i)}`);
    const key = text.slice(i, eq).trim();
    i = eq + 1;
    let value = '';
    if (text[i] === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\') {
          const next = text[i + 1];
          value += next === 'n' ? '\n' : next === '"' ? '"' : next === '\\' ? '\\' : `\\${next}`;
          i += 2;
        } else {
          value += text[i++];
        }
      }
      if (text[i] !== '"') throw new Error(`unterminated string for ${key}`);
      i++;
    } else {
      const end = text.slice(i).search(/[ ,]/);
      value = end < 0 ? text.slice(i) : text.slice(i, i + end);
      i = end < 0 ? text.length : i + end;
    }
    attrs[key] = value;
  }
  return attrs;
}

export function parseDot(text: string): DotGraph {
  const lines = text.trimEnd().split('\n');
  if (lines[0] !== 'digraph ctq {' || lines.at(-1) !== '}') throw new Error('not a ctq digraph');
  let graphAttrs: Record<string, string> = {};
  const nodes: DotNode[] = [];
  const edges: DotEdge[] = [];
  for (const line of lines.slice(1, -1)) {
    const edge = /^ {2}(\w+) -> (\w+) \[(.*)\];$/.exec(line);
    const node = /^ {2}(\w+) \[(.*)\];$/.exec(line);
    if (edge) edges.push({ from: edge[1]!, to: edge[2]!, attrs: parseAttrs(edge[3]!) });
    else if (node && node[1] === 'graph') graphAttrs = parseAttrs(node[2]!);
    else if (node && (node[1] === 'node' || node[1] === 'edge')) continue;
    else if (node) nodes.push({ id: node[1]!, attrs: parseAttrs(node[2]!) });
    else throw new Error(`unexpected DOT line: ${line}`);
  }
  return { graphAttrs, nodes, edges };
}
