/**
 * Splits text into records: any sequence of top-level JSON values back to back, in any mix — NDJSON
 * lines, trail documents `{"Records":[…]}` (one per line or glued together as `cat *.json` makes
 * them), `lookup-events` output `{"Events":[…]}`, bare arrays, pretty-printed events — with or
 * without whitespace between them, as jq reads them. Each record keeps its original bytes (printed
 * as recorded) and its `source:line`.
 *
 * One pass, linear, no recursion. Lines that look like one whole record (`{…}`) take the fast path:
 * the literal pre-filter on the raw bytes, then `JSON.parse` of the line. Anything else is walked by
 * the structural scanner (`json-scan.ts`), which finds damage where it is: a damaged record costs
 * that record, and reading resumes at the next record (the next line for NDJSON, the next
 * `{"eventVersion"` inside a list of trail records).
 */
import { isJsonObject } from '../../language/json';
import type { LiteralNeedles, RecordPrefilter } from '../../language/prefilter';
import type { Loss, Origin } from '../source-item';
import { ByteNeedle, NeedleCursor } from './byte-needle';
import { DOCUMENT_FIRST_KEYS, INSIGHTS_RESULTS_KEY, RECORD_LIST_KEYS, type PlainChunk } from './chunks';
import { MemberNames, readMembers } from './json-members';
import { compactJson, CONTAINER, Expect, isJsonSpace, nestsDeeperThan, scanValue, ScanText, skipJsonSpace, type ScanResult } from './json-scan';
import type { JsonObject } from '../../language/json';

export interface RecordVisitor {
  /**
   * Literals of which one must occur in a record's raw text for it to possibly match: records with
   * none are counted as scanned without being decoded or parsed (the ripgrep trick). Only records
   * whose shape was checked (`{…}` on a line, or a span the scanner closed) are skipped this way, so
   * damage is still parsed and reported.
   */
  readonly literal: LiteralNeedles | null;
  /**
   * A finer test of the same records on their raw bytes, asked when the literal passed (or there is
   * none): records it rules out are counted as ruled out, never parsed.
   */
  readonly gate?: RecordPrefilter | null;
  /**
   * Takes records from their raw bytes alone where it can (the identity graph's first pass reads a few
   * members of every record): asked of each record on the fast path that the pre-filters let through,
   * true when it took the record, which then counts as ruled out (scanned, never decoded or parsed).
   */
  readonly raw?: RawRecordReader | null;
  /**
   * Records the pre-filters rule out are still read, quietly, for something every record holds (the
   * identity graph's facts, gathered in the same pass as the query): see `RuledOutReader`.
   */
  readonly ruledOutReader?: RuledOutReader | null;
  /** `text` is the record's JSON as recorded, on one line. */
  event(event: JsonObject, text: string, origin: Origin): void;
  /**
   * Set when every record matches, written as recorded, and nothing reads the events (`ctq '*:*'` into NDJSON):
   * a record the strict reading takes whole (json-members.ts: `JSON.parse` would give one object, and it holds
   * none of the members that make it a wrapper or a document) is handed over as its text, never parsed.
   */
  readonly acceptedAsRecorded?: ((text: string) => void) | null;
  /**
   * False when the visitor never reads an event's line (a scan that writes matches): events may
   * then come with line 0, which saves a newline search per line. Bad records always carry theirs.
   */
  readonly eventLines?: boolean;
  /** Records the literal search ruled out (`count` of them at once): scanned, filtered out, never parsed. */
  ruledOut(count: number): void;
  bad(origin: Origin, message: string, loss: Loss): void;
}

/**
 * How records the pre-filters rule out are read when a scan needs something from every record: from
 * their raw bytes by `raw` where it takes them, else parsed and handed to `event` (a `lookup-events`
 * item's inner record, as `RecordVisitor.event` would get it). They still count as ruled out, and their
 * damage is never reported: a record the literal rules out is filtered, not bad, whatever its bytes.
 */
export interface RuledOutReader {
  readonly raw: RawRecordReader;
  event(event: JsonObject): void;
}

/** Made once per chunk, like a pre-filter: given the chunk's bytes, a test of the record at `start..end`. */
export type RawRecordReader = (buffer: Buffer) => (start: number, end: number) => boolean;

/**
 * Records nested deeper than this are bad records: every later stage (the query, `--enrich`, `$..`)
 * may walk a record recursively, and no CloudTrail event comes near it.
 */
export const MAX_RECORD_DEPTH = 512;

export function visitChunk(chunk: PlainChunk, visitor: RecordVisitor): void {
  if (chunk.format === 'unreadable') {
    visitor.bad({ source: chunk.source, line: chunk.line }, chunk.message, chunk.loss);
    return;
  }
  new RecordSplitter(chunk.bytes, chunk.source, chunk.firstLine, visitor, chunk.recordLines).run();
}

const NEWLINE = 0x0a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;

/** What may follow a top-level value on its line: another value (a BOM counts as blank). */
const TOP_LEVEL_FOLLOWERS = [OPEN_BRACE, OPEN_BRACKET, 0xef];
/** What may follow a record in a list: a comma, the list's end, or the next record (a missing comma, reported). */
const LIST_FOLLOWERS = [COMMA, CLOSE_BRACKET, OPEN_BRACE];

/** The lengths of the names `firstKey` decodes (every other first key is no document's). */
const DOCUMENT_KEY_LENGTHS = new Set([...DOCUMENT_FIRST_KEYS].map((name) => name.length));

