/**
 * First pass: reads events one at a time and keeps only what the identity graph needs, never the
 * events. Memory grows with distinct sessions (one descriptor per distinct identity) and with hops
 * (their linking evidence and event IDs), not with the number of events.
 */
import type { JsonObject } from '../language/json';
import { finishGraph } from './graph-linking';
import type { IdentityGraph } from './graph';
import { hopOf, type Hop } from './hops';
import type { SessionDescriptor } from './types';
import { describeIdentity } from './user-identity';
import { descriptorId } from './descriptor-id';
import { EventIdentity } from './event-identity';

/**
 * What a stretch of events adds to the graph, as plain data: a scan worker gathers it from its chunk
 * and the builder on the main thread merges it, so the first pass runs on every core.
 */
export interface IdentityFacts {
  readonly descriptors: readonly SessionDescriptor[];
  readonly hops: readonly Hop[];
}

/**
 * The top-level members an event's facts are read from when its name is none in HOP_EVENT_NAMES:
 * hopOf then stops at the name, and describeIdentity reads the name only to tell a SwitchRole. An
 * object holding just these members of such an event gives the same facts as the whole event
 * (test/scan/identity-raw-read.test.ts checks it on every fixture).
 */
export const IDENTITY_MEMBERS = ['userIdentity', 'sessionCredentialFromConsole'] as const;

/** Gathers the facts of some events: each distinct identity once, every hop. */
export class IdentityFactsGatherer {
  private descriptors = new Map<string, SessionDescriptor>();
  private hops: Hop[] = [];

  /** `identity`: describes each event, shared with another reader of the same events (a one-pass scan's session references). */
  constructor(private readonly identity: EventIdentity = new EventIdentity()) {}

  add(event: JsonObject): void {
    const descriptor = this.identity.descriptor(event);
    if (descriptor) this.descriptors.set(this.identity.descriptorId(event)!, descriptor);
    const hop = hopOf(event);
    if (hop) this.hops.push(hop);
  }

  /** The facts gathered since the last call. */
  take(): IdentityFacts {
    const facts = { descriptors: [...this.descriptors.values()], hops: this.hops };
    this.descriptors = new Map();
    this.hops = [];
    return facts;
  }
}

export class IdentityGraphBuilder {
  private readonly descriptors = new Map<string, SessionDescriptor>();
  /** Copies of one hop share a `sharedEventID` (cross-account); others stand alone under their eventID. */
  private readonly hops = new Map<string, Hop[]>();

  add(event: JsonObject): void {
    const descriptor = describeIdentity(event);
    if (descriptor) this.addDescriptor(descriptor);
    const hop = hopOf(event);
    if (hop) this.addHop(hop);
  }

  /** Merges facts gathered elsewhere (a scan worker): the same graph as adding their events here. */
  addFacts(facts: IdentityFacts): void {
    for (const descriptor of facts.descriptors) this.addDescriptor(descriptor);
    for (const hop of facts.hops) this.addHop(hop);
  }

  private addDescriptor(descriptor: SessionDescriptor): void {
    this.descriptors.set(descriptorId(descriptor), descriptor);
  }

  private addHop(hop: Hop): void {
    const joinKey = hop.sharedEventId ? `shared:${hop.sharedEventId}` : `event:${hop.eventId}`;
    const copies = this.hops.get(joinKey) ?? [];
    // The same record read twice (overlapping inputs) is one copy.
    if (!copies.some((copy) => copy.eventId === hop.eventId)) copies.push(hop);
    this.hops.set(joinKey, copies);
  }

  /**
   * Everything merged so far, as plain data: a builder given these facts finishes the same graph.
   * Pass two's workers rebuild the graph from them (it holds closures and maps, not plain data).
   */
  facts(): IdentityFacts {
    return { descriptors: [...this.descriptors.values()], hops: [...this.hops.values()].flat() };
  }

  /** What the builder holds: grows with sessions and hops, not with events. */
  size(): { sessions: number; hops: number } {
    return { sessions: this.descriptors.size, hops: this.hops.size };
  }

  finish(): IdentityGraph {
    return finishGraph([...this.descriptors.values()], [...this.hops.values()]);
  }
}

/** The graph of a set of events already in hand (a LookupEvents crawl or window). */
export function graphOf(events: Iterable<JsonObject>): IdentityGraph {
  const builder = new IdentityGraphBuilder();
  for (const event of events) builder.add(event);
  return builder.finish();
}
