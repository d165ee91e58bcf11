/**
 * What an incremental run (`--state FILE`, `--follow`) remembers between reads: where each input file
 * was left, the end of each LookupEvents window, and the eventIDs already emitted inside the overlap
 * window, so that late-delivered events are caught without repeating the ones already printed.
 * With `--state` it is loaded, locked and saved atomically; `--follow` alone keeps it in memory.
 */
import { stat } from 'node:fs/promises';
import {
  DEFAULT_RECENT_CAP,
  RecentIds,
  S3Cursors,
  createState,
  cursorAfterRead,
  keepPresentFiles,
  loadState,
  lockState,
  nextWindow,
  planFile,
  pruneHorizonMs,
  rereadWarning,
  saveState,
  type CtqState,
  type FileCursor,
  type FileIdentity,
} from '../state';
import type { ReadEnd } from '../sources/local/chunks';
import { fileIsGzip } from '../sources/local/file-facts';
import { instantOf } from '../language/ordering';
import type { MatchRecord } from '../output/match-record';
import type { ClosedWindow } from '../time/window';
import type { FileRead, ReadPlanner } from '../sources/local/read-planner';

export type CheckpointOpening = { readonly ok: true; readonly checkpoint: Checkpoint } | { readonly ok: false; readonly message: string };

export class Checkpoint implements ReadPlanner {
  private readonly files: Record<string, FileCursor>;
  private readonly windows: Record<string, number>;
  private readonly identities = new Map<string, FileIdentity>();
  private readonly present = new Set<string>();
  private evictionWarned = false;
  /** The latest eventTime the recent-ID cap pushed out during this round (-Infinity: none). */
  private latestEvictedMs = -Infinity;
  /** What was read of each S3 listing (`--input s3://…`); the S3 source consults it as its read planner. */
  readonly s3: S3Cursors;

  private constructor(
    private readonly path: string | null,
    private readonly fingerprint: string,
    private readonly overlapMs: number,
    private readonly state: CtqState,
    private readonly recent: RecentIds,
    private readonly release: () => Promise<void>,
    private readonly warn: (message: string) => void,
  ) {
    this.files = { ...state.files };
    this.windows = { ...state.windows };
    this.s3 = new S3Cursors(state.s3 ?? {}, overlapMs);
  }

  /** Locks and loads `path` (null: a fresh in-memory checkpoint). A foreign or damaged file is an error, never a silent restart. */
  static async open(
    path: string | null,
    fingerprint: string,
    overlapMs: number,
    now: Date,
    warn: (message: string) => void,
    /** How many recent eventIDs are kept; the default (200,000) except in tests. */
    recentCap: number = DEFAULT_RECENT_CAP,
  ): Promise<CheckpointOpening> {
    if (path === null) {
      return { ok: true, checkpoint: new Checkpoint(null, fingerprint, overlapMs, createState(fingerprint, overlapMs, now), new RecentIds(recentCap), async () => {}, warn) };
    }
    const lock = await lockState(path);
    if (!lock.ok) return lock;
    const loaded = await loadState(path, fingerprint, recentCap);
    if (!loaded.ok) {
      await lock.release();
      return loaded;
    }
    if (loaded.evicted > 0) warn(`state file ${path}: ${loaded.evicted} remembered event IDs were dropped (over the cap); those events may repeat`);
    const state = loaded.state ?? createState(fingerprint, overlapMs, now);
    return { ok: true, checkpoint: new Checkpoint(path, fingerprint, overlapMs, state, loaded.recent, lock.release, warn) };
  }

  // --- local inputs -------------------------------------------------------------------------

  async planRead(path: string): Promise<FileRead> {
    const identity = await identify(path);
    this.present.add(path);
    if (identity === null) return { start: 0 }; // the reader reports why it cannot be read
    this.identities.set(path, identity);
    const plan = planFile(this.files[path], identity);
    const warning = rereadWarning(path, plan);
    if (warning !== null) this.warn(warning);
    if (plan.read === 'skip') return 'skip';
    return { start: plan.read === 'from' ? plan.offset : 0 };
  }