class RecordSplitter {
  private readonly text: ScanText;
  private readonly buffer: Buffer;
  private readonly hits: HitCursor | null;
  private readonly gate: ((start: number, end: number) => boolean) | null;
  private readonly raw: ((start: number, end: number) => boolean) | null;
  /** Takes a record from its bytes alone when every record is accepted as recorded (`RecordVisitor.acceptedAsRecorded`). */
  private readonly asRecorded: ((start: number, end: number) => boolean) | null;
  private readonly ruledOutRaw: ((start: number, end: number) => boolean) | null;
  private readonly resync: RecordStarts;
  private readonly listStarts: ListRecordStarts;
  private readonly junk = new JunkRun();
  /** The origin of events when the visitor does not read their lines. */
  private readonly unnumbered: Origin;
  /** A JSON value began somewhere in this text (so leading junk is damage, not a file of another kind). */
  private sawValue = false;
  /** Line numbers: `lineNo` is the line that `lineFrom` is on. */
  private lineFrom = 0;
  private lineNo: number;

  constructor(
    bytes: Uint8Array,
    private readonly source: string,
    private readonly firstLine: number,
    private readonly visitor: RecordVisitor,
    /** The chunk's line count when every line is one `{…}` record (see `TextChunk`). */
    private readonly recordLines?: number,
  ) {
    this.text = new ScanText(bytes);
    this.buffer = this.text.buffer;
    this.lineNo = firstLine;
    this.unnumbered = { source, line: 0 };
    this.hits = visitor.literal === null ? null : new HitCursor(this.buffer, visitor.literal);
    this.gate = visitor.gate === undefined || visitor.gate === null ? null : visitor.gate(this.buffer);
    this.raw = visitor.raw === undefined || visitor.raw === null ? null : visitor.raw(this.buffer);
    this.asRecorded = visitor.acceptedAsRecorded === undefined || visitor.acceptedAsRecorded === null ? null : this.acceptAsRecorded(visitor.acceptedAsRecorded);
    this.ruledOutRaw = visitor.ruledOutReader === undefined || visitor.ruledOutReader === null ? null : visitor.ruledOutReader.raw(this.buffer);
    this.resync = new RecordStarts(this.buffer);
    this.listStarts = new ListRecordStarts(this.buffer);
  }

  run(): void {
    const length = this.buffer.length;
    // Lines without a hit are passed over unseen, so not when every record is read for something.
    if (this.hits !== null && this.recordLines !== undefined && this.ruledOutRaw === null) this.hitLines(this.hits, this.recordLines);
    else for (let p = 0; p < length; ) p = this.line(p);
    this.flushJunk(true);
  }

  /**
   * The ripgrep way, for a chunk whose lines are all one `{…}` record each: search the whole chunk
   * for the needles and read only the lines they fall on. Every other line is a record ruled out
   * unseen; how many there are follows from the chunk's line count, so `scanned` stays exact.
   */
  private hitLines(hits: HitCursor, lines: number): void {
    const { buffer } = this;
    let read = 0;
    for (let p = 0; p < buffer.length; read++) {
      const hit = hits.firstFrom(p);
      if (hit < 0) break;
      // `p` starts a line, so the newline before the hit is at `p - 1` or later.
      p = this.line(hit === 0 ? 0 : buffer.lastIndexOf(NEWLINE, hit - 1) + 1);
    }
    if (lines > read) this.visitor.ruledOut(lines - read);
  }

  /** The line starting at `p`, and any value begun on it; returns where the next line to read starts. */
  private line(p: number): number {
    const { buffer } = this;
    const lineEnd = this.text.nextNewline(p);
    const s = skipBlank(buffer, p, lineEnd);
    if (s < lineEnd && buffer[s] !== OPEN_BRACE && buffer[s] !== OPEN_BRACKET) {
      this.junk.add(s, lineEnd, this.lineOf(s));
      return lineEnd + 1;
    }
    if (s >= lineEnd) return lineEnd + 1;
    let e = lineEnd;
    while (e > s && isJsonSpace(buffer[e - 1]!)) e--;
    this.sawValue = true;
    // In a chunk of record lines, the cutter has told records from documents already.
    if (buffer[s] === OPEN_BRACE && (this.recordLines !== undefined || !this.isDocument(s, e))) {
      this.flushJunk();
      if (buffer[e - 1] === CLOSE_BRACE && this.wholeRecord(s, e)) return lineEnd + 1;
      if (buffer[e - 1] === CLOSE_BRACE || buffer[s + 1] === 0x22) {
        // Several values on the line (`{…}{…}`), or damage: read it structurally, within the line.
        // A line that starts `{"` is compact JSON, which never spans lines (pretty-printers put
        // `{` alone on its line), so a record left open at its end is a damaged NDJSON line.
        return this.values(s, lineEnd);
      }
    }
    this.flushJunk();
    return this.values(s, buffer.length);
  }

