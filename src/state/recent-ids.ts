/**
 * The eventIDs already emitted whose eventTime is still inside the overlap window, so that a window
 * that re-reads the overlap (or a file read whole again) does not print the same event twice.
 *
 * Bounded twice: each ID is kept as a fixed-length digest, and the count is capped. When the cap is
 * hit the entries with the oldest eventTime go first (they are the least likely to come back), and
 * `add` says so, because an evicted ID can be printed again.
 */
import { createHash } from 'node:crypto';

export const DEFAULT_RECENT_CAP = 200_000;

/**
 * 16 hex characters = the first 64 bits of SHA-1(eventID). Hashing every ID, not only UUIDs, keeps the
 * digest uniform whatever the ID looks like (CloudTrail documents eventID as a GUID, but NDJSON from
 * elsewhere may carry anything).
 *
 * Collision odds: a false "already emitted" would drop an event. For a lookup against n stored
 * digests the chance is n / 2^64; with the full cap (n = 200,000) that is about 1.1e-14 per event, so
 * a run of a million events has about a 1e-8 chance of dropping one. Among the stored set itself the
 * birthday bound n^2 / 2^65 is about 1.1e-9, and such a pair only merges two entries.
 */
export const DIGEST_HEX_LENGTH = 16;

export function eventIdDigest(eventId: string): string {
  return createHash('sha1').update(eventId).digest('hex').slice(0, DIGEST_HEX_LENGTH);
}

export type AddOutcome =
  | { readonly kind: 'added' }
  /** The ID was already there: the event was emitted before, so the caller should not emit it again. */
  | { readonly kind: 'present' }
  /**
   * The ID was added (or, if it was itself the oldest, dropped at once) and the cap pushed out the
   * entry with the oldest eventTime: that event can be emitted again if a later window returns it.
   */
  | { readonly kind: 'evicted'; readonly evictedTimeMs: number };

/** The compact form kept in the state file: digests concatenated, times ascending and delta-coded. */
export interface SerialisedRecentIds {
  /** `DIGEST_HEX_LENGTH` hex characters per entry, no separators, in the order of `t`. */
  readonly d: string;
  /** eventTime in epoch ms: the first absolute, each following one as the (non-negative) difference to the previous. */
  readonly t: readonly number[];
  /** `coveredFromMs`, `null` while it is minus infinity (nothing pruned yet). */
  readonly f: number | null;
}

export type RecentIdsParse =
  | { readonly ok: true; readonly recent: RecentIds; /** entries dropped because they exceeded the cap */ readonly evicted: number }
  | { readonly ok: false; readonly message: string };

export class RecentIds {
  readonly cap: number;
  /** digest → eventTime (ms). */
  readonly #times = new Map<string, number>();
  /** Min-heap on eventTime with lazy deletion: an entry is live only while `#times` still holds the same time. */
  readonly #heap = new TimeHeap();
  #coveredFromMs = -Infinity;

  constructor(cap: number = DEFAULT_RECENT_CAP) {
    if (!Number.isInteger(cap) || cap < 1) throw new RangeError(`recent-ID cap must be a positive integer, got ${cap}`);
    this.cap = cap;
  }

  get size(): number {
    return this.#times.size;
  }

  /**
   * Every event emitted with an eventTime at or after this is in the set (unless the cap evicted it):
   * the latest time pruned to. A window must not reach back before it, or it would emit again what
   * was already pruned; see `nextWindow`.
   */
  get coveredFromMs(): number {
    return this.#coveredFromMs;
  }

  has(eventId: string): boolean {
    return this.#times.has(eventIdDigest(eventId));
  }

  add(eventId: string, timeMs: number): AddOutcome {
    return this.#addDigest(eventIdDigest(eventId), timeMs);
  }

  /** Forgets every ID whose eventTime is before `olderThanMs`; returns how many went. */
  prune(olderThanMs: number): number {
    this.#coveredFromMs = Math.max(this.#coveredFromMs, olderThanMs);
    let removed = 0;
    for (;;) {
      const oldest = this.#oldestLive();
      if (oldest === null || oldest.timeMs >= olderThanMs) return removed;
      this.#heap.pop();
      this.#times.delete(oldest.digest);
      removed++;
    }
  }

