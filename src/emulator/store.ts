/**
 * The emulator's events: split by account, region and category like event history is
 * ("records events in the AWS Region where the event happened", per account), each partition
 * sorted newest first ("the events list is sorted by time, with the latest event listed first",
 * user guide `view-cloudtrail-events-cli`) and indexed by lookup attribute, so a page costs a
 * binary search and a walk over matching events only.
 */
import { attributeValues, type LookupAttribute, type LookupAttributeKey } from './lookup-attributes';
import type { EventCategory, LookupEvent } from './lookup-event';

export interface LookupQuery {
  readonly account: string;
  readonly region: string;
  readonly category: EventCategory;
  readonly attribute: LookupAttribute | null;
  /** Inclusive bounds in epoch milliseconds (API_LookupEvents: "after or at", "before or at"). */
  readonly startMs: number | null;
  readonly endMs: number | null;
}

export interface Page {
  readonly events: readonly LookupEvent[];
  /** Where the next page starts (the position of the next matching event), or null at the end. */
  readonly next: number | null;
}

export interface StoreSummary {
  readonly events: number;
  readonly duplicates: number;
  readonly accounts: readonly string[];
  readonly regions: readonly string[];
}

export class EventStore {
  readonly #partitions: ReadonlyMap<string, Partition>;
  readonly summary: StoreSummary;

  private constructor(partitions: ReadonlyMap<string, Partition>, summary: StoreSummary) {
    this.#partitions = partitions;
    this.summary = summary;
  }

  /** Sorts and indexes the events. A second event with an eventID already seen in its partition is dropped. */
  static build(events: Iterable<LookupEvent>): EventStore {
    const groups = new Map<string, Map<string, LookupEvent>>();
    const accounts = new Set<string>();
    const regions = new Set<string>();
    let count = 0;
    let duplicates = 0;
    for (const event of events) {
      const key = partitionKey(event.account, event.region, event.category);
      let group = groups.get(key);
      if (group === undefined) groups.set(key, (group = new Map()));
      if (group.has(event.eventId)) {
        duplicates += 1;
        continue;
      }
      group.set(event.eventId, event);
      accounts.add(event.account);
      regions.add(event.region);
      count += 1;
    }
    const partitions = new Map<string, Partition>();
    for (const [key, group] of groups) partitions.set(key, new Partition([...group.values()]));
    return new EventStore(partitions, {
      events: count,
      duplicates,
      accounts: [...accounts].sort(),
      regions: [...regions].sort(),
    });
  }

  /** Up to `maxResults` events matching `query`, starting at position `from` (0 for a first page). */
  page(query: LookupQuery, from: number, maxResults: number): Page {
    const partition = this.#partitions.get(partitionKey(query.account, query.region, query.category));
    return partition === undefined ? { events: [], next: null } : partition.page(query, from, maxResults);
  }
}

function partitionKey(account: string, region: string, category: EventCategory): string {
  return `${account}\u0000${region}\u0000${category}`;
}

class Partition {
  /** Newest first; equal times in eventID order, so pages are stable. */
  readonly #events: readonly LookupEvent[];
  /**
   * For each attribute key and value, the ascending positions of the events it finds. Built for a
   * key the first time a lookup uses it: most runs use one or two keys, and startup stays quick.
   */
  readonly #index = new Map<LookupAttributeKey, ReadonlyMap<string, readonly number[]>>();

  constructor(events: LookupEvent[]) {
    events.sort((a, b) => b.time - a.time || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
    this.#events = events;
  }

  #positions(attribute: LookupAttribute): readonly number[] {
    let byValue = this.#index.get(attribute.key);
    if (byValue === undefined) {
      const built = new Map<string, number[]>();
      this.#events.forEach((event, position) => {
        for (const value of attributeValues(attribute.key, event)) {
          const positions = built.get(value);
          if (positions === undefined) built.set(value, [position]);
          else positions.push(position);
        }
      });
      this.#index.set(attribute.key, (byValue = built));
    }
    return byValue.get(attribute.value) ?? [];
  }

  page(query: LookupQuery, from: number, maxResults: number): Page {
    const events = this.#events;
    const candidates = query.attribute === null ? null : this.#positions(query.attribute);
    const first = Math.max(from, query.endMs === null ? 0 : firstAtOrBefore(events, query.endMs));
    const inWindow = (position: number): boolean => query.startMs === null || events[position]!.time >= query.startMs;
    const total = candidates === null ? events.length : candidates.length;
    const positionAt = candidates === null ? (i: number) => i : (i: number) => candidates[i]!;
    const page: LookupEvent[] = [];
    let i = candidates === null ? first : lowerBound(candidates, first);
    for (; i < total && page.length < maxResults; i += 1) {
      const position = positionAt(i);
      if (!inWindow(position)) return { events: page, next: null };
      page.push(events[position]!);
    }
    const next = i < total && inWindow(positionAt(i)) ? positionAt(i) : null;
    return { events: page, next };
  }
}

/** The first position whose event is at or before `ms` (events are newest first). */
function firstAtOrBefore(events: readonly LookupEvent[], ms: number): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (events[middle]!.time > ms) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The first index of `sorted` (ascending) whose value is at least `value`. */
function lowerBound(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