  /**
   * The fast path, for a span that should be one record (an NDJSON line, a trail record up to the
   * next record start): the literal pre-filter, then `JSON.parse` of the span, which checks that it
   * is one whole value. False when it is not; the careful path then finds out what it is.
   */
  private wholeRecord(s: number, e: number): boolean {
    if (!this.mayMatch(s, e)) {
      this.readRuledOut(s, e);
      this.visitor.ruledOut(1);
      return true;
    }
    if (this.raw !== null && this.raw(s, e)) {
      this.visitor.ruledOut(1);
      return true;
    }
    if (this.asRecorded !== null && this.asRecorded(s, e)) return true;
    const text = this.buffer.toString('utf8', s, e);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return false;
    }
    // A document whose record list is not its first member (`{"$metadata":…,"Events":[…]}`), or a
    // digest file: the careful path finds the list's bytes, or skips the digest.
    if (isRecordDocument(value) || isDigest(value)) return false;
    // JSON.parse took it, so every bracket is closed: nesting deeper than the limit takes more than
    // twice as many bytes, and most records are shorter than that (the walk costs about half a parse).
    if (e - s > 2 * MAX_RECORD_DEPTH && nestsDeeperThan(this.text, s, e, MAX_RECORD_DEPTH)) this.tooDeep(this.origin(s));
    else {
      const line = this.oneLine(s, e, text);
      // The common case, without counting lines when the visitor never reads an event's.
      if (this.visitor.eventLines === false && isJsonObject(value) && !isWrapper(value)) this.visitor.event(value, line, this.unnumbered);
      else this.record(value, line, this.origin(s));
    }
    return true;
  }

  /**
   * A record taken from its bytes and handed over as recorded, without `JSON.parse` and the objects it makes:
   * only when the strict reading takes it whole and it holds no member that makes it other than one record.
   * Anything else (escapes, damage, a wrapper, a document, a digest, nesting past the limit) is left to the
   * ordinary path, which parses it and says what it is.
   */
  private acceptAsRecorded(accepted: (text: string) => void): (start: number, end: number) => boolean {
    const spans = NOT_PLAIN_RECORD.spans();
    return (s, e) => {
      if (!readMembers(this.buffer, s, e, NOT_PLAIN_RECORD, spans, MAX_RECORD_DEPTH)) return false;
      for (let i = 0; i < spans.length; i += 2) if (spans[i]! >= 0) return false;
      accepted(this.oneLine(s, e));
      return true;
    };
  }

  /** The record at `s..e` as written out, on one line (`text`: its bytes decoded already, if they are). */
  private oneLine(s: number, e: number, text?: string): string {
    return this.text.nextNewline(s) < e ? compactJson(this.text, s, e) : (text ?? this.buffer.toString('utf8', s, e));
  }

  /** The pre-filters on a record whose shape was checked: its literal needles, then the gate. */
  private mayMatch(s: number, e: number): boolean {
    if (this.hits !== null && !this.hits.within(s, e)) return false;
    return this.gate === null || this.gate(s, e);
  }

  /**
   * A record the pre-filters ruled out, read for the `ruledOutReader` (if any) as a scan with no
   * pre-filter would read it: its raw bytes, else parsed whole; a span that does not parse as one value
   * (`{…}{…}` on a line, damage) is split on its own, every record in it handed over, none reported.
   */
  private readRuledOut(s: number, e: number): void {
    const reader = this.visitor.ruledOutReader;
    if (reader === undefined || reader === null || this.ruledOutRaw!(s, e)) return;
    let value: unknown;
    try {
      value = JSON.parse(this.buffer.toString('utf8', s, e));
    } catch {
      new RecordSplitter(this.buffer.subarray(s, e), this.source, 0, quietVisitor(reader)).run();
      return;
    }
    if (e - s > 2 * MAX_RECORD_DEPTH && nestsDeeperThan(this.text, s, e, MAX_RECORD_DEPTH)) return;
    this.record(value, '', this.unnumbered, quietVisitor(reader));
  }

  /**
   * Top-level values from `p` until `limit` or until one ends a line, when the line loop takes over
   * again. Returns where that loop resumes: always the start of a line (or the end).
   */
  private values(p: number, limit: number): number {
    const { buffer } = this;
    for (let first = true; ; first = false) {
      p = skipBlank(buffer, p, limit);
      if (p >= limit) return limit + 1;
      if (!first && buffer[p - 1] === NEWLINE) return p; // a new line: back to the line loop and its fast path
      const c = buffer[p]!;
      if (c !== OPEN_BRACE && c !== OPEN_BRACKET) {
        const next = this.text.nextNewline(p);
        this.junk.add(p, next, this.lineOf(p));
        return next + 1;
      }
      this.flushJunk();
      // `{…}{` ending a line (`cat` of a compact file without a final newline and a pretty-printed one):
      // the value that opens there runs on past the line, whatever the line's first value did.
      if (!first && limit < buffer.length && skipJsonSpace(buffer, p + 1, limit) >= limit) return this.values(p, buffer.length);
      p = c === OPEN_BRACE ? this.object(p, limit) : this.list(p, limit, null).end;
    }
  }

  /** Reports a run of lines that hold no JSON object or list (text, or bare scalars) as one bad part (a text file is one report, not one per line). */
  private flushJunk(atEnd = false): void {
    const run = this.junk.take();
    if (run === null) return;
    const lines = run.lastLine > run.firstLine ? `lines ${run.firstLine}–${run.lastLine}` : `line ${run.firstLine}`;
    // An input that starts with such lines and holds no object or list at all is one unreadable file, said so.
    const whole = atEnd && !this.sawValue && run.firstLine === 1;
    const what = whole ? `not a file of JSON records: no JSON object or list in it (${lines}, ${describeSkip(run.bytes)})` : `not JSON records (${lines}: ${describeSkip(run.bytes)} skipped)`;
    this.visitor.bad({ source: this.source, line: run.firstLine }, what, { bytes: run.bytes });
  }

  /** A top-level object: a record, or a document holding a list of records. Returns where reading goes on. */
  private object(p: number, limit: number): number {
    const { buffer } = this;
    const key = this.firstKey(p, limit);
    if (key !== null && RECORD_LIST_KEYS.has(key.name)) {
      const value = skipJsonSpace(buffer, key.valueAt, limit);
      if (buffer[value] === OPEN_BRACKET) {
        const list = this.list(value, limit, key.name);
        if (!list.closed) return list.end;
        // The rest of the document (`"NextToken"` after `lookup-events`' `Events`, say).
        const rest = scanValue(this.text, list.end, limit, [CONTAINER.OBJECT], Expect.CommaOrClose);
        if (rest.ok) return rest.end;
        return this.damaged(p, rest, `document damaged after its ${key.name} list`, rest.at);
      }
      const whole = scanValue(this.text, p, limit);
      this.visitor.bad(this.origin(p), `"${key.name}" is ${describeStart(buffer[value])}, not a list of records`, 'record');
      return whole.ok ? whole.end : this.resyncLine(whole.at);
    }
    let scan = scanValue(this.text, p, limit);
    if (scan.ok && !this.endsCleanly(scan.end, limit, TOP_LEVEL_FOLLOWERS)) {
      // `{…}junk`: a stray `}` may have closed the record early; what came before is not a whole record.
      scan = { ok: false, at: skipJsonSpace(this.buffer, scan.end, limit), reason: 'unexpected bytes after the record' };
    }
    if (!scan.ok) return this.damaged(p, scan, 'damaged record', p);
    const origin = this.origin(p);
    if (scan.depth > MAX_RECORD_DEPTH) {
      this.tooDeep(origin);
      return scan.end;
    }
    const value = this.parse(p, scan.end, origin);
    if (value === undefined) return scan.end;
    if (isJsonObject(value)) {
      if (isControlMessage(value)) return scan.end;
      const listKey = recordListKey(value);
      if (listKey !== undefined) {
        // A document whose record list is not its first member: find that list's bytes.
        const at = this.memberValue(p, scan.end, listKey);
        if (at !== null) this.list(at, scan.end, listKey);
        return scan.end;
      }
      if (isDigest(value)) return scan.end;
    }
    this.record(value, this.spanText(p, scan.end), origin);
    return scan.end;
  }

  /**
   * The records of a list (`[…]`, or the array of `Records`/`Events`), each with its own bytes. A
   * damaged record is reported and reading resumes at the next record start.
   */
  private list(open: number, limit: number, key: string | null): { readonly end: number; readonly closed: boolean } {
    const { buffer } = this;
    let q = open + 1;
    let afterRecord = false;
    let commaWarned = false;
    for (;;) {
      let comma = false;
      for (; q < limit && (isJsonSpace(buffer[q]!) || buffer[q] === COMMA); q++) comma ||= buffer[q] === COMMA;
      if (q >= limit) {
        this.visitor.bad(this.origin(open), `${key === null ? 'list' : `"${key}" list`} not closed: the input ends inside it (truncated)`, 'none');
        return { end: limit + 1, closed: false };
      }
      if (buffer[q] === CLOSE_BRACKET) return { end: q + 1, closed: true };
      if (afterRecord && !comma && !commaWarned) {
        // Real archives have this (a forwarder that writes records without separators); the records
        // are all there, so it costs nothing, but the document is not valid JSON and is reported once.
        commaWarned = true;
        this.visitor.bad(this.origin(q), "missing ',' between records (every record was read)", 'none');
      }
      afterRecord = true;
      const quick = this.quickRecord(q, limit);
      if (quick !== null) {
        q = quick;
        continue;
      }
      let scan = scanValue(this.text, q, limit);
      if (scan.ok && !this.endsCleanly(scan.end, limit, LIST_FOLLOWERS)) {
        scan = { ok: false, at: skipJsonSpace(buffer, scan.end, limit), reason: "expected ',' or ']' after the record" };
      }
      if (!scan.ok && scan.at >= limit) {
        this.visitor.bad(this.origin(q), 'truncated record: the input ends inside it', 'record');
        return { end: limit + 1, closed: false };
      }
      if (!scan.ok) {
        const origin = this.origin(q);
        const next = this.nextRecordAfterDamage(q, limit);
        if (next < 0) {
          const lineEnd = this.resyncLine(scan.at);
          const bytes = Math.min(lineEnd, this.buffer.length) - q;
          this.visitor.bad(origin, `damaged record: ${scan.reason} (at ${this.where(scan.at)}); ${describeSkip(bytes)} skipped`, { bytes });
          return { end: lineEnd, closed: false };
        }
        this.visitor.bad(origin, `damaged record: ${scan.reason} (at ${this.where(scan.at)}); reading resumes at the next record`, 'record');
        q = next;
        afterRecord = false; // the comma before the next record went with the damage
        continue;
      }
      this.learnFirstKey(q, scan.end);
      this.listItem(q, scan, key);
      q = scan.end;
    }
  }

  /**
   * Where reading resumes after a damaged list record: the next `{"eventVersion"` or `{"EventId"` (which
   * valid JSON holds only at a record start), else — for copies whose keys were sorted, such as the
   * Stratus Red Team exports — the next `,{"KEY"` with a first key this list's records have shown, taken
   * only when a whole CloudTrail record starts there (it scans to its end, is followed by `,` or `]`, and
   * parses to an object with an event's members: a nested object with the same first key does not).
   */
  private nextRecordAfterDamage(from: number, limit: number): number {
    const marked = this.resync.after(from, limit);
    let at = from;
    for (;;) {
      const candidate = this.listStarts.after(at, marked < 0 ? limit : marked);
      if (candidate < 0) return marked;
      if (this.startsWholeRecord(candidate, limit)) return candidate;
      at = candidate;
    }
  }

  private startsWholeRecord(start: number, limit: number): boolean {
    const scan = scanValue(this.text, start, limit);
    if (!scan.ok || !this.endsCleanly(scan.end, limit, LIST_FOLLOWERS)) return false;
    let value: unknown;
    try {
      value = JSON.parse(this.buffer.toString('utf8', start, scan.end));
    } catch {
      return false;
    }
    return isJsonObject(value) && ('eventTime' in value || 'eventName' in value || 'EventId' in value);
  }

  /**
   * The fast path through a trail document: a record runs to the `},` before the next record start
   * (`{"eventVersion"`, found natively), so it is pre-filtered or parsed without walking its bytes;
   * `JSON.parse` checks it is whole. Returns the position of the comma after it, or null to take the
   * careful path (the last record, damage, records without a known first key).
   */
  private quickRecord(q: number, limit: number): number | null {
    const { buffer } = this;
    if (buffer[q] !== OPEN_BRACE) return null;
    const next = this.listStarts.after(q, limit);
    // A record start not at `,{` on the way (`[{"eventVersion"`, or a record after the list's end): the
    // span reaches into another list or value, and is no record. The pre-filters could pass over it
    // unparsed, and reading would go on inside that other list.
    if (next < 0 || this.listStarts.crossedAt > q) return null;
    let comma = next - 1;
    while (comma > q && isJsonSpace(buffer[comma]!)) comma--;
    if (buffer[comma] !== COMMA) return null;
    let end = comma;
    while (end > q && isJsonSpace(buffer[end - 1]!)) end--;
    if (buffer[end - 1] !== CLOSE_BRACE) return null;
    return this.wholeRecord(q, end) ? comma : null;
  }

  /** Tells the fast path the first key of a record the careful path read, so the records after it can be found natively. */
  private learnFirstKey(q: number, end: number): void {
    if (this.buffer[q] !== OPEN_BRACE) return;
    const k = skipJsonSpace(this.buffer, q + 1, end);
    if (this.buffer[k] !== 0x22) return;
    const close = this.text.stringEnd(k, end);
    if (close > 0) this.listStarts.learn(this.buffer.subarray(k, close));
  }

  private listItem(q: number, scan: Extract<ScanResult, { ok: true }>, key: string | null): void {
    const origin = this.origin(q);
    // A Logs Insights result row is a list of fields (`record` reads its `@message`).
    if (this.buffer[q] !== OPEN_BRACE && !(key === INSIGHTS_RESULTS_KEY && this.buffer[q] === OPEN_BRACKET)) {
      this.visitor.bad(origin, `expected a JSON object (a CloudTrail event), found ${describeStart(this.buffer[q])}`, 'record');
      return;
    }
    if (scan.depth > MAX_RECORD_DEPTH) {
      this.tooDeep(origin);
      return;
    }
    // A document in a list (`jq -s` of trail files: `[{"Records":[…]},…]`) holds records, not is one:
    // read before the pre-filters, which would count it as one record ruled out.
    if (this.isDocument(q, scan.end)) {
      this.object(q, scan.end);
      return;
    }
    if (!this.mayMatch(q, scan.end)) {
      this.readRuledOut(q, scan.end);
      this.visitor.ruledOut(1);
      return;
    }
    const value = this.parse(q, scan.end, origin);
    if (value === undefined) return;
    if (isRecordDocument(value)) this.object(q, scan.end);
    else this.record(value, this.spanText(q, scan.end), origin);
  }

  /**
   * Whether what follows a value at `end` can follow a whole value: one of `followers`, the end, or
   * (at top level) a new line. Anything else means the value only looked closed.
   */
  private endsCleanly(end: number, limit: number, followers: readonly number[]): boolean {
    const { buffer } = this;
    let p = end;
    while (p < limit && isJsonSpace(buffer[p]!)) {
      if (buffer[p] === NEWLINE && followers === TOP_LEVEL_FOLLOWERS) return true;
      p++;
    }
    return p >= limit || followers.includes(buffer[p]!);
  }

  /** One value that should be an event: a CloudTrail record, or a `lookup-events` Event or an EventBridge event wrapping one. */
  private record(value: unknown, text: string, origin: Origin, visitor: RecordVisitor = this.visitor): void {
    const row = insightsRow(value);
    if (row !== null) {
      // A CloudWatch Logs Insights result row: its `@message` field is the log event's message, the record as JSON text.
      const message = row.find((field) => field.field === '@message');
      if (message === undefined) {
        const fields = row.map((field) => field.field).join(', ');
        visitor.bad(origin, `Logs Insights result without @message (fields ${fields}): query "fields @message" to read records`, 'record');
      } else this.wrappedRecord(message.value, '@message', origin, visitor);
      return;
    }
    if (!isJsonObject(value)) {
      visitor.bad(origin, `expected a JSON object (a CloudTrail event), found ${describeJson(value)}`, 'record');
      return;
    }
    if (isEventBridgeEnvelope(value)) {
      // CloudTrail's events as EventBridge delivers them (a rule's target: Firehose to S3, a queue, a log
      // group), `{"detail-type":"AWS API Call via CloudTrail",…,"detail":{the record}}`: the record is the
      // detail (EventBridge User Guide, "AWS service events delivered via AWS CloudTrail"). Its own bytes are
      // not at hand, so it is written as its parsed value serialises.
      const detail = value.detail;
      if (!isJsonObject(detail)) visitor.bad(origin, `EventBridge event from CloudTrail whose detail is ${describeJson(detail)}, not an object`, 'record');
      else visitor.event(detail, JSON.stringify(detail), origin);
      return;
    }
    const member = textWrapperMember(value);
    if (member === null) {
      visitor.event(value, text, origin);
      return;
    }
    // `aws cloudtrail lookup-events` wraps each record as a JSON string in CloudTrailEvent; that
    // string is the record exactly as CloudTrail recorded it, so it is also what we write out
    // (API reference, LookupEvents: Event.CloudTrailEvent, "A JSON string that contains a
    // representation of the event returned"). A CloudWatch Logs log event holds it in `message`.
    this.wrappedRecord(value[member], member, origin, visitor);
  }

  /** A record held as JSON text in a wrapper's `member`: the text is the record as recorded, and what is written. */
  private wrappedRecord(wrapped: unknown, member: string, origin: Origin, visitor: RecordVisitor): void {
    if (typeof wrapped !== 'string') {
      visitor.bad(origin, `${member} is ${describeJson(wrapped)}, not a JSON string`, 'record');
      return;
    }
    let inner: unknown;
    try {
      inner = JSON.parse(wrapped);
    } catch (error) {
      visitor.bad(origin, `invalid JSON in ${member}: ${jsonErrorText(error)}`, 'record');
      return;
    }
    if (!isJsonObject(inner)) visitor.bad(origin, `${member} is ${describeJson(inner)}, not an object`, 'record');
    else if (wrapped.length > MAX_RECORD_DEPTH && nestsDeeperThan(new ScanText(Buffer.from(wrapped)), 0, Buffer.byteLength(wrapped), MAX_RECORD_DEPTH)) this.tooDeep(origin, visitor);
    else visitor.event(inner, wrapped.includes('\n') ? compactJson(new ScanText(Buffer.from(wrapped)), 0, Buffer.byteLength(wrapped)) : wrapped, origin);
  }

  private parse(start: number, end: number, origin: Origin): unknown {
    try {
      return JSON.parse(this.buffer.toString('utf8', start, end));
    } catch (error) {
      this.visitor.bad(origin, `invalid JSON: ${jsonErrorText(error)}`, 'record');
      return undefined;
    }
  }

  private tooDeep(origin: Origin, visitor: RecordVisitor = this.visitor): void {
    visitor.bad(origin, `record nested deeper than ${MAX_RECORD_DEPTH} levels`, 'record');
  }

  /**
   * A damaged top-level value: reported, and reading resumes at the next line. Skipping from `from`
   * costs one record when that is one line (NDJSON), else bytes in which records cannot be told apart.
   */
  private damaged(p: number, scan: Extract<ScanResult, { ok: false }>, what: string, from: number): number {
    if (scan.at >= this.buffer.length && from === p) {
      this.visitor.bad(this.origin(p), 'truncated record: the input ends inside it', 'record');
      return scan.at + 1;
    }
    const next = this.resyncLine(scan.at);
    const end = Math.min(next, this.buffer.length);
    const oneLine = from === p && this.text.nextNewline(p) >= end - 1;
    const bytes = end - from;
    const loss: Loss = oneLine ? 'record' : { bytes };
    this.visitor.bad(this.origin(p), `${what}: ${scan.reason} (at ${this.where(scan.at)})${oneLine ? '' : `; ${describeSkip(bytes)} skipped`}`, loss);
    return next;
  }

  /**
   * Where reading resumes after damage found at `at`: that line, if the damage is its first byte
   * (a record that never closed, followed by a new record on the next line), else the next line.
   */
  private resyncLine(at: number): number {
    const { buffer } = this;
    let lineStart = at;
    while (lineStart > 0 && buffer[lineStart - 1] !== NEWLINE && isJsonSpace(buffer[lineStart - 1]!)) lineStart--;
    if (lineStart > 0 && buffer[lineStart - 1] === NEWLINE && at < buffer.length) return lineStart;
    return this.text.nextNewline(at) + 1;
  }

  /** The first key of the object opened at `p`, and where its value starts; null if it has none. */
  private firstKey(p: number, limit: number): { readonly name: string; readonly valueAt: number } | null {
    const { buffer } = this;
    const k = skipJsonSpace(buffer, p + 1, limit);
    if (buffer[k] !== 0x22) return null;
    const close = this.text.stringEnd(k, limit);
    if (close < 0) return null;
    const colon = skipJsonSpace(buffer, close, limit);
    if (buffer[colon] !== 0x3a) return null;
    // Only the document keys' lengths are worth decoding: this runs on every NDJSON line.
    const length = close - 1 - (k + 1);
    const name = DOCUMENT_KEY_LENGTHS.has(length) ? buffer.toString('utf8', k + 1, close - 1) : '';
    return { name, valueAt: colon + 1 };
  }

  /** Whether the object at `s` starts with one of `DOCUMENT_FIRST_KEYS`: a document holding records, not a record. */
  private isDocument(s: number, e: number): boolean {
    const key = this.firstKey(s, e);
    return key !== null && DOCUMENT_FIRST_KEYS.has(key.name);
  }

  /** Where the value of member `name` starts, in an object already known to be valid JSON. */
  private memberValue(open: number, end: number, name: string): number | null {
    const { buffer } = this;
    let p = skipJsonSpace(buffer, open + 1, end);
    while (buffer[p] === 0x22) {
      const close = this.text.stringEnd(p, end);
      if (close < 0) return null;
      const key = buffer.toString('utf8', p + 1, close - 1);
      const value = skipJsonSpace(buffer, skipJsonSpace(buffer, close, end) + 1, end);
      if (key === name) return value;
      const scan = scanValue(this.text, value, end);
      if (!scan.ok) return null;
      p = skipJsonSpace(buffer, scan.end, end);
      if (buffer[p] !== COMMA) return null;
      p = skipJsonSpace(buffer, p + 1, end);
    }
    return null;
  }

  /** A record's text on one line, as recorded: pretty-printed records lose only their layout. */
  private spanText(start: number, end: number): string {
    const newline = this.text.nextNewline(start);
    return newline < end ? compactJson(this.text, start, end) : this.buffer.toString('utf8', start, end);
  }

  private origin(offset: number): Origin {
    return { source: this.source, line: this.lineOf(offset) };
  }

  private where(offset: number): string {
    return `line ${this.lineOf(Math.min(offset, this.buffer.length))}`;
  }

  /** Line numbers are counted forward from the last asked-for offset: linear over a chunk. */
  private lineOf(offset: number): number {
    if (offset < this.lineFrom) {
      this.lineFrom = 0;
      this.lineNo = this.firstLine;
    }
    // Through the scanner's cached newline search: a one-line trail document has no newline to
    // find, and searching to its end for every record would make reading it quadratic.
    for (let at = this.text.nextNewline(this.lineFrom); at < offset && at < this.buffer.length; at = this.text.nextNewline(at + 1)) {
      this.lineNo++;
      this.lineFrom = at + 1;
    }
    return this.lineNo;
  }
}

