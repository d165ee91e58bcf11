/**
 * The finished identity graph: answers per-event questions in the second pass. Holds sessions and
 * hop links only (see graph-builder.ts); events are looked at one by one and not kept.
 */
import type { JsonObject } from '../language/json';
import { chainKeys, chainSet, chainTargets } from './chain';
import { enrichmentOf } from './enrichment';
import type { GraphNode, SessionIndex } from './session-index';
import { formatSessionKey } from './session-key';
import type { ChainKeysResult, ChainMatcherResult, Enrichment, SessionKey } from './types';
import { sessionRefOf, type SessionRef } from './session-ref';
import { stringAt } from './json-access';
import { descriptorId } from './descriptor-id';

export interface IdentityGraph {
  /** The event's session as the graph resolved it (console sessions and key-less records joined). */
  sessionOf(event: JsonObject): SessionKey | null;
  /** `sessionOf` of an event with this reference (see session-ref.ts). */
  sessionOfRef(ref: SessionRef): SessionKey;
  chainMatcher(x: string): ChainMatcherResult;
  /** Never null: an event that names no identity gets `{session: null, chain: [], confidence: "none"}`. */
  enrichment(event: JsonObject): Enrichment;
  /** `enrichment` of an event with this reference. */
  enrichmentOfRef(ref: SessionRef): Enrichment;
  /** Ambiguity warnings, once each; they name key IDs and session keys, never credentials. */
  warnings(): readonly string[];
  /** The sessions, access keys, principals and hop event IDs of x's chain (for a LookupEvents crawl). */
  keysOfChain(x: string): ChainKeysResult;
}

/** The enrichment of an event that names no identity (`IdentityGraph.enrichment`). */
export const NO_IDENTITY_ENRICHMENT: Enrichment = Object.freeze({ session: null, chain: Object.freeze([] as const), confidence: 'none' });

/** Enrichments remembered per graph: one per distinct identity, which CloudTrail has few of. Past it, start over. */
const MAX_REMEMBERED = 100_000;

export class IdentityGraphImpl implements IdentityGraph {
  /**
   * Enrichments of identities whose session does not depend on the event's time, by descriptor:
   * pass two asks for one on every match, and most matches repeat an identity. The graph does not
   * change once built, and nothing changes an enrichment once made.
   */
  private readonly enrichments = new Map<string, Enrichment>();

  constructor(
    private readonly index: SessionIndex,
    private readonly warningList: readonly string[],
  ) {}

  /**
   * The session(s) of an event with this reference. Its eventTime (in the reference) tells apart the
   * sessions of a recycled key in a record without creationDate.
   */
  private resolve(ref: SessionRef): GraphNode[] {
    return this.index.resolve(ref.descriptor, ref.usedAt);
  }

  private nodesOf(event: JsonObject): GraphNode[] | null {
    const ref = sessionRefOf(event);
    return ref ? this.resolve(ref) : null;
  }

  sessionOf(event: JsonObject): SessionKey | null {
    const ref = sessionRefOf(event);
    return ref ? this.sessionOfRef(ref) : null;
  }

  sessionOfRef(ref: SessionRef): SessionKey {
    // An event the first pass did not see still has the session its own record names.
    return this.resolve(ref)[0]?.key ?? formatSessionKey(ref.descriptor);
  }

  chainMatcher(x: string): ChainMatcherResult {
    const found = chainTargets(this.index, x);
    if (!found.ok) return found;
    const set = chainSet(this.index, found.targets);
    const matches = (event: JsonObject): boolean => {
      const id = stringAt(event, 'eventID');
      if (id !== null && set.hopEventIds.has(id)) return true;
      return (this.nodesOf(event) ?? []).some((node) => set.sessions.has(node.key));
    };
    return { ok: true, matches, targets: set.targets };
  }

  enrichment(event: JsonObject): Enrichment {
    const ref = sessionRefOf(event);
    return ref ? this.enrichmentOfRef(ref) : NO_IDENTITY_ENRICHMENT;
  }

  enrichmentOfRef(ref: SessionRef): Enrichment {
    const { descriptor } = ref;
    if (descriptor.kind === 'temporary' && descriptor.createdAt === null) return this.enrichmentAt(ref);
    const id = descriptorId(descriptor);
    let enrichment = this.enrichments.get(id);
    if (enrichment === undefined) {
      enrichment = this.enrichmentAt(ref);
      if (this.enrichments.size >= MAX_REMEMBERED) this.enrichments.clear();
      this.enrichments.set(id, enrichment);
    }
    return enrichment;
  }

  private enrichmentAt(ref: SessionRef): Enrichment {
    const enrichment = enrichmentOf(this.index, this.resolve(ref));
    if (enrichment) return enrichment;
    // Not seen by the first pass: the record's own session, with nothing known above it.
    const session = formatSessionKey(ref.descriptor);
    return { session, chain: [{ session, via: null }], confidence: 'high' };
  }

  warnings(): readonly string[] {
    return this.warningList;
  }

  keysOfChain(x: string): ChainKeysResult {
    const found = chainTargets(this.index, x);
    if (!found.ok) return found;
    return { ok: true, keys: chainKeys(this.index, chainSet(this.index, found.targets)) };
  }
}
