/**
 * Counting per key over a sliding window of event time. A key fires when at least `threshold` events
 * (or distinct values) fall within `windowMs` of each other; it then starts again from nothing, so a
 * burst gives one alert, not one per event past the threshold.
 *
 * Memory is bounded by the active keys: a key holds at most `threshold` entries (it fires at that
 * many), and keys whose newest event is older than the window behind the newest event seen anywhere
 * are dropped. Events may arrive out of time order (trail files are per region and per 5 minutes,
 * LookupEvents pages run newest first): entries are kept sorted, and an event older than its key's
 * window is counted only if the key still holds events that close to it.
 */

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

export class SlidingWindows {
  private readonly keys = new Map<string, WindowEntry[]>();
  private newestMs = -Infinity;
  private addsSinceSweep = 0;

  constructor(
    private readonly threshold: number,
    private readonly windowMs: number,
    private readonly distinct: boolean,
  ) {}

  get activeKeys(): number {
    return this.keys.size;
  }

  /** Adds one event under `key`; returns the hit when the key reaches the threshold. */
  add(key: string, entry: WindowEntry): WindowHit | null {
    if (entry.ms > this.newestMs) this.newestMs = entry.ms;
    if (++this.addsSinceSweep >= 4096) this.sweep();
    let entries = this.keys.get(key);
    if (entries === undefined) {
      entries = [];
      this.keys.set(key, entries);
    }
    if (this.distinct && entry.value !== undefined) {
      // One entry per value, the latest: a value seen again inside the window is still one value.
      const same = entries.findIndex((e) => e.value === entry.value);
      if (same >= 0) {
        if (entries[same]!.ms >= entry.ms) return null;
        entries.splice(same, 1);
      }
    }
    insertSorted(entries, entry);
    const newest = entries[entries.length - 1]!.ms;
    let drop = 0;
    while (drop < entries.length && entries[drop]!.ms < newest - this.windowMs) drop++;
    if (drop > 0) entries.splice(0, drop);
    if (entries.length < this.threshold) return null;
    this.keys.delete(key);
    return { key, entries, count: entries.length };
  }

  /** Drops keys that can no longer fire: their newest event is a whole window behind the newest seen. */
  sweep(): void {
    this.addsSinceSweep = 0;
    for (const [key, entries] of this.keys) {
      const last = entries[entries.length - 1];
      if (last === undefined || last.ms < this.newestMs - this.windowMs) this.keys.delete(key);
    }
  }

  save(): WindowState {
    this.sweep();
    return { keys: [...this.keys].map(([key, entries]) => ({ key, entries })), newestMs: this.newestMs };
  }

  restore(state: WindowState): void {
    if (Number.isFinite(state.newestMs) && state.newestMs > this.newestMs) this.newestMs = state.newestMs;
    for (const { key, entries } of state.keys) this.keys.set(key, [...entries].sort((a, b) => a.ms - b.ms).slice(-this.threshold));
  }
}

function insertSorted(entries: WindowEntry[], entry: WindowEntry): void {
  let i = entries.length;
  while (i > 0 && entries[i - 1]!.ms > entry.ms) i--;
  entries.splice(i, 0, entry);
}
