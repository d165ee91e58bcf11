/**
 * Reads one input as a sequence of chunks: whole NDJSON lines in bounded slices, or one whole JSON
 * document. Formats are detected by content (gzip by its magic bytes), never by file name, because
 * `aws s3 sync` copies, `lookup-events` output and NDJSON exports all end in `.json` somewhere.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { isJsonObject } from '../../language/json';
import { inputName, type InputFile } from './discover';
import { describeIoError, fileIsGzip, isGzip } from './file-facts';

/** NDJSON slices are cut at line ends near this size: small enough to spread over workers, large enough to amortise messaging. */
export const NDJSON_CHUNK_BYTES = 1 << 20;

/** Gzipped files up to this size are handed over whole and inflated by whoever scans them (a worker), not streamed here. */
export const WHOLE_GZIP_BYTES = 32 << 20;

export type Chunk =
  | { readonly format: 'ndjson'; readonly source: string; readonly firstLine: number; readonly bytes: Uint8Array }
  /** A whole gzipped file, still compressed: see `inflateChunk`. */
  | { readonly format: 'gzip'; readonly source: string; readonly bytes: Uint8Array }
  | { readonly format: 'document'; readonly source: string; readonly bytes: Uint8Array }
  /** The input could not be read past this point (corrupt gzip, I/O error); earlier chunks stand. */
  | { readonly format: 'unreadable'; readonly source: string; readonly line: number; readonly message: string };

/** A chunk whose bytes are ready to read as records (a `gzip` chunk is inflated into these first). */
export type PlainChunk = Exclude<Chunk, { readonly format: 'gzip' }>;

const NEWLINE = 0x0a;

/** How a file's reading ended: what an incremental run stores to continue from. */
export interface ReadEnd {
  /** Absolute offset after the last complete line read (NDJSON), or the bytes read (anything else). */
  readonly consumedTo: number;
  readonly ndjson: boolean;
  /** Reading stopped at damage or an I/O error (a gzip still being downloaded, say). */
  readonly unreadable: boolean;
}

export interface ReadChunksOptions {
  /** Start reading a plain file at this byte offset (continuing NDJSON from a previous run). */
  readonly start?: number;
  /** Leave a last line without its newline unread (it may still be being written); for incremental runs. */
  readonly holdPartialLine?: boolean;
  readonly onEnd?: (end: ReadEnd) => void;
}

export async function* readChunks(file: InputFile, stdin: Readable = process.stdin, options: ReadChunksOptions = {}): AsyncGenerator<Chunk> {
  const source = inputName(file);
  const start = file.kind === 'file' ? (options.start ?? 0) : 0;
  if (file.kind === 'file' && start === 0 && file.size <= WHOLE_GZIP_BYTES) {
    // Trail files are small gzips: inflating them where they are scanned keeps this thread free and
    // avoids thousands of round trips through zlib's thread pool.
    if ((await fileIsGzip(file.path)) === true) {
      let bytes: Buffer;
      try {
        bytes = await readFile(file.path);
      } catch (error) {
        options.onEnd?.({ consumedTo: 0, ndjson: false, unreadable: true });
        yield { format: 'unreadable', source, line: 0, message: describeIoError(error) };
        return;
      }
      options.onEnd?.({ consumedTo: bytes.length, ndjson: false, unreadable: false });
      yield { format: 'gzip', source, bytes };
      return;
    }
  }
  if (file.kind === 'stream' && file.size <= WHOLE_GZIP_BYTES) {
    // ADAPTER (s3): a small named byte source is taken whole, like a small file above.
    let bytes: Buffer;
    try {
      const parts: Uint8Array[] = [];
      for await (const part of file.open()) parts.push(part);
      bytes = Buffer.concat(parts);
    } catch (error) {
      options.onEnd?.({ consumedTo: 0, ndjson: false, unreadable: true });
      yield { format: 'unreadable', source, line: 0, message: describeIoError(error) };
      return;
    }
    options.onEnd?.({ consumedTo: bytes.length, ndjson: false, unreadable: false });
    if (isGzip(bytes)) yield { format: 'gzip', source, bytes };
    else yield* chunksOfWhole(bytes, source);
    return;
  }
  const raw: AsyncIterable<Uint8Array> =
    file.kind === 'stdin' ? stdin : file.kind === 'stream' ? file.open() : createReadStream(file.path, { highWaterMark: NDJSON_CHUNK_BYTES, start });
  let consumed = start;
  // A pipe may be a live feed (`tail -f … | ctq`): pass on whole lines as they come rather than
  // waiting for a full slice.
  const sliceBytes = file.kind === 'stdin' ? 1 : NDJSON_CHUNK_BYTES;
  let lines = 0;
  let format: 'ndjson' | 'document' | null = null;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  try {
    for await (const piece of decompressed(raw)) {
      const buffer = piece as Buffer;
      pending.push(buffer);
      pendingBytes += buffer.length;
      if (format === null) {
        format = detectFormat(Buffer.concat(pending));
        if (format === null) continue; // need more bytes to see the first line
      }
      if (format === 'ndjson' && pendingBytes >= sliceBytes) {
        const joined = Buffer.concat(pending, pendingBytes);
        const cut = joined.lastIndexOf(NEWLINE);
        if (cut < 0) continue; // one very long line: keep reading until it ends
        const whole = joined.subarray(0, cut + 1);
        yield { format: 'ndjson', source, firstLine: lines + 1, bytes: whole };
        lines += countNewlines(whole);
        consumed += whole.length;
        const rest = joined.subarray(cut + 1);
        pending = rest.length > 0 ? [Buffer.from(rest)] : [];
        pendingBytes = rest.length;
      }
    }
  } catch (error) {
    if (pendingBytes > 0) yield* flush(format ?? 'document', source, lines, pending, pendingBytes);
    const line = format === 'ndjson' ? lines + countNewlines(Buffer.concat(pending)) + 1 : 0;
    options.onEnd?.({ consumedTo: consumed, ndjson: format === 'ndjson', unreadable: true });
    yield { format: 'unreadable', source, line, message: describeIoError(error) };
    return;
  }
  const finalFormat = format ?? detectFormat(Buffer.concat(pending), true) ?? 'document';
  if (pendingBytes > 0 && finalFormat === 'ndjson' && options.holdPartialLine) {
    // Whole lines only: a line still being appended is read next time, from its start.
    const rest = Buffer.concat(pending, pendingBytes);
    const whole = rest.subarray(0, rest.lastIndexOf(NEWLINE) + 1);
    if (whole.length > 0) yield { format: 'ndjson', source, firstLine: lines + 1, bytes: whole };
    options.onEnd?.({ consumedTo: consumed + whole.length, ndjson: true, unreadable: false });
    return;
  }
  if (pendingBytes > 0) yield* flush(finalFormat, source, lines, pending, pendingBytes);
  options.onEnd?.({ consumedTo: consumed + pendingBytes, ndjson: finalFormat === 'ndjson', unreadable: false });
}

