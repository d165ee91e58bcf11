/**
 * Reads one byte source as a sequence of chunks, each a run of whole top-level JSON values (so
 * chunks can be split into records independently, on any thread), or one whole small gzip.
 * Formats are found from the content (gzip by its magic bytes), never from the name: `aws s3 sync`
 * copies, `lookup-events` output and NDJSON exports all end in `.json` somewhere.
 *
 * Chunks are cut at line ends where no value is open. A line that looks like one whole record
 * (`{…}`, the NDJSON case) is taken as closed without looking inside it; other lines (pretty-printed
 * documents) are walked by the structural scanner, whose state carries from line to line.
 */
import { createGunzip } from 'node:zlib';
import type { ByteSource } from '../byte-source';
import type { Loss } from '../source-item';
import { describeIoError, describeGzipError, isGzip } from './file-facts';
import { Expect, isJsonSpace, scanValue, ScanText, type ScanResult } from './json-scan';
import { BufferPool } from './read-buffers';
import { occursAt } from './byte-needle';
import { startsWithTimestamp, withoutLogPrefixesRead } from './log-text';

/** Chunks are cut at line ends near this size: small enough to spread over workers, large enough to amortise messaging. */
export const CHUNK_BYTES = 1 << 20;

/** Gzipped inputs up to this size are handed over whole and inflated by whoever scans them (a worker), not streamed here. */
export const WHOLE_GZIP_BYTES = 32 << 20;

export type Chunk =
  /**
   * Whole top-level values starting on line `firstLine`. The reader never touches the bytes after
   * handing them on; they are often a view of the buffer they were read into (a thread that sends
   * them to a worker copies them out first, unless that memory is shared: `sharedBuffers`). `recordLines`, when set, says every line is one `{…}`
   * (no blank line, no document, nothing spanning lines) and how many lines there are: a reader
   * with a literal to look for may then skip the lines without it unseen, and still count them.
   */
  | { readonly format: 'text'; readonly source: string; readonly firstLine: number; readonly bytes: Uint8Array; readonly recordLines?: number }
  /** A whole gzipped input, still compressed: see `inflateChunk`. */
  | { readonly format: 'gzip'; readonly source: string; readonly bytes: Uint8Array }
  /** The input could not be read past this point (corrupt gzip, I/O error); earlier chunks stand. */
  | { readonly format: 'unreadable'; readonly source: string; readonly line: number; readonly message: string; readonly loss: Loss };

export type TextChunk = Extract<Chunk, { readonly format: 'text' }>;

/** A chunk whose bytes are ready to read as records (a `gzip` chunk is inflated into these first). */
export type PlainChunk = Exclude<Chunk, { readonly format: 'gzip' }>;

const NEWLINE = 0x0a;

/** How an input's reading ended: what an incremental run stores to continue from. */
export interface ReadEnd {
  /** Absolute offset after the last complete line read (plain input), or the bytes read (gzip). */
  readonly consumedTo: number;
  /**
   * Every line read was one whole record (NDJSON), so the input can be continued from `consumedTo`
   * when it grows. A document that grew was rewritten (its closing brackets moved) and cannot.
   */
  readonly ndjson: boolean;
  /** Reading stopped at damage or an I/O error (a gzip still being downloaded, say). */
  readonly unreadable: boolean;
}

export interface ReadChunksOptions {
  /** Start reading at this byte offset (continuing NDJSON from a previous run); ignored by sources that cannot seek. */
  readonly start?: number;
  /** Leave a last line without its newline unread (it may still be being written); for incremental runs. */
  readonly holdPartialLine?: boolean;
  readonly onEnd?: (end: ReadEnd) => void;
  readonly signal?: AbortSignal;
  /** Chunk size for inputs read in bulk (default CHUNK_BYTES); live inputs hand on what they have. */
  readonly chunkBytes?: number;
  /**
   * The caller is done with each chunk's bytes when it asks for the next chunk (it scans them or
   * copies them out, and keeps nothing that refers to them): the memory they were read into is then
   * read into again.
   */
  readonly reuseBuffers?: boolean;
  /** With `reuseBuffers`: read into shared memory while worker threads take the chunks (see `SharedReads`). */
  readonly sharedBuffers?: SharedReads;
}

