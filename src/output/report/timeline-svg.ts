/**
 * The sessions on a time axis for the HTML report: one lane per session (earliest first), each matched event a mark
 * (red when it failed), each hop an arrow from the creator's lane to the new session's lane at the hop's time.
 */
import type { ChainGraph, GraphSession } from '../graph/chain-graph';
import { hopLines, resourcePart } from '../graph/labels';
import { fitToWidth } from '../terminal-safe';
import { instantOf } from '../../language/ordering';
import { FONT_SIZE } from '../graph/layout';
import { htmlText, escapeHtml } from './html-escape';
import { hopColour } from './graph-svg';

const LABEL_WIDTH = 340;
const PLOT_WIDTH = 880;
const LANE = 26;
const TOP = 34;
const TICKS = 6;

function sessionStart(session: GraphSession): number {
  if (session.firstSeen !== null) return session.firstSeen.ms;
  const created = session.parts.createdAt === null ? NaN : instantOf(session.parts.createdAt);
  return Number.isNaN(created) ? Number.POSITIVE_INFINITY : created;
}

/** Who, and which credential: one principal often has several sessions (a key, a console sign-in, another day). */
function laneLabel(session: GraphSession): string {
  const { credential } = session.parts;
  const which = session.sessions > 1 ? `${session.sessions} sessions` : credential === null || credential === '?' ? '' : credential;
  return fitToWidth(resourcePart(session.parts.principal), which === '' ? 46 : 26, 'start') + (which === '' ? '' : `  ${which}`);
}

export function timelineSvg(graph: ChainGraph): string {
  const lanes = [...graph.sessions].sort((a, b) => sessionStart(a) - sessionStart(b) || a.id.localeCompare(b.id));
  const times = [
    ...lanes.flatMap((session) => session.marks.map((mark) => mark.ms)),
    ...graph.hops.flatMap((hop) => (hop.time === null ? [] : [hop.time.ms])),
  ].filter((ms) => Number.isFinite(ms));
  if (lanes.length === 0 || times.length === 0) return '<p class="empty">No dated events to place on a timeline.</p>';
  let min = Math.min(...times);
  let max = Math.max(...times);
  if (max - min < 60_000) {
    min -= 30_000;
    max += 30_000;
  }
  const span = max - min;
  const xOf = (ms: number): number => LABEL_WIDTH + 10 + ((ms - min) / span) * (PLOT_WIDTH - 20);
  const laneOf = new Map(lanes.map((session, i) => [session.key, i]));
  const yOf = (i: number): number => TOP + i * LANE + LANE / 2;
  const height = TOP + lanes.length * LANE + 10;
  const width = LABEL_WIDTH + PLOT_WIDTH;
  const parts: string[] = [];

  for (let t = 0; t <= TICKS; t++) {
    const ms = min + (span * t) / TICKS;
    const x = xOf(ms);
    const text = new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    parts.push(
      `<line x1="${x}" y1="${TOP - 6}" x2="${x}" y2="${height - 6}" stroke="#e2e2e2"/>` +
        `<text x="${x}" y="${TOP - 12}" text-anchor="middle" font-size="${FONT_SIZE - 1}" fill="#555555">${text}</text>`,
    );
  }
  lanes.forEach((session, i) => {
    const y = yOf(i);
    const dropped = session.marksDropped > 0 ? ` (+${session.marksDropped} not drawn)` : '';
    parts.push(
      `<g class="lane"><title>${htmlText(session.key)}</title>` +
        `<rect x="0" y="${y - LANE / 2}" width="${width}" height="${LANE}" fill="${i % 2 === 0 ? '#fafafa' : '#ffffff'}"/>` +
        `<text x="6" y="${y + 4}" font-size="${FONT_SIZE}" fill="#111111">${escapeHtml(laneLabel(session))}${htmlText(dropped)}</text></g>`,
    );
    for (const mark of session.marks) {
      parts.push(
        `<circle class="event" cx="${xOf(mark.ms).toFixed(1)}" cy="${y}" r="3.5" fill="${mark.failed ? '#c0392b' : '#3b5b92'}">` +
          `<title>${htmlText(`${mark.eventName} ${mark.time}${mark.failed ? ' (failed)' : ''}`)}</title></circle>`,
      );
    }
  });
  const byKey = new Map(graph.sessions.map((session) => [session.key, session]));
  for (const hop of graph.hops) {
    const a = laneOf.get(hop.from);
    const b = laneOf.get(hop.to);
    if (hop.time === null || a === undefined || b === undefined) continue;
    const x = xOf(hop.time.ms);
    const colour = hopColour(hop);
    const dash = hop.ambiguous ? ' stroke-dasharray="4 3"' : '';
    parts.push(
      `<g class="hop-link"><title>${escapeHtml(hopLines(hop, byKey).join(' · '))}</title>` +
        `<line x1="${x}" y1="${yOf(a)}" x2="${x}" y2="${yOf(b) + (b > a ? -5 : 5)}" stroke="${colour}" stroke-width="1.8"${dash} marker-end="url(#tl-arrow)"/></g>`,
    );
  }
  const defs =
    '<defs><marker id="tl-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">' +
    '<path d="M0,0 L10,5 L0,10 z" fill="#555555"/></marker></defs>';
  return `<svg xmlns="http://www.w3.org/2000/svg" class="timeline" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="session timeline">${defs}${parts.join('')}</svg>`;
}
