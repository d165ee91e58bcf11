/**
 * The identity graph of the matched events, as a picture needs it: one node per session that did something (or that
 * stands on the way to one), one link per hop. Built as events stream past from each event's enrichment (the identity
 * module's `_ctq` answer: session, chain, confidence); what is kept grows with sessions and hops, plus a bounded number
 * of event marks per session for the timeline, never with the events themselves.
 */
import { CREATION_TOLERANCE_SECONDS, type Enrichment } from '../../identity';
import type { JsonObject } from '../../language/json';
import { instantOf } from '../../language/ordering';
import { sessionKeyParts, type SessionKeyParts } from './session-key-parts';

/** Past this many sessions the picture collapses the sessions of one principal into one node, and says so. */
export const GRAPH_SESSION_LIMIT = 60;
/** Event marks kept per session for the timeline; later events are counted, not drawn. */
export const MARKS_PER_SESSION = 400;
const IPS_PER_SESSION = 8;
/** Hop events whose name and time label a link are remembered by eventID, up to this many. */
const HOP_LABELS = 100_000;

export interface EventMark {
  readonly ms: number;
  readonly time: string;
  readonly eventName: string;
  readonly failed: boolean;
}

export interface GraphSession {
  /**
   * A stable node ID for DOT and SVG (`s1`, `s2`, …): numbered by when the session was first seen, not by
   * when its first event arrived, so the picture of the same events is the same from files and from
   * LookupEvents (whose regions answer in any order).
   */
  readonly id: string;
  /** The session key (grammar/identity.md); for a collapsed node, `<tag>:<principal>`. */
  readonly key: string;
  readonly parts: SessionKeyParts;
  /** Matched events of this session (0 for a session that only stands on the way to one). */
  events: number;
  firstSeen: { readonly ms: number; readonly text: string } | null;
  lastSeen: { readonly ms: number; readonly text: string } | null;
  readonly sourceIPs: Set<string>;
  /** Distinct source IPs not kept past the cap. */
  moreIPs: number;
  confidence: 'high' | 'ambiguous';
  /** Other sessions the same records may belong to (an ambiguous key-less record). */
  readonly alternatives: Set<string>;
  /** How many sessions this node stands for: more than 1 once collapsed. */
  sessions: number;
  readonly marks: EventMark[];
  marksDropped: number;
}

export interface GraphHop {
  readonly from: string;
  readonly to: string;
  /** The hop event IDs (`via` in the enrichment); empty for a creator known only as an ambiguous candidate. */
  readonly eventIds: Set<string>;
  eventName: string | null;
  time: { readonly ms: number; readonly text: string } | null;
  readonly crossAccount: boolean;
  /** Another session may have been the creator: the attribution is not certain. */
  ambiguous: boolean;
  /** Hops this link stands for (more than 1 once sessions are collapsed). */
  count: number;
}

export interface ChainGraph {
  readonly sessions: readonly GraphSession[];
  readonly hops: readonly GraphHop[];
  /** Matched events drawn, and those without any identity (no `userIdentity`). */
  readonly events: number;
  readonly unattributed: number;
  /** Set when sessions were collapsed by principal to keep the picture readable. */
  readonly collapsed: { readonly sessionsBefore: number; readonly boxes: number; readonly by: 'principal' | 'role' } | null;
}

const HOP_SOURCES = new Set(['sts.amazonaws.com', 'signin.amazonaws.com']);

export class ChainGraphBuilder {
  private readonly sessions = new Map<string, GraphSession>();
  private readonly hops = new Map<string, GraphHop>();
  private readonly hopLabels = new Map<string, { eventName: string; time: string }>();
  /** Hop-like events (STS, sign-in) by the session that made them: names the hop of an ambiguous candidate creator. */
  private readonly hopsBySession = new Map<string, string[]>();
  private events = 0;
  private unattributed = 0;

  /** `enrichment`: the identity graph's answer for the event (null: no graph, or no identity). */
  add(event: JsonObject, enrichment: Enrichment | null): void {
    const eventId = typeof event['eventID'] === 'string' ? event['eventID'] : null;
    const hopLike = eventId !== null && HOP_SOURCES.has(String(event['eventSource'])) && this.hopLabels.size < HOP_LABELS;
    if (hopLike) this.hopLabels.set(eventId, { eventName: String(event['eventName'] ?? ''), time: String(event['eventTime'] ?? '') });
    // An event with no identity at all (confidence "none") belongs to no session node.
    if (enrichment === null || enrichment.session === null) {
      this.unattributed++;
      return;
    }
    if (hopLike) {
      const made = this.hopsBySession.get(enrichment.session);
      if (made === undefined) this.hopsBySession.set(enrichment.session, [eventId]);
      else made.push(eventId);
    }
    this.events++;
    const session = this.session(enrichment.session);
    recordEvent(session, event);
    const chain = enrichment.chain;
    for (let i = 1; i < chain.length; i++) {
      const from = chain[i - 1]!.session;
      this.session(from);
      this.hop(from, chain[i]!.session, chain[i]!.via);
    }
    if (enrichment.confidence !== 'ambiguous') return;
    session.confidence = 'ambiguous';
    const candidates = enrichment.candidates ?? [];
    if (candidates.includes(enrichment.session)) {
      // The record itself may belong to any of these sessions.
      for (const other of candidates) if (other !== enrichment.session) session.alternatives.add(other);
      return;
    }
    // The session has several possible creators: every one is drawn, none is chosen.
    const parent = chain.length > 1 ? chain[chain.length - 2]!.session : null;
    for (const candidate of candidates) {
      this.session(candidate);
      this.hop(candidate, enrichment.session, candidate === parent ? chain[chain.length - 1]!.via : null).ambiguous = true;
    }
  }