/** Reading for worker threads that are sent chunks in shared memory, as they lie (the scan pool). */
export interface SharedReads {
  /** Whether chunks go to the workers now: reads go to shared memory from then on. */
  readonly ready: boolean;
  /** Whether a worker may still read this memory: it is not read into again until it is not. */
  inUse(memory: ArrayBufferLike): boolean;
}

export async function* readChunks(input: ByteSource, options: ReadChunksOptions = {}): AsyncGenerator<Chunk> {
  const source = input.name;
  const start = input.seekable === true ? (options.start ?? 0) : 0;
  const end = (consumedTo: number, ndjson: boolean, unreadable: boolean) => options.onEnd?.({ consumedTo, ndjson, unreadable });
  const shared = options.sharedBuffers;
  const buffers = options.reuseBuffers === true ? new BufferPool(() => shared?.ready === true) : null;
  const iterator = input.open({ start, ...(options.signal ? { signal: options.signal } : {}), ...(buffers ? { buffers } : {}) })[Symbol.asyncIterator]();
  let first: IteratorResult<Uint8Array>;
  try {
    first = await iterator.next();
  } catch (error) {
    end(start, false, true);
    yield { format: 'unreadable', source, line: 0, message: describeIoError(error), loss: 'rest' };
    return;
  }
  if (first.done === true) {
    end(start, true, false);
    return;
  }
  const head = asBuffer(first.value);
  if (start === 0 && isGzip(head) && input.size !== undefined && input.size <= WHOLE_GZIP_BYTES) {
    // Trail files are small gzips: inflating them where they are scanned keeps this thread free and
    // avoids thousands of round trips through zlib's thread pool.
    const pieces = [head];
    try {
      for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) pieces.push(asBuffer(next.value));
    } catch (error) {
      end(0, false, true);
      yield { format: 'unreadable', source, line: 0, message: describeIoError(error), loss: 'rest' };
      return;
    }
    const bytes = concatOwned(pieces);
    end(bytes.length, false, false);
    yield { format: 'gzip', source, bytes };
    return;
  }
  const gzip = isGzip(head);
  const utf16 = start === 0 ? utf16Encoding(head) : null;
  // The first read of a live feed may hold too little to tell log text (a prefix alone on its line): text that
  // starts with a timestamp goes through the reader that tells, as decoded text does.
  const logText = !gzip && utf16 === null && start === 0 && startsWithTimestamp(head);
  // Bytes read are not the bytes cut: offsets in the input mean nothing to the cutter.
  const decoded = gzip || utf16 !== null || logText;
  // A live feed (`tail -f … | ctq`) passes on whole values as they come rather than waiting for a full chunk.
  const cutter = new ChunkCutter(source, input.once === true ? 1 : (options.chunkBytes ?? CHUNK_BYTES));
  // Decoded text may be CloudWatch Logs text (log-text.ts), told from its start, as may a plain file's.
  const text = gzip ? gunzipped(head, iterator) : utf16 !== null ? fromUtf16(utf16, head, iterator) : rest(head, iterator);
  const pieces = (decoded ? withoutLogPrefixesRead(text) : text)[Symbol.asyncIterator]();
  for (let first = true; ; first = false) {
    // Every chunk handed on so far is done with; what the cutter still holds is not. The first read
    // is not with the cutter yet, and zlib may still be reading a compressed piece: neither is taken back.
    if (!first && !decoded) buffers?.reclaim((memory) => cutter.holds(memory) || shared?.inUse(memory) === true);
    // Only reading can fail as damage; an error in the cutting below is a bug and surfaces as one.
    let next: IteratorResult<Buffer>;
    try {
      next = await pieces.next();
    } catch (error) {
      // Whole lines before the fault stand; an incremental run continues after them next time.
      if (options.holdPartialLine === true) yield* cutter.flushLines();
      else yield* cutter.flush();
      end(start + cutter.consumed, cutter.ndjson && !decoded, true);
      const fault = gzip ? describeGzipError(error, cutter.consumed + cutter.pending) : { message: describeIoError(error), loss: 'rest' as const };
      yield { format: 'unreadable', source, line: cutter.nextLine, ...fault };
      return;
    }
    if (next.done === true) break;
    yield* cutter.push(next.value);
  }
  if (options.holdPartialLine === true && !decoded) {
    // Whole lines only: a line still being appended is read next time, from its start.
    yield* cutter.flushLines();
    end(start + cutter.consumed, cutter.ndjson, false);
    return;
  }
  yield* cutter.flush();
  end(start + cutter.consumed, cutter.ndjson && !decoded, false);
}