/** A visitor that hands every record to the reader's `event` and says nothing else (see `RecordSplitter.readRuledOut`). */
function quietVisitor(reader: RuledOutReader): RecordVisitor {
  return { literal: null, raw: reader.raw, event: (event) => reader.event(event), ruledOut: () => {}, bad: () => {} };
}

/** Consecutive lines that are not JSON, gathered into one report. */
class JunkRun {
  private run: { firstLine: number; lastLine: number; bytes: number } | null = null;

  add(start: number, end: number, line: number): void {
    if (this.run === null) this.run = { firstLine: line, lastLine: line, bytes: 0 };
    this.run.lastLine = line;
    this.run.bytes += end - start;
  }

  take(): { readonly firstLine: number; readonly lastLine: number; readonly bytes: number } | null {
    const run = this.run;
    this.run = null;
    return run;
  }
}

/**
 * Where the next trail record (or `lookup-events` item) starts after damage. `{"eventVersion"` and
 * `{"EventId"` can appear in valid JSON only as the start of an object with that first key (a `"`
 * inside a string is escaped), so after a damaged record these mark the next record wherever the
 * damage left the brackets. CloudTrail writes eventVersion first in every record
 * (doc_source/cloudtrail-event-reference-record-contents.md); LookupEvents items start with EventId.
 */