  finish(limit = GRAPH_SESSION_LIMIT): ChainGraph {
    for (const hop of this.hops.values()) {
      if (hop.eventIds.size === 0) {
        const candidateHop = this.hopNear(hop.from, this.sessions.get(hop.to)?.parts.createdAt ?? null);
        if (candidateHop !== null) hop.eventIds.add(candidateHop);
      }
      for (const id of hop.eventIds) {
        const label = this.hopLabels.get(id);
        if (label === undefined) continue;
        hop.eventName ??= label.eventName;
        const ms = instantOf(label.time);
        if (hop.time === null && !Number.isNaN(ms)) hop.time = { ms, text: label.time };
      }
      // A hop not among the matched events is still dated: the new session's creation time is the hop's (identity.md).
      const created = this.sessions.get(hop.to)?.parts.createdAt;
      if (hop.time === null && created && created !== '?') hop.time = { ms: instantOf(created), text: created };
    }
    const sessions = inCanonicalOrder([...this.sessions.values()]);
    const order = new Map(sessions.map((session, i) => [session.key, i]));
    const graph: ChainGraph = {
      sessions,
      hops: [...this.hops.values()].sort((a, b) => order.get(a.from)! - order.get(b.from)! || order.get(a.to)! - order.get(b.to)!),
      events: this.events,
      unattributed: this.unattributed,
      collapsed: null,
    };
    if (graph.sessions.length <= limit) return graph;
    const byPrincipal = collapse(graph, 'principal', (parts) => `${parts.tag}:${parts.principal}`);
    // Still too many: one box per role (instance-profile and Lambda sessions are named per instance or function).
    return byPrincipal.sessions.length <= limit ? byPrincipal : collapse(byPrincipal, 'role', (parts) => `${parts.tag}:${roleOf(parts.principal)}`);
  }

  /** The matched hop event of `session` within the creation tolerance of `created` (grammar/identity.md), if any. */
  private hopNear(session: string, created: string | null): string | null {
    const createdMs = created === null ? NaN : instantOf(created);
    if (Number.isNaN(createdMs)) return null;
    let best: { id: string; distance: number } | null = null;
    for (const id of this.hopsBySession.get(session) ?? []) {
      const distance = Math.abs(instantOf(this.hopLabels.get(id)?.time ?? '') - createdMs);
      if (distance <= CREATION_TOLERANCE_SECONDS * 1000 && (best === null || distance < best.distance)) best = { id, distance };
    }
    return best?.id ?? null;
  }

  private session(key: string): GraphSession {
    let session = this.sessions.get(key);
    if (session === undefined) {
      session = newSession(`s${this.sessions.size + 1}`, key, sessionKeyParts(key));
      this.sessions.set(key, session);
    }
    return session;
  }

  private hop(from: string, to: string, via: string | null): GraphHop {
    const id = JSON.stringify([from, to]);
    let hop = this.hops.get(id);
    if (hop === undefined) {
      const a = this.sessions.get(from)?.parts.account ?? null;
      const b = this.sessions.get(to)?.parts.account ?? sessionKeyParts(to).account;
      hop = { from, to, eventIds: new Set(), eventName: null, time: null, crossAccount: a !== null && b !== null && a !== b, ambiguous: false, count: 1 };
      this.hops.set(id, hop);
    }
    if (via !== null) hop.eventIds.add(via);
    return hop;
  }
}

/**
 * The sessions numbered `s1`, `s2`, … in the order of their first matched event (a session that only stands
 * on the way to one: its creation time), then by key: an order that does not depend on the order events came in.
 */