/** Cuts a text chunk into smaller ones of about `size` bytes, at the same kind of boundary. */
export function* rechunk(chunk: TextChunk, size: number): Generator<TextChunk> {
  const bytes = asBuffer(chunk.bytes);
  if (chunk.recordLines !== undefined) {
    // Every line is a record: any line end is a boundary, and no line needs looking at again.
    let firstLine = chunk.firstLine;
    for (let from = 0; from < bytes.length; ) {
      const newline = bytes.indexOf(NEWLINE, Math.min(bytes.length, from + size - 1));
      const end = newline < 0 ? bytes.length : newline + 1;
      const slice = bytes.subarray(from, end);
      const lines = countNewlines(slice);
      yield { format: 'text', source: chunk.source, firstLine, bytes: slice, recordLines: lines };
      firstLine += lines;
      from = end;
    }
    return;
  }
  const cutter = new ChunkCutter(chunk.source, size, chunk.firstLine);
  for (let from = 0; from < bytes.length; ) {
    const newline = bytes.indexOf(NEWLINE, Math.min(bytes.length, from + size));
    const end = newline < 0 ? bytes.length : newline + 1;
    yield* cutter.push(bytes.subarray(from, end));
    from = end;
  }
  yield* cutter.flush();
}

/**
 * Gathers lines and hands them on in chunks that end where no value is open. Each byte is copied
 * once (into the chunk it ends up in); a long line costs linear time however many reads it spans.
 */
class ChunkCutter {
  /** Bytes after the last newline seen. */
  private partial: Buffer[] = [];
  /** Whole lines not yet handed on; the first `cutBytes` of them end where no value is open. */
  private held: Buffer[] = [];
  private heldBytes = 0;
  private cutBytes = 0;
  private cutLines = 0;
  private heldLines = 0;
  /** A value spanning lines, still open at the end of `held`: its scanner state. */
  private open: { stack: number[]; expect: Expect } | null = null;
  /**
   * Offset (counted like `consumed`) up to which some line was not one `{…}` record: a chunk that
   * starts at or after it holds record lines only. Set per piece of lines, which errs towards
   * the careful reading.
   */
  private irregularTo = 0;
  /** Whether some bytes taken in but not handed on lie in this memory. */
  holds(memory: ArrayBufferLike): boolean {
    return this.held.some((piece) => piece.buffer === memory) || this.partial.some((piece) => piece.buffer === memory);
  }

  /** Bytes taken in but not yet handed on. */
  get pending(): number {
    return this.heldBytes + this.partial.reduce((n, p) => n + p.length, 0);
  }

  /** Bytes handed on (from the start offset). */
  consumed = 0;
  /** The line number the next chunk starts on. */
  nextLine: number;
  /** Every line so far was one whole record. */
  ndjson = true;

  constructor(
    private readonly source: string,
    private readonly sliceBytes: number,
    firstLine = 1,
  ) {
    this.nextLine = firstLine;
  }

  *push(piece: Buffer): Generator<TextChunk> {
    // Hand on what is cut before this piece would carry the chunk past its size: chunks (and so each
    // chunk's output, held until written) stay near `sliceBytes` rather than growing to twice it when
    // reads are as large as chunks.
    if (this.cutBytes > 0 && this.cutBytes + piece.length > this.sliceBytes) yield this.take(this.cutBytes, this.cutLines);
    const last = piece.lastIndexOf(NEWLINE);
    if (last < 0) {
      this.partial.push(piece);
      return;
    }
    if (this.partial.length === 0) this.addLines(piece.subarray(0, last + 1));
    else {
      // Only the line that straddles the reads is joined (copied); the rest of the piece is used in
      // place. When the piece is large and what is held ends cleanly with the joined line, that is
      // handed on first, so the rest of the piece becomes a chunk of its own that is never copied.
      const first = piece.indexOf(NEWLINE);
      this.addLines(Buffer.concat([...this.partial, piece.subarray(0, first + 1)]));
      if (last - first >= this.sliceBytes / 2 && this.cutBytes > 0 && this.cutBytes === this.heldBytes) yield this.take(this.cutBytes, this.cutLines);
      if (first < last) this.addLines(piece.subarray(first + 1, last + 1));
    }
    this.partial = last + 1 < piece.length ? [piece.subarray(last + 1)] : [];
    if (this.cutBytes >= this.sliceBytes) yield this.take(this.cutBytes, this.cutLines);
  }