class RecordStarts {
  private static readonly KEYS = [new ByteNeedle(Buffer.from('"eventVersion"')), new ByteNeedle(Buffer.from('"EventId"'))];

  /** Per key, the next occurrence found by an earlier search (-1: none left): each byte is searched once. */
  private readonly next = RecordStarts.KEYS.map(() => -2);

  constructor(private readonly buffer: Buffer) {}

  /** The `{` of the first record start after `from` (before `limit`), or -1. */
  after(from: number, limit: number): number {
    let best = -1;
    for (let i = 0; i < RecordStarts.KEYS.length; i++) {
      const key = RecordStarts.KEYS[i]!;
      const found = (at: number) => (this.next[i] = at);
      let at = this.next[i]!;
      if (at !== -1 && at <= from) at = found(key.indexIn(this.buffer, from + 1));
      for (; at >= 0 && at < limit && (best < 0 || at < best); at = found(key.indexIn(this.buffer, at + 1))) {
        let brace = at - 1;
        while (brace > from && isJsonSpace(this.buffer[brace]!)) brace--;
        if (brace > from && this.buffer[brace] === OPEN_BRACE) {
          best = brace;
          break;
        }
      }
    }
    return best;
  }
}

/**
 * Where the next record of a list may start, for the fast path: `,{"KEY"` where KEY is `eventVersion`,
 * `EventId`, or the first key of a record this list has already shown. CloudTrail writes
 * eventVersion first, but copies that went through other tools have sorted keys (the Stratus Red
 * Team logs in ../shared/datasets start with "additionalEventData" or "awsRegion"; so do `jq -S` and
 * Athena exports), and without this every one of their records took the careful path. A candidate
 * is only a guess (`,{"awsRegion"` can occur inside a record's nested list): the fast path keeps the
 * span only when `JSON.parse` finds it one whole value, which it is only when it is exactly the record.
 */