function inCanonicalOrder(sessions: readonly GraphSession[]): GraphSession[] {
  const when = (session: GraphSession) => session.firstSeen?.ms ?? timeOf(session.parts.createdAt);
  return [...sessions]
    .sort((a, b) => when(a) - when(b) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((session, i) => ({ ...session, id: `s${i + 1}` }));
}

function timeOf(text: string | null): number {
  const ms = text === null ? NaN : instantOf(text);
  return Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms;
}

function newSession(id: string, key: string, parts: SessionKeyParts): GraphSession {
  return {
    id,
    key,
    parts,
    events: 0,
    firstSeen: null,
    lastSeen: null,
    sourceIPs: new Set(),
    moreIPs: 0,
    confidence: 'high',
    alternatives: new Set(),
    sessions: 1,
    marks: [],
    marksDropped: 0,
  };
}

function recordEvent(session: GraphSession, event: JsonObject): void {
  session.events++;
  const time = typeof event['eventTime'] === 'string' ? event['eventTime'] : null;
  const ms = time === null ? NaN : instantOf(time);
  if (time !== null && !Number.isNaN(ms)) {
    if (session.firstSeen === null || ms < session.firstSeen.ms) session.firstSeen = { ms, text: time };
    if (session.lastSeen === null || ms > session.lastSeen.ms) session.lastSeen = { ms, text: time };
    if (session.marks.length < MARKS_PER_SESSION) {
      const failed = typeof event['errorCode'] === 'string' && event['errorCode'] !== '';
      session.marks.push({ ms, time, eventName: String(event['eventName'] ?? ''), failed });
    } else {
      session.marksDropped++;
    }
  }
  const ip = event['sourceIPAddress'];
  if (typeof ip === 'string' && ip !== '' && !session.sourceIPs.has(ip)) {
    if (session.sourceIPs.size < IPS_PER_SESSION) session.sourceIPs.add(ip);
    else session.moreIPs++;
  }
}

/** `arn:aws:sts::1111:assumed-role/Role/session` → `arn:aws:sts::1111:assumed-role/Role`; other principals as they are. */
function roleOf(principal: string): string {
  return /^(arn:[^:]+:sts::\d*:assumed-role\/[^/]+)\/.+$/.exec(principal)?.[1] ?? principal;
}

/**
 * One node per group (`<tag>:<principal>`, or per role), links merged; links inside one group are left out. The
 * sessions before the first collapse are what the title counts.
 */
function collapse(graph: ChainGraph, by: 'principal' | 'role', groupKey: (parts: SessionKeyParts) => string): ChainGraph {
  const groups = new Map<string, GraphSession>();
  const groupOf = new Map<string, GraphSession>();
  for (const session of graph.sessions) {
    const key = groupKey(session.parts);
    let group = groups.get(key);
    if (group === undefined) {
      const parts = { ...session.parts, principal: key.slice(session.parts.tag.length + 1), issuer: null, createdAt: null, credential: null };
      group = { ...newSession(`s${groups.size + 1}`, key, parts), sessions: 0 };
      groups.set(key, group);
    }
    mergeInto(group, session);
    groupOf.set(session.key, group);
  }
  const hops = new Map<string, GraphHop>();
  for (const hop of graph.hops) {
    const from = groupOf.get(hop.from)!.key;
    const to = groupOf.get(hop.to)!.key;
    if (from === to) continue;
    const id = JSON.stringify([from, to]);
    const merged = hops.get(id);
    if (merged === undefined) {
      hops.set(id, { ...hop, from, to, eventIds: new Set(hop.eventIds) });
      continue;
    }
    for (const eventId of hop.eventIds) merged.eventIds.add(eventId);
    merged.count += hop.count;
    merged.ambiguous ||= hop.ambiguous;
    if (hop.time !== null && (merged.time === null || hop.time.ms < merged.time.ms)) {
      merged.time = hop.time;
      merged.eventName = hop.eventName;
    }
  }
  return {
    ...graph,
    sessions: [...groups.values()],
    hops: [...hops.values()],
    collapsed: { sessionsBefore: graph.collapsed?.sessionsBefore ?? graph.sessions.length, boxes: groups.size, by },
  };
}

function mergeInto(group: GraphSession, session: GraphSession): void {
  group.sessions += session.sessions;
  group.events += session.events;
  if (session.firstSeen && (group.firstSeen === null || session.firstSeen.ms < group.firstSeen.ms)) group.firstSeen = session.firstSeen;
  if (session.lastSeen && (group.lastSeen === null || session.lastSeen.ms > group.lastSeen.ms)) group.lastSeen = session.lastSeen;
  for (const ip of session.sourceIPs) {
    if (group.sourceIPs.has(ip)) continue;
    if (group.sourceIPs.size < IPS_PER_SESSION) group.sourceIPs.add(ip);
    else group.moreIPs++;
  }
  group.moreIPs += session.moreIPs;
  if (session.confidence === 'ambiguous') group.confidence = 'ambiguous';
  for (const mark of session.marks) {
    if (group.marks.length < MARKS_PER_SESSION) group.marks.push(mark);
    else group.marksDropped++;
  }
  group.marksDropped += session.marksDropped;
}
