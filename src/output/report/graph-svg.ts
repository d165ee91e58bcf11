/**
 * The identity graph drawn as inline SVG for the HTML report: the same nodes, links, words and colours as the DOT
 * output (graph/dot.ts), laid out by graph/layout.ts, so the report needs neither Graphviz nor a script.
 */
import type { ChainGraph, GraphHop } from '../graph/chain-graph';
import { hopLines, sessionLines } from '../graph/labels';
import { FONT_SIZE, LINE_HEIGHT, layoutGraph, type Box } from '../graph/layout';
import { escapeHtml, htmlText } from './html-escape';

export const COLOURS = { hop: '#3b5b92', crossAccount: '#c0392b', ambiguous: '#c46a00' } as const;

export function hopColour(hop: GraphHop): string {
  return hop.ambiguous ? COLOURS.ambiguous : hop.crossAccount ? COLOURS.crossAccount : COLOURS.hop;
}

/** Lines of safe text as `<text>` rows, the first bold. */
export function textRows(lines: readonly string[], x: number, y: number, anchor: 'start' | 'middle', colour: string, halo = false): string {
  const rows = lines.map((line, i) => `<tspan x="${x}" dy="${i === 0 ? 0 : LINE_HEIGHT}"${i === 0 ? ' font-weight="bold"' : ''}>${escapeHtml(line)}</tspan>`);
  // A white halo keeps a label readable where it crosses a line.
  const outline = halo ? ' stroke="#ffffff" stroke-width="3" paint-order="stroke"' : '';
  return `<text x="${x}" y="${y}" text-anchor="${anchor}" fill="${colour}" font-size="${FONT_SIZE}"${outline}>${rows.join('')}</text>`;
}

export function graphSvg(graph: ChainGraph): string {
  if (graph.sessions.length === 0) return '<p class="empty">No matched event names an identity.</p>';
  const lines = new Map(graph.sessions.map((session) => [session.key, sessionLines(session)]));
  const byKey = new Map(graph.sessions.map((session) => [session.key, session]));
  const hopLabels = new Map(graph.hops.map((hop) => [hop, hopLines(hop, byKey)]));
  const widestLabel = Math.max(0, ...[...hopLabels.values()].flat().map((line) => [...line].length));
  const layout = layoutGraph(graph, (key) => lines.get(key) ?? [], widestLabel);
  const parts: string[] = [];
  parts.push(
    '<defs>',
    ...Object.entries(COLOURS).map(
      ([name, colour]) =>
        `<marker id="arrow-${name}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${colour}"/></marker>`,
    ),
    '</defs>',
  );
  for (const hop of graph.hops) {
    const from = layout.boxes.get(hop.from);
    const to = layout.boxes.get(hop.to);
    if (from === undefined || to === undefined) continue;
    parts.push(hopSvg(hop, from, to, hopLabels.get(hop)!));
  }
  for (const session of graph.sessions) {
    const box = layout.boxes.get(session.key)!;
    const ambiguous = session.confidence === 'ambiguous';
    const ancestor = session.events === 0;
    const fill = ambiguous ? '#fff1dc' : ancestor ? '#ffffff' : '#eef3fb';
    const stroke = ambiguous ? COLOURS.ambiguous : ancestor ? '#7a7a7a' : COLOURS.hop;
    const dash = ambiguous || ancestor ? ' stroke-dasharray="5 3"' : '';
    parts.push(
      `<g class="session" id="node-${session.id}"><title>${htmlText(session.key)}</title>` +
        `<rect x="${box.x}" y="${box.y}" width="${box.width}" height="${box.height}" rx="6" fill="${fill}" stroke="${stroke}" stroke-width="${ambiguous ? 2 : 1}"${dash}/>` +
        textRows(lines.get(session.key)!, box.x + box.width / 2, box.y + 8 + FONT_SIZE, 'middle', ancestor ? '#444444' : '#111111') +
        '</g>',
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" class="graph" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" role="img" aria-label="identity graph">${parts.join('')}</svg>`;
}

function hopSvg(hop: GraphHop, from: Box, to: Box, labelLines: readonly string[]): string {
  const colour = hopColour(hop);
  const name = hop.ambiguous ? 'ambiguous' : hop.crossAccount ? 'crossAccount' : 'hop';
  const x1 = from.x + from.width;
  const y1 = from.y + from.height / 2;
  const x2 = to.x;
  const y2 = to.y + to.height / 2;
  const bend = Math.max(40, (x2 - x1) / 2);
  const path = `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`;
  const dash = hop.ambiguous ? ' stroke-dasharray="6 4"' : '';
  const width = hop.crossAccount ? 2.5 : hop.ambiguous ? 2 : 1.3;
  const ids = [...hop.eventIds].sort();
  const title = ids.length > 0 ? `<title>${htmlText(`eventID ${ids.join(', ')}`)}</title>` : '';
  const labelY = (y1 + y2) / 2 - (labelLines.length * LINE_HEIGHT) / 2;
  return (
    `<g class="hop">${title}<path d="${path}" fill="none" stroke="${colour}" stroke-width="${width}"${dash} marker-end="url(#arrow-${name})"/>` +
    textRows(labelLines, (x1 + x2) / 2, labelY, 'middle', colour, true) +
    '</g>'
  );
}