class ListRecordStarts {
  /** Learned keys beyond this are not searched for: each costs one native search through the chunk. */
  private static readonly MAX_KEYS = 6;
  private readonly keys = [new ByteNeedle(Buffer.from('"eventVersion"')), new ByteNeedle(Buffer.from('"EventId"'))];
  /** Per key, the next occurrence not yet ruled out (-1: none left; -2: not searched yet). */
  private readonly next = [-2, -2];
  /** The `{` of the last key passed over that opens an object not at `,{`: the start of a list's first record, or of a value outside any list. */
  crossedAt = -1;

  constructor(private readonly buffer: Buffer) {}

  learn(key: Buffer): void {
    if (this.keys.length >= ListRecordStarts.MAX_KEYS || this.keys.some((known) => known.bytes.equals(key))) return;
    this.keys.push(new ByteNeedle(Buffer.from(key)));
    this.next.push(-2);
  }

  /** The `{` of the first candidate record start after `from` (before `limit`), or -1. */
  after(from: number, limit: number): number {
    const { buffer } = this;
    let best = -1;
    for (let i = 0; i < this.keys.length; i++) {
      const key = this.keys[i]!;
      let at = this.next[i]!;
      if (at === -1) continue;
      if (at <= from) at = key.indexIn(buffer, from + 1);
      // Occurrences not at `,{` can never be a record start: passed over for good.
      for (; at >= 0 && at < limit && (best < 0 || at < best); at = key.indexIn(buffer, at + 1)) {
        let brace = at - 1;
        while (brace > from && isJsonSpace(buffer[brace]!)) brace--;
        if (brace <= from || buffer[brace] !== OPEN_BRACE) continue;
        let comma = brace - 1;
        while (comma > from && isJsonSpace(buffer[comma]!)) comma--;
        if (comma > from && buffer[comma] === COMMA) {
          best = brace;
          break;
        }
        if (brace > this.crossedAt) this.crossedAt = brace;
      }
      this.next[i] = at;
    }
    return best;
  }
}

