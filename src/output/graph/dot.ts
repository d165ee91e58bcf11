/**
 * `--format dot`: the identity graph as Graphviz DOT (https://graphviz.org/doc/info/lang.html), ready for
 * `dot -Tsvg`. Node IDs are ctq's own (`s1`, `s2`, …); every string from event data sits in a quoted label, already
 * terminal-safe (the DOT text may be printed on a terminal) and then DOT-escaped: `\` and `"` are escaped, so nothing in
 * the data can end a string or start a Graphviz escape such as `\N`.
 */
import { terminalSafe } from '../terminal-safe';
import type { ChainGraph } from './chain-graph';
import { collapsedNote, hopLines, sessionLines } from './labels';

const STYLE = {
  session: 'shape=box, style="rounded,filled", fillcolor="#eef3fb", color="#3b5b92"',
  ancestor: 'shape=box, style="rounded,dashed", color="#7a7a7a", fontcolor="#444444"',
  ambiguousSession: 'shape=box, style="rounded,filled,dashed", fillcolor="#fff1dc", color="#c46a00", penwidth=2',
  hop: 'color="#3b5b92"',
  crossAccount: 'color="#c0392b", fontcolor="#c0392b", penwidth=2.5',
  ambiguousHop: 'color="#c46a00", fontcolor="#c46a00", style=dashed, penwidth=2',
} as const;

/** A DOT quoted string of lines (centred, one `\n` each); the lines must already be terminal-safe. */
function quoted(lines: readonly string[]): string {
  return `"${lines.map((text) => text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')).join('\\n')}"`;
}

export function formatDot(graph: ChainGraph): string {
  const byKey = new Map(graph.sessions.map((session) => [session.key, session]));
  const title = [`ctq identity graph: ${graph.sessions.length} session node(s), ${graph.hops.length} hop link(s), ${graph.events} event(s)`];
  const collapsed = collapsedNote(graph);
  if (collapsed !== null) title.push(collapsed);
  if (graph.unattributed > 0) title.push(`${graph.unattributed} event(s) without a userIdentity are not drawn`);
  const out = [
    'digraph ctq {',
    `  graph [rankdir=LR, fontname="Helvetica", fontsize=12, labelloc=t, label=${quoted(title)}];`,
    '  node [fontname="Helvetica", fontsize=10];',
    '  edge [fontname="Helvetica", fontsize=9];',
  ];
  for (const session of graph.sessions) {
    const style = session.confidence === 'ambiguous' ? STYLE.ambiguousSession : session.events === 0 ? STYLE.ancestor : STYLE.session;
    out.push(`  ${session.id} [label=${quoted(sessionLines(session))}, tooltip=${quoted([terminalSafe(session.key)])}, ${style}];`);
  }
  for (const hop of graph.hops) {
    const from = byKey.get(hop.from)!;
    const to = byKey.get(hop.to)!;
    const style = hop.ambiguous ? STYLE.ambiguousHop : hop.crossAccount ? STYLE.crossAccount : STYLE.hop;
    const ids = [...hop.eventIds].sort();
    const tooltip = ids.length > 0 ? `, tooltip=${quoted([terminalSafe(`eventID ${ids.join(', ')}`)])}` : '';
    out.push(`  ${from.id} -> ${to.id} [label=${quoted(hopLines(hop, byKey))}${tooltip}, ${style}];`);
  }
  out.push('}');
  return out.join('\n') + '\n';
}