  toJSON(): SerialisedRecentIds {
    const entries = [...this.#times].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    let previous = 0;
    const t = entries.map(([, time], index) => {
      const coded = index === 0 ? time : time - previous;
      previous = time;
      return coded;
    });
    const f = this.#coveredFromMs === -Infinity ? null : this.#coveredFromMs;
    return { d: entries.map(([digest]) => digest).join(''), t, f };
  }

  static fromJSON(value: unknown, cap: number = DEFAULT_RECENT_CAP): RecentIdsParse {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return { ok: false, message: 'the recent-ID set is not an object' };
    }
    const { d, t, f } = value as { d?: unknown; t?: unknown; f?: unknown };
    if (typeof d !== 'string' || !Array.isArray(t)) return { ok: false, message: 'the recent-ID set lacks its "d" string or "t" array' };
    if (f !== null && (typeof f !== 'number' || !Number.isFinite(f))) return { ok: false, message: 'the recent-ID set has a bad "f" (covered-from time)' };
    if (d.length !== t.length * DIGEST_HEX_LENGTH) {
      return { ok: false, message: `the recent-ID set holds ${d.length} digest characters for ${t.length} times` };
    }
    if (!/^[0-9a-f]*$/.test(d)) return { ok: false, message: 'the recent-ID set holds a digest that is not lower-case hex' };
    const recent = new RecentIds(cap);
    recent.#coveredFromMs = f ?? -Infinity;
    let evicted = 0;
    let time = 0;
    for (let index = 0; index < t.length; index++) {
      const coded = t[index];
      if (typeof coded !== 'number' || !Number.isSafeInteger(coded) || (index > 0 && coded < 0)) {
        return { ok: false, message: `the recent-ID set has a bad time at entry ${index + 1}` };
      }
      time = index === 0 ? coded : time + coded;
      const digest = d.slice(index * DIGEST_HEX_LENGTH, (index + 1) * DIGEST_HEX_LENGTH);
      if (recent.#addDigest(digest, time).kind === 'evicted') evicted++;
    }
    return { ok: true, recent, evicted };
  }

  #addDigest(digest: string, timeMs: number): AddOutcome {
    const known = this.#times.get(digest);
    if (known !== undefined) {
      // The same event seen again with a later time (it should not happen: eventTime is fixed) keeps
      // the later time, so it stays until the later of the two leaves the window.
      if (timeMs > known) {
        this.#times.set(digest, timeMs);
        this.#heap.push(timeMs, digest);
      }
      return { kind: 'present' };
    }
    if (this.#times.size < this.cap) {
      this.#times.set(digest, timeMs);
      this.#heap.push(timeMs, digest);
      return { kind: 'added' };
    }
    const oldest = this.#oldestLive();
    if (oldest === null || timeMs <= oldest.timeMs) {
      // The newcomer is the oldest of all: it is the one that goes (never stored).
      return { kind: 'evicted', evictedTimeMs: timeMs };
    }
    this.#heap.pop();
    this.#times.delete(oldest.digest);
    this.#times.set(digest, timeMs);
    this.#heap.push(timeMs, digest);
    return { kind: 'evicted', evictedTimeMs: oldest.timeMs };
  }

  /** The live entry with the oldest time, left at the top of the heap; stale heap entries are dropped on the way. */
  #oldestLive(): { timeMs: number; digest: string } | null {
    for (;;) {
      const top = this.#heap.peek();
      if (top === null) return null;
      if (this.#times.get(top.digest) === top.timeMs) return top;
      this.#heap.pop();
    }
  }
}

/** A binary min-heap of (time, digest); ties keep no particular order. */
class TimeHeap {
  readonly #times: number[] = [];
  readonly #digests: string[] = [];

  peek(): { timeMs: number; digest: string } | null {
    const timeMs = this.#times[0];
    const digest = this.#digests[0];
    return timeMs === undefined || digest === undefined ? null : { timeMs, digest };
  }

  push(timeMs: number, digest: string): void {
    this.#times.push(timeMs);
    this.#digests.push(digest);
    let index = this.#times.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (this.#times[parent]! <= timeMs) break;
      this.#swap(index, parent);
      index = parent;
    }
  }

  pop(): void {
    const last = this.#times.length - 1;
    if (last < 0) return;
    this.#swap(0, last);
    this.#times.pop();
    this.#digests.pop();
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (left < last && this.#times[left]! < this.#times[smallest]!) smallest = left;
      if (right < last && this.#times[right]! < this.#times[smallest]!) smallest = right;
      if (smallest === index) return;
      this.#swap(index, smallest);
      index = smallest;
    }
  }

  #swap(a: number, b: number): void {
    const times = this.#times;
    const digests = this.#digests;
    [times[a], times[b]] = [times[b]!, times[a]!];
    [digests[a], digests[b]] = [digests[b]!, digests[a]!];
  }
}