  /** Everything left, including a last line without a newline and a value still open (the reader reports it truncated). */
  *flush(): Generator<TextChunk> {
    const tail = Buffer.concat(this.partial);
    this.partial = [];
    if (tail.length > 0) {
      this.held.push(tail);
      this.heldBytes += tail.length;
      this.irregularTo = this.consumed + this.heldBytes; // a last line without its newline: read carefully
    }
    if (this.heldBytes > 0) yield this.take(this.heldBytes, this.heldLines);
  }

  /** What ends where no value is open; a partial last line and an open value stay unread. */
  *flushLines(): Generator<TextChunk> {
    if (this.cutBytes > 0) yield this.take(this.cutBytes, this.cutLines);
  }

  private addLines(lines: Buffer): void {
    const text = new ScanText(lines);
    const n = lines.length;
    let lastCut = -1;
    let regular = this.open === null;
    let p = 0;
    while (p < n) {
      let scan: ScanResult | null = null;
      let stack: number[] = [];
      if (this.open !== null) {
        stack = this.open.stack;
        scan = scanValue(text, p, n, stack, this.open.expect);
        this.open = null;
      } else {
        while (p < n && (lines[p] === 0x20 || lines[p] === 0x09 || lines[p] === 0x0d || isBom(lines, p))) p += isBom(lines, p) ? 3 : 1;
        if (p >= n) break;
        if (lines[p] === NEWLINE) {
          regular = false;
          lastCut = ++p;
          continue;
        }
        const lineEnd = text.nextNewline(p);
        let e = lineEnd;
        while (e > p && isJsonSpace(lines[e - 1]!)) e--;
        const atLineStart = p === 0 || lines[p - 1] === NEWLINE || isBom(lines, p - 3);
        if (atLineStart && lines[p] === 0x7b && lines[e - 1] === 0x7d) {
          // One whole record on its line (NDJSON), or a one-line document: taken as closed unread.
          if (isDocumentStart(lines, p, e)) this.ndjson = regular = false;
          lastCut = p = lineEnd + 1;
          continue;
        }
        regular = false;
        const opensAtEnd = lines[e - 1] === 0x7b || lines[e - 1] === 0x5b;
        if (atLineStart && lines[p] === 0x7b && lines[p + 1] === 0x22 && !opensAtEnd && !isDocumentStart(lines, p, e)) {
          // Compact JSON never spans lines: the reader reads this damaged line on its own, and so does this.
          // A value opening at the line's end (`{…}{`, a pretty-printed value glued on) does: it is scanned.
          this.ndjson = false;
          lastCut = p = lineEnd + 1;
          continue;
        }
        this.ndjson = false;
        if (lines[p] !== 0x7b && lines[p] !== 0x5b) {
          lastCut = p = lineEnd + 1; // not JSON: the reader reports the line
          continue;
        }
        scan = scanValue(text, p, n, stack);
      }
      if (!scan.ok && scan.at >= n && scan.expect !== undefined) {
        this.open = { stack, expect: scan.expect }; // still open at the end of these lines
        break;
      }
      // The value ended (and more may follow on its line), or broke: the reader resumes on the next line, as this does.
      if (scan.ok) p = scan.end;
      else lastCut = p = text.nextNewline(scan.at) + 1;
    }
    if (lastCut > n) lastCut = n;
    if (!regular) this.irregularTo = this.consumed + this.heldBytes + n;
    const beforeCut = lastCut > 0 ? countNewlines(lines.subarray(0, lastCut)) : 0;
    if (lastCut >= 0) {
      this.cutBytes = this.heldBytes + lastCut;
      this.cutLines = this.heldLines + beforeCut;
    }
    this.held.push(lines);
    this.heldBytes += n;
    this.heldLines += beforeCut + countNewlines(lines.subarray(Math.max(lastCut, 0)));
  }

