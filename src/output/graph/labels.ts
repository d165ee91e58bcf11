/**
 * The words on a picture of the identity graph, shared by the DOT and SVG drawings. Every line is terminal-safe text
 * (controls and bidi marks written as visible escapes, see terminal-safe.ts) cut to a readable length; the drawing
 * adds its own escaping (DOT quotes, HTML entities) on top.
 */
import { fitToWidth } from '../terminal-safe';
import type { ChainGraph, GraphHop, GraphSession } from './chain-graph';

/** Longest label line, in characters. */
const LINE = 56;

/** `arn:aws:sts::1111:assumed-role/Admin/alice` → `assumed-role/Admin/alice` (the account is said on its own line). */
export function resourcePart(principal: string): string {
  const match = /^arn:[^:]+:[^:]+:[^:]*:[^:]*:(.+)$/.exec(principal);
  return match ? match[1]! : principal;
}

function line(text: string, cutAt: 'start' | 'middle' | 'end' = 'middle'): string {
  return fitToWidth(text, LINE, cutAt);
}

/** Time span `2024-05-01T10:00:00Z – 10:05:00Z` (the date once when both ends share it). */
export function spanText(first: string | null, last: string | null): string {
  if (first === null || last === null) return first ?? last ?? '';
  if (first === last) return first;
  return first.slice(0, 11) === last.slice(0, 11) ? `${first} – ${last.slice(11)}` : `${first} – ${last}`;
}

export function sessionTitle(session: GraphSession): string {
  return line(resourcePart(session.parts.principal), 'start');
}

/** What the picture says when sessions were collapsed; null when each session has its own box. */
export function collapsedNote(graph: ChainGraph): string | null {
  if (graph.collapsed === null) return null;
  const { sessionsBefore, boxes, by } = graph.collapsed;
  return `${sessionsBefore} sessions drawn as ${boxes} boxes, one per ${by === 'role' ? 'principal or role' : 'principal'}, to stay readable (a narrower query draws each session)`;
}

/** The lines of a session's node: who, account and type, credential and creation, where from, how much, when, trust. */
export function sessionLines(session: GraphSession): string[] {
  const { parts } = session;
  const lines = [sessionTitle(session)];
  lines.push(line([parts.tag, parts.account ? `account ${parts.account}` : null].filter((x) => x !== null).join(' · ')));
  if (parts.issuer !== null) lines.push(line(`issued by ${resourcePart(parts.issuer)}`, 'start'));
  if (session.sessions > 1) {
    lines.push(line(`${session.sessions} sessions (collapsed)`));
  } else if (parts.credential !== null) {
    const credential = parts.credential === 'console' ? 'console session' : parts.credential === '?' ? 'key not recorded' : `key ${parts.credential}`;
    const created = parts.createdAt !== null ? ` · created ${parts.createdAt}` : '';
    lines.push(line(credential + created));
  }
  if (session.sourceIPs.size > 0) {
    const more = session.moreIPs > 0 ? ` +${session.moreIPs}` : '';
    lines.push(line(`from ${[...session.sourceIPs].join(', ')}${more}`, 'end'));
  }
  lines.push(
    session.events === 0
      ? 'no matched events (on the way to one)'
      : line(`${session.events} event${session.events === 1 ? '' : 's'} · ${spanText(session.firstSeen?.text ?? null, session.lastSeen?.text ?? null)}`),
  );
  if (session.confidence === 'ambiguous') {
    const also = session.alternatives.size > 0 ? ` (records may also be ${session.alternatives.size} other session(s))` : '';
    lines.push(line(`confidence: ambiguous${also}`));
  } else {
    lines.push('confidence: high');
  }
  return lines;
}

/** The lines on a hop link: event name and time, cross-account, ambiguity. */
export function hopLines(hop: GraphHop, sessionsByKey: ReadonlyMap<string, GraphSession>): string[] {
  const lines = [line(hop.eventName ?? (hop.eventIds.size > 0 ? 'hop' : 'possible creator'))];
  if (hop.time !== null) lines.push(hop.time.text);
  if (hop.count > 1) lines.push(`${hop.count} hops`);
  if (hop.crossAccount) {
    const from = sessionsByKey.get(hop.from)?.parts.account ?? '?';
    const to = sessionsByKey.get(hop.to)?.parts.account ?? '?';
    lines.push(`cross-account ${from} → ${to}`);
  }
  if (hop.ambiguous) lines.push('ambiguous');
  return lines;
}
