/**
 * Expands `--input` arguments into the files to read. Directories are walked recursively in a stable
 * (sorted) order, so an `aws s3 sync` copy of `AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/` reads
 * the same way every time.
 *
 * The walk uses the synchronous calls: a trail tree has thousands of small files, and three
 * promise round trips through libuv's thread pool per file cost the scanning thread more than the
 * calls themselves (each a few microseconds on a local disk).
 */
import { accessSync, constants, lstatSync, readdirSync, statSync, type Dirent, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { ByteSource } from '../byte-source';
import { describeIoError } from './file-facts';

export const STDIN = '-';

export type InputFile =
  | { readonly kind: 'stdin' }
  | { readonly kind: 'file'; readonly path: string; readonly size: number }
  /** A FIFO, `<(…)`'s `/dev/fd/N`, or another non-regular file: read once, like stdin. */
  | { readonly kind: 'pipe'; readonly path: string }
  /** A named byte source that is not a local file (an S3 object, `s3://bucket/key`), read through the same chunks. */
  | ({ readonly kind: 'stream' } & ByteSource);

/**
 * An input that finds its own files (an `s3://` prefix lists its objects). `incremental` is true
 * when the scan plans its reads (--state): the input may then skip what was read before.
 */
export interface ExternalInput {
  readonly name: string;
  discover(options: { readonly incremental: boolean }): AsyncIterable<Discovery>;
}

/** An `--input` as the scan takes it: a path, `-`, or an input that discovers its own files. */
export type InputSpec = string | ExternalInput;

export type Discovery =
  | { readonly kind: 'file'; readonly file: InputFile }
  | { readonly kind: 'skipped'; readonly path: string; readonly reason: string }
  | { readonly kind: 'missing'; readonly path: string; readonly message: string };

/**
 * Digest files prove a trail's integrity; they hold no events. CloudTrail delivers them under
 * `AWSLogs/<account>/CloudTrail-Digest/` with `_CloudTrail-Digest_` in the name
 * (doc_source/cloudtrail-log-file-validation-digest-file-structure.md).
 */
export function isDigestPath(path: string): boolean {
  return /(^|[/\\])CloudTrail-Digest([/\\]|$)/.test(path) || /_CloudTrail-Digest_/.test(path);
}

/** In a walked directory, only names that can hold events are read; a named file is always read. */
const EVENT_FILE_NAME = /\.(json|jsonl|ndjson|log)(\.gz)?$|\.gz$/i;

export async function* discoverInputs(inputs: readonly InputSpec[], options: { readonly incremental?: boolean } = {}): AsyncGenerator<Discovery> {
  for (const input of inputs) {
    if (typeof input !== 'string') {
      yield* input.discover({ incremental: options.incremental === true });
      continue;
    }
    if (input === STDIN) {
      yield { kind: 'file', file: { kind: 'stdin' } };
      continue;
    }
    let info;
    try {
      info = statSync(input);
    } catch (error) {
      yield { kind: 'missing', path: input, message: describeStatError(input, error) };
      continue;
    }
    if (info.isDirectory()) yield* walk(input);
    else if (isDigestPath(input)) yield { kind: 'skipped', path: input, reason: 'CloudTrail digest file' };
    else yield readable(input, info);
  }
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

function* walk(dir: string): Generator<Discovery> {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    yield { kind: 'missing', path: dir, message: describeIoError(error) };
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (isDigestPath(path)) continue;
      yield* walk(path);
    } else if (entry.isFile() || entry.isSymbolicLink()) {
      if (entry.name.startsWith('.')) continue;
      if (isDigestPath(path)) continue;
      if (!EVENT_FILE_NAME.test(entry.name)) {
        yield { kind: 'skipped', path, reason: 'not a .json, .ndjson, .jsonl or .gz file' };
        continue;
      }
      let info;
      try {
        info = statSync(path);
      } catch (error) {
        yield { kind: 'missing', path, message: describeStatError(path, error) };
        continue;
      }
      if (info.isFile()) yield readable(path, info);
      else if (info.isDirectory()) yield { kind: 'skipped', path, reason: 'a symbolic link to a directory (not followed)' };
    }
  }
}
