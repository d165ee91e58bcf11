/**
 * Expands `--input` arguments into the files to read. Directories are walked recursively in a stable
 * (sorted) order, so an `aws s3 sync` copy of `AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/` reads
 * the same way every time.
 *
 * The walk uses the synchronous calls: a trail tree has thousands of small files, and three
 * promise round trips through libuv's thread pool per file cost the scanning thread more than the
 * calls themselves (each a few microseconds on a local disk).
 */
import { accessSync, closeSync, constants, lstatSync, openSync, readdirSync, readSync, statSync, type Dirent, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { ByteSource } from '../byte-source';
import { isEventFileName } from '../event-file-names';
import { describeIoError, isGzip } from './file-facts';
import { isLogText } from './log-text';

export const STDIN = '-';

export type InputFile =
  | { readonly kind: 'stdin' }
  | { readonly kind: 'file'; readonly path: string; readonly size: number }
  /** A FIFO, `<(…)`'s `/dev/fd/N`, or another non-regular file: read once, like stdin. */
  | { readonly kind: 'pipe'; readonly path: string }
  /** A named byte source that is not a local file (an S3 object, `s3://bucket/key`), read through the same chunks. */
  | ({ readonly kind: 'stream' } & ByteSource);

/**
 * The order inputs are read in. `path`: one input after the other, each directory walked in sorted
 * order. `delivery`: every file of every input in the order CloudTrail delivered them, by the time in
 * their names (delivery-walk.ts), for thresholds: they count events of one key across regions,
 * accounts and inputs within minutes of each other.
 */
export type ReadOrder = 'path' | 'delivery';

/**
 * An input that finds its own files (an `s3://` prefix lists its objects). `incremental` is true
 * when the scan plans its reads (--state): the input may then skip what was read before. `order`:
 * in what order to hand them over (see `ReadOrder`).
 */
export interface ExternalInput {
  readonly name: string;
  discover(options: { readonly incremental: boolean; readonly order: ReadOrder }): AsyncIterable<Discovery>;
}

/** An `--input` as the scan takes it: a path, `-`, or an input that discovers its own files. */
export type InputSpec = string | ExternalInput;

/** Why a walk passed over a path; `SKIP_REASONS` says each to the user. */
export type SkipReason = 'digest' | 'name' | 'directory-link';

export const SKIP_REASONS: Readonly<Record<SkipReason, string>> = {
  digest: 'a CloudTrail digest file, which holds no events',
  name: 'in a directory, only .json, .jsonl, .ndjson, .log and .gz files, and files without an extension or named .txt that start as JSON, gzip or CloudWatch Logs text, are read; name a file to read it',
  'directory-link': 'a symbolic link to a directory, which a walk does not follow; name it to read it',
};

export type Discovery =
  | { readonly kind: 'file'; readonly file: InputFile }
  | { readonly kind: 'skipped'; readonly path: string; readonly reason: SkipReason }
  | { readonly kind: 'missing'; readonly path: string; readonly message: string };

/**
 * Digest files prove a trail's integrity; they hold no events. CloudTrail delivers them under
 * `AWSLogs/<account>/CloudTrail-Digest/` with `_CloudTrail-Digest_` in the name
 * (doc_source/cloudtrail-log-file-validation-digest-file-structure.md).
 */
export function isDigestPath(path: string): boolean {
  return /(^|[/\\])CloudTrail-Digest([/\\]|$)/.test(path) || /_CloudTrail-Digest_/.test(path);
}

export async function* discoverInputs(inputs: readonly InputSpec[], options: { readonly incremental?: boolean } = {}): AsyncGenerator<Discovery> {
  const incremental = options.incremental === true;
  for (const input of inputs) {
    const found = openInput(input, incremental);
    yield* found.kind === 'directory' ? walk(found.path) : found.discoveries;
  }
}

/** An input as found: a directory to walk, or what it is (an external input's own discoveries, stdin, a file, or why it cannot be read). */
export type OpenedInput =
  | { readonly kind: 'directory'; readonly path: string }
  | { readonly kind: 'discoveries'; readonly discoveries: Iterable<Discovery> | AsyncIterable<Discovery> };

export function openInput(input: InputSpec, incremental: boolean, order: ReadOrder = 'path'): OpenedInput {
  const found = (...discoveries: Discovery[]): OpenedInput => ({ kind: 'discoveries', discoveries });
  if (typeof input !== 'string') return { kind: 'discoveries', discoveries: input.discover({ incremental, order }) };
  if (input === STDIN) return found({ kind: 'file', file: { kind: 'stdin' } });
  let info;
  try {
    info = statSync(input);
  } catch (error) {
    return found({ kind: 'missing', path: input, message: describeStatError(input, error) });
  }
  if (info.isDirectory()) return { kind: 'directory', path: input };
  if (isDigestPath(input)) return found({ kind: 'skipped', path: input, reason: 'digest' });
  return found(readable(input, info));
}

/**
 * A file to read, or `missing` when it cannot be opened: an unreadable file is reported as an
 * unreadable directory is (an error naming it, a failed run), not as a bad record.
 */
function readable(path: string, info: Stats): Discovery {
  if (!info.isFile()) return { kind: 'file', file: { kind: 'pipe', path } };
  try {
    accessSync(path, constants.R_OK);
  } catch (error) {
    return { kind: 'missing', path, message: describeIoError(error) };
  }
  return { kind: 'file', file: { kind: 'file', path, size: info.size } };
}

/** Why `stat` failed; a symbolic link whose target is gone says so. */
function describeStatError(path: string, error: unknown): string {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
    // Only a hint for the message: if even lstat fails, the plain "no such file" stands.
    let link: Stats | undefined;
    try {
      link = lstatSync(path, { throwIfNoEntry: false });
    } catch {
      link = undefined;
    }
    if (link?.isSymbolicLink()) return 'dangling symbolic link (its target does not exist)';
  }
  return describeIoError(error);
}

