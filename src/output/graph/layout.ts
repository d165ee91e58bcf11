/**
 * Positions for drawing the identity graph without Graphviz: sessions in columns by how many hops lie above them
 * (origins on the left), each column ordered by where its creators sit so that links cross little. Sizes are estimated
 * from the label text (a fixed average character width), which is enough for a box around a few short lines.
 */
import type { ChainGraph } from './chain-graph';

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface GraphLayout {
  readonly boxes: ReadonlyMap<string, Box>;
  readonly width: number;
  readonly height: number;
}

export const FONT_SIZE = 11;
export const LINE_HEIGHT = 14;
const CHAR_WIDTH = 6.4;
const BOLD_CHAR_WIDTH = 7.1;
const PAD = 8;
/** Room between columns: at least this, and enough for the widest link label. */
const COLUMN_GAP = 150;
const ROW_GAP = 22;
const MARGIN = 16;

/** The depth of every session: 0 for those without a creator, else one more than its deepest creator (cycles cut). */
function ranks(graph: ChainGraph): Map<string, number> {
  const parents = new Map<string, string[]>();
  for (const hop of graph.hops) parents.set(hop.to, [...(parents.get(hop.to) ?? []), hop.from]);
  const rank = new Map<string, number>();
  const visiting = new Set<string>();
  const rankOf = (key: string): number => {
    const known = rank.get(key);
    if (known !== undefined) return known;
    if (visiting.has(key)) return 0;
    visiting.add(key);
    const value = Math.max(-1, ...(parents.get(key) ?? []).map(rankOf)) + 1;
    visiting.delete(key);
    rank.set(key, value);
    return value;
  };
  for (const session of graph.sessions) rankOf(session.key);
  return rank;
}

export function layoutGraph(
  graph: ChainGraph,
  linesOf: (key: string) => readonly string[],
  hopLabelChars = 0,
): GraphLayout {
  const rank = ranks(graph);
  const gap = Math.max(COLUMN_GAP, Math.ceil(hopLabelChars * CHAR_WIDTH) + 40);
  const columns: string[][] = [];
  for (const session of graph.sessions) {
    const r = rank.get(session.key) ?? 0;
    (columns[r] ??= []).push(session.key);
  }
  const size = new Map(
    graph.sessions.map((session) => {
      const lines = linesOf(session.key);
      // The first line is bold, a little wider a character.
      const widest = Math.max(...lines.map((line, i) => [...line].length * (i === 0 ? BOLD_CHAR_WIDTH : CHAR_WIDTH)));
      const width = Math.ceil(widest) + 2 * PAD;
      return [session.key, { width, height: lines.length * LINE_HEIGHT + 2 * PAD }];
    }),
  );
  const parents = new Map<string, string[]>();
  for (const hop of graph.hops) parents.set(hop.to, [...(parents.get(hop.to) ?? []), hop.from]);

  const boxes = new Map<string, Box>();
  let x = MARGIN;
  let height = 0;
  for (const column of columns) {
    if (column === undefined) continue;
    // Barycentre of the creators' vertical centres; sessions without a placed creator keep their order, at the end.
    const centre = (key: string): number => {
      const placed = (parents.get(key) ?? []).map((p) => boxes.get(p)).filter((b): b is Box => b !== undefined);
      return placed.length === 0 ? Number.POSITIVE_INFINITY : placed.reduce((sum, b) => sum + b.y + b.height / 2, 0) / placed.length;
    };
    const ordered = column.map((key, i) => ({ key, i, c: centre(key) })).sort((a, b) => a.c - b.c || a.i - b.i);
    let y = MARGIN;
    const columnWidth = Math.max(...column.map((key) => size.get(key)!.width));
    for (const { key, c } of ordered) {
      const { width, height: h } = size.get(key)!;
      // Sit level with the creators when there is room below what is already placed.
      if (Number.isFinite(c)) y = Math.max(y, Math.round(c - h / 2));
      boxes.set(key, { x, y, width, height: h });
      y += h + ROW_GAP;
    }
    height = Math.max(height, y);
    x += columnWidth + gap;
  }
  return { boxes, width: Math.max(x - gap + MARGIN, 200), height: Math.max(height, 60) };
}
