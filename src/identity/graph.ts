/**
 * The finished identity graph: answers per-event questions in the second pass. Holds sessions and
 * hop links only (see graph-builder.ts); events are looked at one by one and not kept.
 */
import type { JsonObject } from '../language/json';
import { chainKeys, chainSet, chainTargets } from './chain';
import { enrichmentOf } from './enrichment';
import type { GraphNode, SessionIndex } from './session-index';
import { formatSessionKey } from './session-key';
import { parseCloudTrailTime } from './creation-date';
import type { ChainKeysResult, ChainMatcherResult, Enrichment, SessionDescriptor, SessionKey } from './types';
import { describeIdentity } from './user-identity';
import { descriptorId } from './descriptor-id';
import { stringAt } from './json-access';

export interface IdentityGraph {
  /** The event's session as the graph resolved it (console sessions and key-less records joined). */
  sessionOf(event: JsonObject): SessionKey | null;
  chainMatcher(x: string): ChainMatcherResult;
  /** Never null: an event that names no identity gets `{session: null, chain: [], confidence: "none"}`. */
  enrichment(event: JsonObject): Enrichment;
  /** Ambiguity warnings, once each; they name key IDs and session keys, never credentials. */
  warnings(): readonly string[];
  /** The sessions, access keys, principals and hop event IDs of x's chain (for a LookupEvents crawl). */
  keysOfChain(x: string): ChainKeysResult;
}

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
   * The event's session(s). Its eventTime tells apart the sessions of a recycled key in a record
   * without creationDate; only such records pay for reading it (this runs for every event).
   */
  private resolve(event: JsonObject, descriptor: SessionDescriptor): GraphNode[] {
    if (descriptor.kind !== 'temporary' || descriptor.createdAt !== null) return this.index.resolve(descriptor);
    const time = stringAt(event, 'eventTime');
    return this.index.resolve(descriptor, time ? parseCloudTrailTime(time) : null);
  }

  private nodesOf(event: JsonObject): GraphNode[] | null {
    const descriptor = describeIdentity(event);
    return descriptor ? this.resolve(event, descriptor) : null;
  }

  sessionOf(event: JsonObject): SessionKey | null {
    const descriptor = describeIdentity(event);
    if (!descriptor) return null;
    const nodes = this.resolve(event, descriptor);
    // An event the first pass did not see still has the session its own record names.
    return nodes[0]?.key ?? formatSessionKey(descriptor);
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
    const descriptor = describeIdentity(event);
    if (!descriptor) return { session: null, chain: [], confidence: 'none' };
    if (descriptor.kind === 'temporary' && descriptor.createdAt === null) return this.enrichmentOf(event, descriptor);
    const id = descriptorId(descriptor);
    let enrichment = this.enrichments.get(id);
    if (enrichment === undefined) {
      enrichment = this.enrichmentOf(event, descriptor);
      if (this.enrichments.size >= MAX_REMEMBERED) this.enrichments.clear();
      this.enrichments.set(id, enrichment);
    }
    return enrichment;
  }

  private enrichmentOf(event: JsonObject, descriptor: SessionDescriptor): Enrichment {
    const enrichment = enrichmentOf(this.index, this.resolve(event, descriptor));
    if (enrichment) return enrichment;
    // Not seen by the first pass: the record's own session, with nothing known above it.
    const session = formatSessionKey(descriptor);
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