export function* walk(dir: string): Generator<Discovery> {
  const entries = sortedEntries(dir);
  if (!Array.isArray(entries)) {
    yield entries;
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (isDigestPath(path)) continue;
      yield* walk(path);
    } else {
      const found = fileEntry(path, entry);
      if (found !== null) yield found;
    }
  }
}

/** A directory's entries in sorted order, or why it cannot be read. */
export function sortedEntries(dir: string): Dirent[] | Discovery {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    return { kind: 'missing', path: dir, message: describeIoError(error) };
  }
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * A name without an extension, or ending `.txt`: read when the file starts as events do. Kinesis Data Firehose
 * names the objects it writes `<stream>-<version>-<YYYY-MM-DD-HH-MM-SS>-<id>`, without an extension unless it
 * compresses them itself: how CloudTrail's events reach S3 from an EventBridge rule or a CloudWatch Logs
 * subscription (whose payloads are gzipped already). A CloudWatch Logs export inflated by hand is `000000`, and
 * `aws logs tail GROUP > tail.txt` is text (log-text.ts). A LICENSE, a Makefile or notes.txt is not read.
 */
const SNIFFED_NAME = /^[^.]+$|\.txt$/i;
/** Enough of a file to tell: a gzip's magic, the first byte of JSON, or a line of CloudWatch Logs text. */
const SNIFF_BYTES = 1024;

/** Whether the file starts as gzip does, (past blanks and a byte order mark) as a JSON object or list, or as CloudWatch Logs text. */
function startsAsEvents(path: string): boolean {
  let head: Buffer;
  try {
    const fd = openSync(path, 'r');
    try {
      head = Buffer.alloc(SNIFF_BYTES);
      head = head.subarray(0, readSync(fd, head, 0, SNIFF_BYTES, 0));
    } finally {
      closeSync(fd);
    }
  } catch {
    return false; // unreadable: skipped as any other name would be
  }
  if (isGzip(head) || isLogText(head)) return true;
  const text = head.toString('utf8').replace(/^\uFEFF/, '').trimStart();
  return text.startsWith('{') || text.startsWith('[');
}

/**
 * What a walk finds of an entry that is not a directory: a file to read, one skipped or missing, or nothing
 * (hidden files, digests). Only names that can hold events are read, and extension-less and `.txt` files that
 * start as events do; a file named on the command line is always read.
 */
export function fileEntry(path: string, entry: Dirent): Discovery | null {
  if (!entry.isFile() && !entry.isSymbolicLink()) return null;
  if (entry.name.startsWith('.')) return null;
  if (isDigestPath(path)) return null;
  if (entry.isSymbolicLink() && isDirectory(path)) return { kind: 'skipped', path, reason: 'directory-link' };
  if (!isEventFileName(entry.name) && !(SNIFFED_NAME.test(entry.name) && startsAsEvents(path))) {
    return { kind: 'skipped', path, reason: 'name' };
  }
  let info;
  try {
    info = statSync(path);
  } catch (error) {
    return { kind: 'missing', path, message: describeStatError(path, error) };
  }
  return info.isFile() ? readable(path, info) : null;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false; // a dangling link: the name rule and the stat below say what it is
  }
}