/**
 * Walks the occurrences of each needle through a chunk, in step with the records: every search
 * starts where the last one left off, so the whole chunk is searched once per needle, natively.
 */
class HitCursor {
  private readonly cursors: NeedleCursor[];

  constructor(bytes: Buffer, literal: LiteralNeedles) {
    this.cursors = [...literal.needles, ...literal.escapes].map((n) => new NeedleCursor(bytes, new ByteNeedle(Buffer.from(n, 'utf8'))));
  }

  /** Where the first occurrence of any needle at or after `from` is, or -1. Calls must come with non-decreasing positions. */
  firstFrom(from: number): number {
    let first = -1;
    for (const cursor of this.cursors) {
      const at = cursor.firstFrom(from);
      if (at >= 0 && (first < 0 || at < first)) first = at;
    }
    return first;
  }

  /** Whether some needle occurs wholly inside [start, end). Calls must come with non-decreasing starts. */
  within(start: number, end: number): boolean {
    for (const cursor of this.cursors) if (cursor.within(start, end)) return true;
    return false;
  }
}

/**
 * Top-level members that make a value something other than a record, whose records this reader finds
 * inside it: a document's record lists (`RECORD_LIST_KEYS`), a record as JSON text (`textWrapperMember`),
 * and EventBridge's `detail-type` (`isEventBridgeEnvelope`). A raw reader that takes records from their
 * bytes must leave values with any of them to the ordinary path (scan/identity-raw-read.ts).
 */