  /**
   * Hands on the first `bytes` held (ending `lines` newlines later) as one chunk: a view of the
   * memory they were read into when they lie in one run of it, else a copy.
   */
  private take(bytes: number, lines: number): TextChunk {
    const records = this.irregularTo <= this.consumed ? lines : undefined;
    const chunk = contiguousRun(this.held, bytes) ?? copied(this.held, bytes);
    let left = bytes;
    let used = 0;
    while (left > 0) {
      const piece = this.held[used]!;
      if (piece.length <= left) {
        left -= piece.length;
        used++;
      } else {
        this.held[used] = piece.subarray(left);
        left = 0;
      }
    }
    this.held.splice(0, used);
    this.heldBytes -= bytes;
    this.heldLines -= lines;
    this.cutBytes = 0;
    this.cutLines = 0;
    this.consumed += bytes;
    const firstLine = this.nextLine;
    this.nextLine += lines;
    return { format: 'text', source: this.source, firstLine, bytes: chunk, ...(records !== undefined ? { recordLines: records } : {}) };
  }
}

/**
 * The first `bytes` of the pieces as one view, when the pieces covering them follow each other in
 * one buffer (one read, or slices of one chunk); else null.
 */
function contiguousRun(pieces: readonly Buffer[], bytes: number): Buffer | null {
  const first = pieces[0]!;
  let end = first.byteOffset + first.length;
  for (let i = 1; end - first.byteOffset < bytes; i++) {
    const piece = pieces[i]!;
    if (piece.buffer !== first.buffer || piece.byteOffset !== end) return null;
    end += piece.length;
  }
  return Buffer.from(first.buffer, first.byteOffset, bytes);
}

/** The first `bytes` of the pieces, copied into one buffer of its own. */
function copied(pieces: readonly Buffer[], bytes: number): Buffer {
  const out = Buffer.allocUnsafeSlow(bytes);
  let filled = 0;
  for (let i = 0; filled < bytes; i++) filled += pieces[i]!.copy(out, filled, 0, Math.min(pieces[i]!.length, bytes - filled));
  return out;
}

/**
 * CloudWatch Logs Insights results (`aws logs get-query-results`: `{"results":[[{"field":"@timestamp","value":…},
 * {"field":"@message","value":…},{"field":"@ptr","value":…}],…],"statistics":…,"status":…}`): each row is one
 * log event, a list of field and value pairs, the fields the query asked for and `@ptr` (CloudWatch Logs API
 * reference, GetQueryResults).
 */
export const INSIGHTS_RESULTS_KEY = 'results';

/**
 * The keys whose array holds the records: trail files (`Records`), `lookup-events` output (`Events`), and
 * CloudWatch Logs, where a trail can also deliver (each log event's `message` is a record as JSON text): a
 * subscription's payload as Firehose writes it to S3 (`{"messageType":"DATA_MESSAGE",…,"logEvents":[…]}`),
 * `aws logs filter-log-events` / `get-log-events` output (`{"events":[…]}`) and Logs Insights results
 * (`aws logs get-query-results`: `{"results":[[{"field":"@message","value":…},…],…]}`, records.ts).
 */
export const RECORD_LIST_KEYS: ReadonlySet<string> = new Set(['Records', 'Events', 'logEvents', 'events', INSIGHTS_RESULTS_KEY]);

/**
 * The first keys that make a `{…}` line a document holding records rather than one record: a record list
 * (`RECORD_LIST_KEYS`), or a member that only such documents start with — `$metadata`, first in every
 * response of the AWS SDK for JavaScript v3 (`JSON.stringify` of a LookupEvents response), `messageType`,
 * first in a CloudWatch Logs subscription payload, and LookupEvents' own `NextToken` (no record has one) —
 * whose record list comes later. records.ts reads such a line carefully, record by record; taken as one record, a pre-filter that
 * rules it out would count its records as one. A document whose first key is any other is still taken so.
 */