  readDone(path: string, end: ReadEnd): void {
    const identity = this.identities.get(path);
    if (identity === undefined) {
      delete this.files[path];
      return;
    }
    if (end.unreadable) {
      // A gzip that could not be read to its end (still downloading) gets no cursor: it is read as
      // new next time rather than being taken for a replaced file. Plain NDJSON keeps a cursor after
      // the last whole line read, recorded as if the file ended there, so the next run goes on from
      // it: re-reading from byte 0 would stop at the same fault every time and never get past it.
      if (identity.gzip || !end.ndjson) delete this.files[path];
      else this.files[path] = cursorAfterRead({ ...identity, size: end.consumedTo }, { ndjson: true, consumedTo: end.consumedTo });
      return;
    }
    this.files[path] = cursorAfterRead(identity, { ndjson: end.ndjson, consumedTo: end.consumedTo });
  }

  // --- LookupEvents windows -----------------------------------------------------------------

  /** The window to read for a lookup key: from the last end minus the overlap (or `defaultStartMs`) to now. */
  window(key: string, nowMs: number, defaultStartMs: number): ClosedWindow {
    return nextWindow(this.windows[key], nowMs, this.overlapMs, defaultStartMs, this.recent.coveredFromMs);
  }

  /** Records that a lookup key's window was read to its end; a failed lookup keeps its old end. */
  windowDone(key: string, endMs: number): void {
    this.windows[key] = endMs;
  }

  // --- emitted events -----------------------------------------------------------------------

  /** Drops the records of events already emitted (by eventID) and remembers the others. */
  keepNew(records: readonly MatchRecord[]): { readonly records: readonly MatchRecord[]; readonly dropped: number } {
    const kept: MatchRecord[] = [];
    let dropped = 0;
    for (const record of records) {
      const event = record.event;
      if (typeof event.eventID !== 'string') {
        kept.push(record); // nothing to recognise it by next time
        continue;
      }
      const timeMs = typeof event.eventTime === 'string' ? instantOf(event.eventTime) : Number.NaN;
      const outcome = this.recent.add(event.eventID, Number.isNaN(timeMs) ? Date.now() : timeMs);
      if (outcome.kind === 'present') {
        dropped++;
        continue;
      }
      if (outcome.kind === 'evicted') this.latestEvictedMs = Math.max(this.latestEvictedMs, outcome.evictedTimeMs);
      kept.push(record);
    }
    return { records: kept, dropped };
  }

  /** Forgets what no next read can return again, and saves (with `--state`). */
  async commit(now: Date, options: { readonly localInputs: boolean }): Promise<{ ok: true } | { ok: false; message: string }> {
    const ends = Object.values(this.windows);
    const horizon = pruneHorizonMs(ends.length > 0 ? ends : [now.getTime()], this.overlapMs);
    // An ID the cap pushed out can repeat only if a next read can return its event again: one inside the overlap
    // (at or after the horizon). A first run over 90 days of history evicts old IDs that no next window reaches:
    // nothing to warn about.
    if (horizon !== null && this.latestEvictedMs >= horizon && !this.evictionWarned) {
      this.evictionWarned = true;
      this.warn('more events inside the overlap window than the state remembers: some may repeat in the next run');
    }
    this.latestEvictedMs = -Infinity;
    if (horizon !== null) this.recent.prune(horizon);
    if (this.path === null) return { ok: true };
    const files = options.localInputs ? keepPresentFiles(this.files, this.present) : this.files;
    let state: CtqState = { ...this.state, query: this.fingerprint, overlapMs: this.overlapMs, files, windows: this.windows, recent: this.recent.toJSON() };
    const s3 = this.s3.toJSON();
    if (Object.keys(s3).length > 0) state = { ...state, s3 };
    return saveState(this.path, state, now);
  }

  /** Starts the next read of a `--follow` loop: files are planned afresh against the cursors kept. */
  nextRound(): void {
    this.present.clear();
    this.identities.clear();
  }

  async close(): Promise<void> {
    await this.release();
  }
}

async function identify(path: string): Promise<FileIdentity | null> {
  const info = await stat(path).catch(() => null);
  const gzip = await fileIsGzip(path);
  if (info === null || gzip === null) return null;
  return { size: info.size, mtimeMs: info.mtimeMs, dev: info.dev, ino: info.ino, gzip };
}