export const NOT_A_RECORD_MEMBERS: readonly string[] = [...RECORD_LIST_KEYS, 'CloudTrailEvent', 'message', 'detail-type'];

/** Those members, and a digest file's (`isDigest`): a value with none of them at its top level is one plain record. */
const NOT_PLAIN_RECORD = new MemberNames([...NOT_A_RECORD_MEMBERS, 'digestPublicKeyFingerprint']);

/**
 * The `detail-type` values of CloudTrail's events on EventBridge ("AWS API Call via CloudTrail", "AWS Console
 * Signin via CloudTrail", "AWS Service Event via CloudTrail", "AWS Console Action via CloudTrail", "AWS Insight
 * via CloudTrail"). No CloudTrail record has a `detail-type` member.
 */
const VIA_CLOUDTRAIL = / via CloudTrail$/;

/** An EventBridge event carrying a CloudTrail record in `detail`. */
function isEventBridgeEnvelope(value: JsonObject): boolean {
  const type = value['detail-type'];
  return typeof type === 'string' && VIA_CLOUDTRAIL.test(type) && 'detail' in value;
}

/**
 * The member holding a value's record as JSON text: lookup-events' `CloudTrailEvent`, or a CloudWatch Logs
 * log event's `message` (with its numeric `timestamp`; no CloudTrail record has a top-level `message`).
 */
function textWrapperMember(value: JsonObject): 'CloudTrailEvent' | 'message' | null {
  if ('CloudTrailEvent' in value) return 'CloudTrailEvent';
  return typeof value['timestamp'] === 'number' && 'message' in value ? 'message' : null;
}

/** A field of a Logs Insights result row (`INSIGHTS_RESULTS_KEY`). */
interface InsightsField {
  readonly field: string;
  readonly value: unknown;
}

/** The fields of a Logs Insights result row, or null when the value is none. */
function insightsRow(value: unknown): readonly InsightsField[] | null {
  if (!Array.isArray(value) || value.length === 0) return null;
  return value.every((field) => isJsonObject(field) && typeof field['field'] === 'string' && 'value' in field) ? (value as InsightsField[]) : null;
}

/** A value that wraps its record (as JSON text, or EventBridge's `detail`) rather than being one. */
function isWrapper(value: JsonObject): boolean {
  return textWrapperMember(value) !== null || isEventBridgeEnvelope(value);
}

/**
 * A CloudWatch Logs subscription's health check (`"messageType":"CONTROL_MESSAGE"`, its log event's message
 * plain text, "CWL CONTROL MESSAGE: Checking health of destination …"): written beside the data into the
 * same Firehose stream, and holding no event. Skipped, as digest files are.
 */
function isControlMessage(value: JsonObject): boolean {
  return value['messageType'] === 'CONTROL_MESSAGE' && Array.isArray(value['logEvents']);
}

/** The key of a document's record list, if it has one: no CloudTrail event has a top-level list of one of those names. */
function recordListKey(value: JsonObject): string | undefined {
  for (const key of RECORD_LIST_KEYS) if (Array.isArray(value[key])) return key;
  return undefined;
}

function isRecordDocument(value: unknown): boolean {
  return isJsonObject(value) && recordListKey(value) !== undefined;
}

/** A digest file that reached us under an unusual name (log file validation): no events. */
function isDigest(value: unknown): boolean {
  return isJsonObject(value) && 'digestPublicKeyFingerprint' in value && 'logFiles' in value;
}

function isBom(buffer: Buffer, p: number): boolean {
  return buffer[p] === 0xef && buffer[p + 1] === 0xbb && buffer[p + 2] === 0xbf;
}

/** Past blanks and byte order marks (which `cat` of BOM-prefixed files leaves mid-stream). */
function skipBlank(buffer: Buffer, p: number, limit: number): number {
  while (p < limit) {
    if (isJsonSpace(buffer[p]!)) p++;
    else if (isBom(buffer, p)) p += 3;
    else break;
  }
  return p;
}

function describeSkip(bytes: number): string {
  return `${bytes.toLocaleString('en-US')} byte${bytes === 1 ? '' : 's'}`;
}

/** What a value is, from its first byte. */
function describeStart(byte: number | undefined): string {
  switch (byte) {
    case 0x6e:
      return 'null';
    case 0x22:
      return 'a string';
    case 0x74:
    case 0x66:
      return 'a boolean';
    case OPEN_BRACKET:
      return 'an array';
    case OPEN_BRACE:
      return 'an object';
    case undefined:
      return 'missing';
    default:
      return 'a number';
  }
}

function jsonErrorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // V8 quotes a slice of the input in some messages; event data must not reach the terminal that way.
  return message.replace(/, "[\s\S]*$/, '').replace(/ in JSON at position \d+.*$/, '').slice(0, 120);
}

function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
