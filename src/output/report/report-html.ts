/**
 * `--report FILE.html`: one self-contained page a responder can pass on. No script, no font, no image or style from
 * anywhere else: a Content-Security-Policy of `default-src 'none'` makes the browser refuse any request the page could
 * make, and every string from event data goes through htmlText (html-escape.ts).
 */
import type { JsonObject } from '../../language/json';
import type { ChainGraph } from '../graph/chain-graph';
import { collapsedNote } from '../graph/labels';
import { graphSvg, COLOURS } from './graph-svg';
import { htmlText } from './html-escape';
import { summaryHtml } from './summary-html';
import { timelineSvg } from './timeline-svg';

export interface ReportContent {
  readonly graph: ChainGraph;
  readonly summaryRows: readonly JsonObject[];
  /** The command line that produced the report, as typed. */
  readonly argv: readonly string[];
  readonly generatedAt: Date;
}

const STYLE = `
body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 24px; color: #111; background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.meta, .note { color: #444; font-size: 13px; margin: 2px 0; } .note { color: #8a4b00; }
code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; background: #f4f4f4; padding: 1px 4px; word-break: break-all; }
.scroll { overflow-x: auto; border: 1px solid #e4e4e4; border-radius: 4px; padding: 4px; }
.keys { font-size: 12px; color: #333; margin: 4px 0 8px; } .keys span { margin-right: 16px; white-space: nowrap; }
.swatch { display: inline-block; width: 22px; height: 0; border-top: 3px solid; vertical-align: middle; margin-right: 4px; }
table.summary { border-collapse: collapse; font-size: 12px; } table.summary th, table.summary td { border: 1px solid #ddd; padding: 3px 6px; vertical-align: top; text-align: left; }
table.summary th { background: #f0f3f8; } td.num { text-align: right; } td.time { white-space: nowrap; }
td ul { margin: 0; padding-left: 14px; } td .count { color: #555; } li.more { color: #555; list-style: none; }
dl.legend { font-size: 12px; display: grid; grid-template-columns: max-content auto; gap: 2px 10px; } dl.legend dt { font-weight: bold; } dl.legend dd { margin: 0; }
.empty { color: #555; font-style: italic; }
`;

export function reportHtml(content: ReportContent): string {
  const { graph } = content;
  const notes: string[] = [];
  const collapsed = collapsedNote(graph);
  if (collapsed !== null) notes.push(`${collapsed}.`);
  if (graph.unattributed > 0) notes.push(`${graph.unattributed} matched event(s) name no identity and are not drawn.`);
  const keys =
    `<span><span class="swatch" style="border-color:${COLOURS.hop}"></span>hop (AssumeRole, sign-in, federation…)</span>` +
    `<span><span class="swatch" style="border-color:${COLOURS.crossAccount}"></span>cross-account hop</span>` +
    `<span><span class="swatch" style="border-color:${COLOURS.ambiguous};border-top-style:dashed"></span>ambiguous: one of several possible creators</span>` +
    '<span>dashed grey box: a session with no matched events, on the way to one</span>';
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>ctq report</title>',
    `<style>${STYLE}</style></head><body>`,
    '<h1>ctq report</h1>',
    `<p class="meta">${graph.events} matched event(s) · ${graph.sessions.length} session node(s) · ${graph.hops.length} hop link(s) · generated ${htmlText(content.generatedAt.toISOString())}</p>`,
    `<p class="meta">Command: <code>${htmlText(['ctq', ...content.argv].map(shellWord).join(' '))}</code></p>`,
    ...notes.map((note) => `<p class="note">${htmlText(note)}</p>`),
    '<h2>Identity graph</h2>',
    `<div class="keys">${keys}</div>`,
    `<div class="scroll">${graphSvg(graph)}</div>`,
    '<h2>Timeline of sessions</h2>',
    '<p class="meta">One lane per session, earliest first; a dot per matched event (red: failed); arrows are hops from the creating session to the new one. Hover for details.</p>',
    `<div class="scroll">${timelineSvg(graph)}</div>`,
    '<h2>Calls by API</h2>',
    summaryHtml(content.summaryRows),
    '</body></html>',
    '',
  ].join('\n');
}

/** A command-line word as a shell would need it typed. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
