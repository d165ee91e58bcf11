/**
 * The `--state FILE` document: what the last run read, so that the next one continues from there.
 *
 * Loading never falls back to an empty state on a damaged, foreign or mismatched file: starting over
 * silently would emit every event again (or, with a default start, skip some). The user decides.
 * Saving is atomic: a crash at any point leaves either the old state or the new one, never half a file.
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { FileCursor } from './file-cursors';
import { DEFAULT_RECENT_CAP, RecentIds, type SerialisedRecentIds } from './recent-ids';
import { parseS3Cursors, serialiseS3Cursors, type S3ListingCursor } from './s3-cursors';

export const STATE_FORMAT = 'ctq-state';
export const STATE_VERSION = 1;

export interface CtqState {
  readonly format: typeof STATE_FORMAT;
  readonly version: typeof STATE_VERSION;
  /** `queryFingerprint` of the query that wrote the state. */
  readonly query: string;
  /** ISO 8601 times, for people reading the file. */
  readonly createdAt: string;
  readonly updatedAt: string;
  /**
   * The overlap the last run pruned with, for people and messages. Windows do not start from it: they
   * start from `recent.f` (`RecentIds.coveredFromMs`), which is what the recent set really covers.
   */
  readonly overlapMs: number;
  /** `--input` runs: the cursor of every input file still present at the last run. */
  readonly files: Readonly<Record<string, FileCursor>>;
  /** LookupEvents runs: per lookup key, the end (epoch ms) of the last window read in full. */
  readonly windows: Readonly<Record<string, number>>;
  /** `s3://` inputs: per listing (a region folder), what was read (see s3-cursors.ts). Absent in files written before S3 inputs. */
  readonly s3?: Readonly<Record<string, S3ListingCursor>>;
  readonly recent: SerialisedRecentIds;
}

export type LoadResult =
  | {
      readonly ok: true;
      /** `null` when the file does not exist yet: the first run. */
      readonly state: CtqState | null;
      /** `state.recent` ready to use (empty on the first run). */
      readonly recent: RecentIds;
      /** Recent IDs dropped while loading because there were more than the cap: repeats are possible. */
      readonly evicted: number;
    }
  | { readonly ok: false; readonly message: string };

export function createState(fingerprint: string, overlapMs: number, now: Date): CtqState {
  const at = now.toISOString();
  return {
    format: STATE_FORMAT,
    version: STATE_VERSION,
    query: fingerprint,
    createdAt: at,
    updatedAt: at,
    overlapMs,
    files: {},
    windows: {},
    recent: new RecentIds().toJSON(),
  };
}

export async function loadState(path: string, expectedFingerprint: string, recentCap: number = DEFAULT_RECENT_CAP): Promise<LoadResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { ok: true, state: null, recent: new RecentIds(recentCap), evicted: 0 };
    return fail(path, `cannot be read (${errorCode(error) ?? describe(error)}); fix its permissions or pass another --state path`);
  }
  if (text.trim() === '') return fail(path, 'is empty (truncated?); delete it to start over, or restore it from a backup');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail(path, 'is not valid JSON (truncated or damaged); delete it to start over, or restore it from a backup');
  }
  if (!isRecord(value) || value.format !== STATE_FORMAT) {
    return fail(path, `is not a ctq state file (no "format": "${STATE_FORMAT}"); pass another --state path`);
  }
  if (typeof value.version !== 'number' || !Number.isInteger(value.version) || value.version < 1) {
    return fail(path, 'has no valid state version (damaged); delete it to start over');
  }
  if (value.version > STATE_VERSION) {
    return fail(path, `was written by a newer ctq (state version ${value.version}, this ctq reads ${STATE_VERSION}); upgrade ctq or pass another --state path`);
  }
  if (value.query !== expectedFingerprint) {
    return fail(
      path,
      `belongs to a different query (fingerprint ${String(value.query)}, this query is ${expectedFingerprint}); use one --state file per query, or delete it to start over`,
    );
  }
  const parsed = parseBody(value);
  if (typeof parsed === 'string') return fail(path, `is damaged (${parsed}); delete it to start over`);
  const recent = RecentIds.fromJSON(value.recent, recentCap);
  if (!recent.ok) return fail(path, `is damaged (${recent.message}); delete it to start over`);
  // `state.recent` stays as read (already checked); `recent` is the live set to use and to save.
  return { ok: true, state: { ...parsed, recent: value.recent as SerialisedRecentIds }, recent: recent.recent, evicted: recent.evicted };
}

