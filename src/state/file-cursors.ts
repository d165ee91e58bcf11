/**
 * Where each `--input` file was left, and what to read of it on the next run.
 *
 * Trail files are written once and never change: CloudTrail publishes a new log file about every
 * 5 minutes (CloudTrail user guide, how-cloudtrail-works.md), each a new S3 object, so for them the
 * useful answers are "new: read whole" and "unchanged: skip". An NDJSON file that a shipper
 * appends to is read from where the last run stopped. Everything else that changed is read whole
 * again, and the recent-ID set keeps the events of the overlap window from repeating.
 */

/** What `stat` (and a look at the first bytes) says about a file now. */
export interface FileIdentity {
  readonly size: number;
  readonly mtimeMs: number;
  readonly dev: number;
  readonly ino: number;
  /** The file starts with the gzip magic bytes. */
  readonly gzip: boolean;
}

export interface FileCursor extends FileIdentity {
  /**
   * Bytes up to the end of the last complete line consumed. Only meaningful for a plain NDJSON file;
   * a line still being written when the file was read is not consumed, so it is read next time.
   */
  readonly offset: number;
  /**
   * The content read was NDJSON. Only a plain NDJSON file can be continued from `offset`: a JSON
   * document (a trail file `{"Records":[...]}` synced unzipped, or `lookup-events` output) that grew
   * was rewritten, its closing brackets moved, and the new bytes alone are not valid JSON.
   */
  readonly ndjson: boolean;
}

export type FilePlan =
  | { readonly read: 'whole'; readonly reason: WholeReadReason }
  | { readonly read: 'from'; readonly offset: number }
  | { readonly read: 'skip' };

export type WholeReadReason =
  /** Not read before: read whole whatever the times inside it (a newly synced region or account brings old events). */
  | 'new'
  /** A different file now has this path (other device or inode), e.g. re-synced or rotated. */
  | 'replaced'
  /** Smaller than what was read: truncated and rewritten. */
  | 'shrank'
  /** Same identity but changed, and not by appending lines to plain NDJSON (gzip, a JSON document, or rewritten in place). */
  | 'rewritten';

/**
 * Decides what to read of one file, from its cursor of the last run (if any) and its `stat` now.
 * `now` must be taken before reading, and the cursor stored after the read is `cursorAfterRead(now, …)`.
 */
export function planFile(previous: FileCursor | undefined, now: FileIdentity): FilePlan {
  if (previous === undefined) return { read: 'whole', reason: 'new' };
  if (previous.dev !== now.dev || previous.ino !== now.ino) return { read: 'whole', reason: 'replaced' };
  // The reader may have read past the size `stat` gave before reading (the file grew meanwhile), so
  // what was consumed, not only the old size, must still be there.
  if (now.size < previous.size || now.size < previous.offset) return { read: 'whole', reason: 'shrank' };
  if (now.size === previous.size && now.mtimeMs === previous.mtimeMs && now.gzip === previous.gzip) return { read: 'skip' };
  if (now.gzip || previous.gzip || !previous.ndjson) return { read: 'whole', reason: 'rewritten' };
  if (now.size === previous.size) {
    // Same bytes count, new mtime: written in place (or only touched). Nothing says the consumed part is
    // unchanged, so read it again; the recent-ID set drops what was already emitted inside the window.
    return { read: 'whole', reason: 'rewritten' };
  }
  return { read: 'from', offset: previous.offset };
}

/** The cursor to store after reading a file: `consumedTo` is the offset after the last complete line read (ignored for gzip or documents). */
export function cursorAfterRead(now: FileIdentity, read: { readonly ndjson: boolean; readonly consumedTo: number }): FileCursor {
  const offset = now.gzip || !read.ndjson ? now.size : read.consumedTo;
  return { ...now, offset, ndjson: read.ndjson };
}

/**
 * A warning for a file read whole again although it was read before: the recent-ID set only covers
 * the overlap window, so the file's older events are emitted a second time. `null` when nothing repeats.
 */
export function rereadWarning(path: string, plan: FilePlan): string | null {
  if (plan.read !== 'whole' || plan.reason === 'new') return null;
  const what = plan.reason === 'replaced' ? 'was replaced' : plan.reason === 'shrank' ? 'shrank' : 'changed';
  return `${path} ${what} since the last run and is read again whole: its events older than the overlap window may be emitted a second time`;
}

/** The cursors of the files still present; files that disappeared are dropped from the state. */
export function keepPresentFiles(files: Readonly<Record<string, FileCursor>>, present: ReadonlySet<string>): Record<string, FileCursor> {
  const kept: Record<string, FileCursor> = {};
  for (const [path, cursor] of Object.entries(files)) if (present.has(path)) kept[path] = cursor;
  return kept;
}

/** Bytes up to and including the last newline of `bytes`, i.e. the whole lines in it (0 if none). */
export function completeLinesLength(bytes: Uint8Array): number {
  return bytes.lastIndexOf(0x0a) + 1;
}
