/**
 * Counting per key over a sliding window of event time. A key fires when at least `threshold` events
 * (or distinct values) fall within `windowMs` of each other; it then starts again from nothing, so a
 * burst gives one alert, not one per event past the threshold.
 *
 * Events may arrive out of time order: LookupEvents returns newest first, and trail files, even read
 * in delivery order (local and S3 inputs under thresholds), hold events from before their delivery.
 * So a key keeps the entries within `windowMs + slackMs` of its latest arrival, in either direction,
 * sorted by time, and fires when some span of one window holds `threshold` of them. An event that
 * arrives up to `slackMs` after one of its key with a later time (or, newest first, an earlier time)
 * still finds the entries of every window it falls in; a stream in time order fires as it always did
 * (only the reach of what a key keeps grew). Which events an alert names can depend on arrival order
 * when a key fires again within minutes: firing starts the key afresh.
 *
 * Memory is bounded by the active keys: a key holds fewer than `threshold` entries per window within
 * its reach (else it fires), and a key not added to for a while whose events are out of reach of the
 * latest event is dropped.
 */

/**
 * How far out of time order trail events may arrive when their files are read in delivery order. A
 * file delivered at T "can contain records written at any point before that time" (file name format,
 * cloudtrail-log-file-examples.md); CloudTrail "publishes log files multiple times an hour, about
 * every 5 minutes" and "typically delivers logs within an average of about 5 minutes of an API call.
 * This time is not guaranteed" (get-and-view-cloudtrail-log-files.md; the figure was 15 minutes
 * before 2023). So an event can reach us after events up to a delivery delay later than it: ctq
 * allows 15 minutes, three times the documented average and the older documented figure.
 */
export const DELIVERY_SLACK_MS = 15 * 60_000;

export interface WindowEntry {
  readonly ms: number;
  readonly eventID: string | null;
  /** With a distinct count: the value counted (as JSON text). */
  readonly value?: string;
}

export interface WindowHit {
  readonly key: string;
  readonly entries: readonly WindowEntry[];
  /** Events counted (or distinct values). */
  readonly count: number;
}

export interface WindowState {
  readonly keys: readonly { readonly key: string; readonly entries: readonly WindowEntry[] }[];
  readonly newestMs: number;
}

/**
 * A key's entries, sorted by time. Those before `head` are out of reach and no longer counted: they are
 * left behind a moving head, and copied away once they are half the array, so that an in-order arrival
 * costs `threshold` steps rather than a copy of everything the key keeps (a window plus the slack).
 */
interface KeyEntries {
  readonly entries: WindowEntry[];
  head: number;
  seq: number;
}

export class SlidingWindows {
  private readonly keys = new Map<string, KeyEntries>();
  private newestMs = -Infinity;
  private latestMs = -Infinity;
  private seq = 0;
  private addsSinceSweep = 0;

  /** How far from an arrival entries are kept: a window, and the lateness tolerated. */
  private readonly reachMs: number;

  constructor(
    private readonly threshold: number,
    private readonly windowMs: number,
    private readonly distinct: boolean,
    slackMs = DELIVERY_SLACK_MS,
  ) {
    this.reachMs = windowMs + slackMs;
  }

  get activeKeys(): number {
    return this.keys.size;
  }

  /** Adds one event under `key`; returns the hit when the key reaches the threshold. */
  add(key: string, entry: WindowEntry): WindowHit | null {
    if (entry.ms > this.newestMs) this.newestMs = entry.ms;
    this.latestMs = entry.ms;
    this.seq++;
    if (++this.addsSinceSweep >= SWEEP_EVERY) this.sweep();
    let state = this.keys.get(key);
    if (state === undefined) {
      state = { entries: [], head: 0, seq: this.seq };
      this.keys.set(key, state);
    }
    state.seq = this.seq;
    const entries = state.entries;
    if (this.distinct && entry.value !== undefined) {
      // One entry per value, the one nearest in time: a value seen again is still one value.
      for (let i = state.head; i < entries.length; i++) {
        if (entries[i]!.value !== entry.value) continue;
        entries.splice(i, 1);
        break;
      }
    }
    // After the entries not later than it (arrivals are mostly in order: looked for from the end).
    let at = entries.length;
    while (at > state.head && entries[at - 1]!.ms > entry.ms) at--;
    entries.splice(at, 0, entry);
    // Keep what is within reach of this arrival, either side: a later arrival up to the slack late still
    // finds its window. Both loops stop at the new entry at the latest.
    let from = state.head;
    while (entries[from]!.ms < entry.ms - this.reachMs) from++;
    let to = entries.length;
    while (entries[to - 1]!.ms > entry.ms + this.reachMs) to--;
    entries.length = to;
    state.head = from;
    const hit = firstFullSpanWith(entries, from, at, this.threshold, this.windowMs);
    if (hit !== null) {
      this.keys.delete(key);
      return { key, entries: hit, count: hit.length };
    }
    if (from > 0 && 2 * from >= entries.length) {
      entries.splice(0, from);
      state.head = 0;
    }
    return null;
  }

  /** Drops keys that were not added to lately and whose events are all out of reach of the latest. */
  sweep(): void {
    this.addsSinceSweep = 0;
    for (const [key, state] of this.keys) {
      if (state.seq > this.seq - SWEEP_EVERY) continue;
      const first = state.entries[state.head];
      const last = state.entries[state.entries.length - 1];
      if (first === undefined || last === undefined || last.ms < this.latestMs - this.reachMs || first.ms > this.latestMs + this.reachMs) this.keys.delete(key);
    }
  }

  /** The open windows: keys with an entry within reach of the newest event seen (the next run's files may be late too). */
  save(): WindowState {
    const keys: { key: string; entries: WindowEntry[] }[] = [];
    for (const [key, state] of this.keys) {
      const entries = state.entries.slice(state.head).filter((e) => e.ms >= this.newestMs - this.reachMs);
      if (entries.length > 0) keys.push({ key, entries });
    }
    return { keys, newestMs: this.newestMs };
  }

  restore(state: WindowState): void {
    if (Number.isFinite(state.newestMs) && state.newestMs > this.newestMs) this.newestMs = state.newestMs;
    if (Number.isFinite(state.newestMs)) this.latestMs = state.newestMs;
    for (const { key, entries } of state.keys) this.keys.set(key, { entries: [...entries].sort((a, b) => a.ms - b.ms), head: 0, seq: this.seq });
  }
}

const SWEEP_EVERY = 4096;

/**
 * The earliest run of `threshold` consecutive entries (from `head` on) spanning at most `windowMs` that
 * holds the entry at `index` (the one just added), or null. Only such a run can be new: every other run
 * was there at the key's previous arrival (entries are only ever dropped since), and none of those was
 * full, or the key would have fired. So each arrival costs `threshold` steps, whatever the key keeps.
 */
function firstFullSpanWith(entries: readonly WindowEntry[], head: number, index: number, threshold: number, windowMs: number): WindowEntry[] | null {
  for (let i = Math.max(head, index - threshold + 1); i <= index && i + threshold <= entries.length; i++) {
    if (entries[i + threshold - 1]!.ms - entries[i]!.ms <= windowMs) return entries.slice(i, i + threshold);
  }
  return null;
}