/** Splits a whole, already-inflated input into chunks as the streaming path would. */
export function chunksOfWhole(bytes: Buffer, source: string): PlainChunk[] {
  const format = detectFormat(bytes, true) ?? 'document';
  if (format === 'document') return [{ format, source, bytes }];
  const chunks: PlainChunk[] = [];
  let line = 1;
  for (let start = 0; start < bytes.length; ) {
    let end = start + NDJSON_CHUNK_BYTES >= bytes.length ? bytes.length : bytes.indexOf(NEWLINE, start + NDJSON_CHUNK_BYTES);
    end = end < 0 ? bytes.length : Math.min(bytes.length, end + 1);
    const slice = bytes.subarray(start, end);
    chunks.push({ format: 'ndjson', source, firstLine: line, bytes: slice });
    line += countNewlines(slice);
    start = end;
  }
  return chunks;
}

function* flush(
  format: 'ndjson' | 'document',
  source: string,
  lines: number,
  pending: Buffer[],
  pendingBytes: number,
): Generator<Chunk> {
  const bytes = Buffer.concat(pending, pendingBytes);
  if (format === 'ndjson') yield { format, source, firstLine: lines + 1, bytes };
  else yield { format, source, bytes };
}

async function* decompressed(raw: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  const iterator = raw[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) return;
  const head = asBuffer(first.value);
  if (isGzip(head)) {
    const gunzip = createGunzip();
    const feed = (async () => {
      try {
        if (!gunzip.write(head)) await onceDrained(gunzip);
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
          if (!gunzip.write(next.value as Buffer)) await onceDrained(gunzip);
        }
        gunzip.end();
      } catch (error) {
        gunzip.destroy(error as Error);
      }
    })();
    for await (const piece of gunzip) yield piece as Buffer;
    await feed;
    return;
  }
  yield head;
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield asBuffer(next.value);
}

/** A view, not a copy: file streams already give Buffers; other byte sources may give plain Uint8Arrays. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function onceDrained(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      stream.off('error', onError);
      resolve();
    };
    const onError = (error: Error) => {
      stream.off('drain', onDrain);
      reject(error);
    };
    stream.once('drain', onDrain);
    stream.once('error', onError);
  });
}

/**
 * `document` for a JSON document (a trail file `{"Records": [...]}`, `lookup-events` output
 * `{"Events": [...]}`, an array, or one pretty-printed event); `ndjson` when the first line is a whole
 * JSON object that is not such a wrapper. `null` while the first line is still incomplete.
 */
export function detectFormat(head: Buffer, atEnd = false): 'ndjson' | 'document' | null {
  let start = 0;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) start = 3; // UTF-8 BOM
  while (start < head.length && isJsonSpace(head[start]!)) start++;
  if (start >= head.length) return atEnd ? 'document' : null;
  if (head[start] !== 0x7b /* { */) return 'document';
  const prefix = head.subarray(start, start + 64).toString('utf8');
  if (/^\{\s*"(Records|Events)"\s*:/.test(prefix)) return 'document';
  const end = head.indexOf(NEWLINE, start);
  if (end < 0 && !atEnd) return null;
  const firstLine = head.subarray(start, end < 0 ? head.length : end).toString('utf8');
  try {
    const value: unknown = JSON.parse(firstLine);
    if (isJsonObject(value)) return Array.isArray(value.Records) || Array.isArray(value.Events) ? 'document' : 'ndjson';
    return 'document';
  } catch {
    // The first line is not a whole value: a pretty-printed document, or NDJSON whose first line is
    // damaged. A document is the reading that loses nothing: its salvage pass still finds the events.
    return 'document';
  }
}

function isJsonSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

export function countNewlines(bytes: Uint8Array): number {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let count = 0;
  for (let at = buffer.indexOf(NEWLINE); at >= 0; at = buffer.indexOf(NEWLINE, at + 1)) count++;
  return count;
}