export const DOCUMENT_FIRST_KEYS: ReadonlySet<string> = new Set([...RECORD_LIST_KEYS, '$metadata', 'messageType', 'NextToken']);

/** Whether a `{…}` line is a document (its first key is one of `DOCUMENT_FIRST_KEYS`) rather than one record: as the reader tells them apart. */
function isDocumentStart(lines: Buffer, s: number, e: number): boolean {
  let k = s + 1;
  while (k < e && isJsonSpace(lines[k]!)) k++;
  // Asked of every line: a first key that starts with none of the keys' first bytes settles it without decoding.
  if (lines[k] !== 0x22) return false;
  const key = DOCUMENT_KEYS_BY_START.get(lines[k + 1]!)?.find((name) => occursAt(lines, k, name, e));
  if (key === undefined) return false;
  let colon = k + key.length;
  while (colon < e && isJsonSpace(lines[colon]!)) colon++;
  return lines[colon] === 0x3a;
}

/** The keys as written (`"Records"`), by their name's first byte. */
const DOCUMENT_KEYS_BY_START = new Map<number, Buffer[]>();
for (const name of DOCUMENT_FIRST_KEYS) {
  const start = name.charCodeAt(0);
  DOCUMENT_KEYS_BY_START.set(start, [...(DOCUMENT_KEYS_BY_START.get(start) ?? []), Buffer.from(JSON.stringify(name))]);
}

async function* rest(head: Buffer, iterator: AsyncIterator<Uint8Array>): AsyncGenerator<Buffer> {
  yield head;
  for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) yield asBuffer(next.value);
}

/**
 * The encoding of a text that starts with a UTF-16 byte order mark: what Windows PowerShell 5.1 writes
 * for `>` (Out-File's default, "Unicode"). JSON's own byte order mark is UTF-8's.
 */
function utf16Encoding(head: Buffer): 'utf-16le' | 'utf-16be' | null {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return null;
}

/** UTF-16 text as UTF-8, piece by piece (a character split between pieces is held over); the mark is dropped. */
async function* fromUtf16(encoding: 'utf-16le' | 'utf-16be', head: Buffer, iterator: AsyncIterator<Uint8Array>): AsyncGenerator<Buffer> {
  const decoder = new TextDecoder(encoding);
  for await (const piece of rest(head, iterator)) yield Buffer.from(decoder.decode(piece, { stream: true }), 'utf8');
  const tail = decoder.decode();
  if (tail !== '') yield Buffer.from(tail, 'utf8');
}

/** Inflates a gzip stream; every member of a multi-member file (`cat a.gz b.gz`) in turn, as `gzip -dc` does. */
async function* gunzipped(head: Buffer, iterator: AsyncIterator<Uint8Array>): AsyncGenerator<Buffer> {
  const gunzip = createGunzip();
  const feed = (async () => {
    try {
      if (!gunzip.write(head)) await onceDrained(gunzip);
      for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) {
        if (!gunzip.write(asBuffer(next.value))) await onceDrained(gunzip);
      }
      gunzip.end();
    } catch (error) {
      gunzip.destroy(error as Error);
    }
  })();
  for await (const piece of gunzip) yield piece as Buffer;
  await feed;
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

/** One buffer of its own (transferable to a worker) holding all the pieces. */
function concatOwned(pieces: readonly Buffer[]): Buffer {
  const total = pieces.reduce((n, p) => n + p.length, 0);
  const out = Buffer.allocUnsafeSlow(total);
  let at = 0;
  for (const piece of pieces) at += piece.copy(out, at);
  return out;
}

function isBom(bytes: Buffer, p: number): boolean {
  return p >= 0 && bytes[p] === 0xef && bytes[p + 1] === 0xbb && bytes[p + 2] === 0xbf;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function countNewlines(bytes: Uint8Array): number {
  const buffer = asBuffer(bytes);
  let count = 0;
  for (let at = buffer.indexOf(NEWLINE); at >= 0; at = buffer.indexOf(NEWLINE, at + 1)) count++;
  return count;
}