/** The file-system steps of an atomic save, injectable so that tests can make any of them fail. */
export interface AtomicWriteSteps {
  /** Creates `path` (which must not exist), writes `data`, and flushes it to disk before returning. */
  writeSynced(path: string, data: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** Flushes the directory entry of a rename to disk. */
  syncDirectory(path: string): Promise<void>;
  unlink(path: string): Promise<void>;
}

export const nodeWriteSteps: AtomicWriteSteps = {
  async writeSynced(path, data) {
    const handle = await open(path, 'wx');
    try {
      await handle.writeFile(data, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  rename,
  async syncDirectory(path) {
    let handle;
    try {
      handle = await open(path, 'r');
      await handle.sync();
    } catch (error) {
      // Some platforms and file systems cannot open or fsync a directory (Windows, some network
      // mounts); the rename itself has happened, and there is nothing more to do there.
      if (!['EISDIR', 'EPERM', 'EINVAL', 'EACCES', 'ENOTSUP'].includes(errorCode(error) ?? '')) throw error;
    } finally {
      await handle?.close();
    }
  },
  unlink,
};

export type SaveResult = { readonly ok: true } | { readonly ok: false; readonly message: string };

/**
 * Writes the state to a new temporary file beside `path`, flushes it, renames it over `path` (atomic
 * within one file system, hence the same directory) and flushes the directory. A crash before the
 * rename leaves the old state and a stray temporary file, which `loadState` never reads.
 */
export async function saveState(path: string, state: CtqState, now: Date = new Date(), steps: AtomicWriteSteps = nodeWriteSteps): Promise<SaveResult> {
  const data = serialiseState({ ...state, updatedAt: now.toISOString() });
  const directory = dirname(path);
  const temporary = join(directory, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await steps.writeSynced(temporary, data);
    await steps.rename(temporary, path);
  } catch (error) {
    await steps.unlink(temporary).catch(() => undefined); // it may not exist; the save failed either way
    return { ok: false, message: `cannot save state file ${path} (${errorCode(error) ?? describe(error)}); the previous state is unchanged` };
  }
  try {
    await steps.syncDirectory(directory);
  } catch (error) {
    return { ok: false, message: `state file ${path} was saved but its directory could not be flushed (${errorCode(error) ?? describe(error)})` };
  }
  return { ok: true };
}

/**
 * One line of JSON, cursors as tuples `[size, mtimeMs, dev, ino, offset, flags]` (flags: 1 gzip,
 * 2 NDJSON): a synced trail archive has hundreds of thousands of files, and the key names would
 * otherwise double the size of every entry.
 */
export function serialiseState(state: CtqState): string {
  const files: Record<string, SerialisedCursor> = {};
  for (const [path, c] of Object.entries(state.files)) {
    files[path] = [c.size, c.mtimeMs, c.dev, c.ino, c.offset, (c.gzip ? 1 : 0) | (c.ndjson ? 2 : 0)];
  }
  return JSON.stringify({ ...state, files, ...(state.s3 !== undefined ? { s3: serialiseS3Cursors(state.s3) } : {}) });
}

type SerialisedCursor = [size: number, mtimeMs: number, dev: number, ino: number, offset: number, flags: number];

/** The members after format, version and query have been checked; a string says what is wrong. */
function parseBody(value: Record<string, unknown>): Omit<CtqState, 'recent'> | string {
  const { createdAt, updatedAt, overlapMs, files, windows } = value;
  if (typeof createdAt !== 'string' || typeof updatedAt !== 'string') return 'createdAt or updatedAt is not a string';
  if (typeof overlapMs !== 'number' || !Number.isFinite(overlapMs) || overlapMs < 0) return 'overlapMs is not a non-negative number';
  if (!isRecord(files)) return '"files" is not an object';
  if (!isRecord(windows)) return '"windows" is not an object';
  const cursors: Record<string, FileCursor> = {};
  for (const [path, tuple] of Object.entries(files)) {
    const cursor = parseCursor(tuple);
    if (cursor === null) return `the cursor of ${path} is not [size, mtimeMs, dev, ino, offset, flags]`;
    cursors[path] = cursor;
  }
  const ends: Record<string, number> = {};
  for (const [key, end] of Object.entries(windows)) {
    if (typeof end !== 'number' || !Number.isFinite(end)) return `the window end of ${key} is not a number`;
    ends[key] = end;
  }
  const s3 = parseS3Cursors(value.s3);
  if (typeof s3 === 'string') return s3;
  return { format: STATE_FORMAT, version: STATE_VERSION, query: String(value.query), createdAt, updatedAt, overlapMs, files: cursors, windows: ends, ...(value.s3 !== undefined ? { s3 } : {}) };
}

function parseCursor(tuple: unknown): FileCursor | null {
  if (!Array.isArray(tuple) || tuple.length !== 6 || !tuple.every((n) => typeof n === 'number' && Number.isFinite(n))) return null;
  const [size, mtimeMs, dev, ino, offset, flags] = tuple as SerialisedCursor;
  if (size < 0 || offset < 0 || !Number.isInteger(flags) || flags < 0 || flags > 3) return null;
  return { size, mtimeMs, dev, ino, offset, gzip: (flags & 1) !== 0, ndjson: (flags & 2) !== 0 };
}

function fail(path: string, what: string): LoadResult {
  return { ok: false, message: `state file ${path} ${what}` };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
