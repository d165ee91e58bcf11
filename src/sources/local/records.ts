/**
 * Turns chunks into records. NDJSON lines are offered to a pre-filter before they are parsed (the
 * cheap literal test that makes selective queries fast); documents are parsed whole, and a damaged
 * document is salvaged record by record so one bad byte does not hide a file's other events.
 */
import { isJsonObject, type JsonObject } from '../../language/json';
import type { Origin } from '../source-item';
import type { LiteralNeedles } from '../../language/prefilter';
import type { PlainChunk } from './chunks';

export interface RecordVisitor {
  /**
   * Literals of which one must occur in an NDJSON line for its event to possibly match: lines with
   * none are counted as scanned without being decoded or parsed (the ripgrep trick). Only lines that
   * look whole (`{…}`) are skipped this way, so a truncated line is still parsed and reported.
   */
  readonly literal: LiteralNeedles | null;
  event(event: JsonObject, text: string | null, origin: Origin): void;
  /** A line the literal search ruled out: scanned, filtered out, never parsed. */
  ruledOut(): void;
  bad(origin: Origin, message: string): void;
}

const decoder = new TextDecoder('utf-8');

export function visitChunk(chunk: PlainChunk, visitor: RecordVisitor): void {
  switch (chunk.format) {
    case 'ndjson':
      visitLines(asBuffer(chunk.bytes), chunk.source, chunk.firstLine, visitor);
      return;
    case 'document':
      visitDocument(decoder.decode(chunk.bytes), chunk.source, visitor);
      return;
    case 'unreadable':
      visitor.bad({ source: chunk.source, line: chunk.line }, chunk.message);
      return;
  }
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const NEWLINE = 0x0a;

function visitLines(bytes: Buffer, source: string, firstLine: number, visitor: RecordVisitor): void {
  const hits = visitor.literal === null ? null : new HitCursor(bytes, visitor.literal);
  let lineNo = firstLine;
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(NEWLINE, start);
    if (end < 0) end = bytes.length;
    let last = end;
    if (last > start && bytes[last - 1] === 13 /* \r */) last--;
    if (last > start) {
      if (hits !== null && looksWhole(bytes, start, last) && !hits.within(start, last)) visitor.ruledOut();
      else visitLine(bytes.toString('utf8', start, last), { source, line: lineNo }, visitor);
    }
    lineNo++;
    start = end + 1;
  }
}

/**
 * Walks the occurrences of each needle through a chunk, in step with the lines: every search starts
 * where the last one left off, so the whole chunk is searched once per needle, natively.
 */
class HitCursor {
  private readonly needles: Buffer[];
  private readonly next: number[];

  constructor(
    private readonly bytes: Buffer,
    literal: LiteralNeedles,
  ) {
    this.needles = [...literal.needles, ...literal.escapes].map((n) => Buffer.from(n, 'utf8'));
    this.next = this.needles.map(() => -2);
  }

  /** Whether some needle occurs wholly inside [start, end). Calls must come with non-decreasing starts. */
  within(start: number, end: number): boolean {
    for (let i = 0; i < this.needles.length; i++) {
      const needle = this.needles[i]!;
      let at = this.next[i]!;
      if (at === -1) continue; // no more occurrences in this chunk
      if (at < start) this.next[i] = at = this.bytes.indexOf(needle, start);
      if (at >= 0 && at + needle.length <= end) return true;
    }
    return false;
  }
}

/** A line that starts with `{` and ends with `}` (ignoring blanks): not truncated, so skipping it unparsed hides no damage report. */
function looksWhole(bytes: Buffer, start: number, end: number): boolean {
  let i = start;
  while (i < end && bytes[i]! <= 32) i++;
  let j = end - 1;
  while (j > i && bytes[j]! <= 32) j--;
  return bytes[i] === 123 && bytes[j] === 125;
}

function visitLine(line: string, origin: Origin, visitor: RecordVisitor): void {
  if (isBlank(line)) return;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    visitor.bad(origin, `invalid JSON: ${jsonErrorText(error)}`);
    return;
  }
  visitValue(value, line, origin, visitor);
}

/** One value that should be an event: a CloudTrail record, or a `lookup-events` Event wrapping one. */
function visitValue(value: unknown, text: string | null, origin: Origin, visitor: RecordVisitor): void {
  if (!isJsonObject(value)) {
    visitor.bad(origin, `expected a JSON object (a CloudTrail event), found ${describeJson(value)}`);
    return;
  }
  const wrapped = value.CloudTrailEvent;
  if (typeof wrapped === 'string') {
    // `aws cloudtrail lookup-events` wraps each record as a JSON string in CloudTrailEvent; that
    // string is the record exactly as CloudTrail recorded it, so it is also what we write out.
    let inner: unknown;
    try {
      inner = JSON.parse(wrapped);
    } catch (error) {
      visitor.bad(origin, `invalid JSON in CloudTrailEvent: ${jsonErrorText(error)}`);
      return;
    }
    if (!isJsonObject(inner)) visitor.bad(origin, `CloudTrailEvent is ${describeJson(inner)}, not an object`);
    else visitor.event(inner, wrapped, origin);
    return;
  }
  visitor.event(value, text, origin);
}

function visitDocument(text: string, source: string, visitor: RecordVisitor): void {
  if (isBlank(text)) return;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    salvage(text, source, error, visitor);
    return;
  }
  const records = recordsOf(value);
  if (records === 'digest') return;
  if (records === null) {
    visitValue(value, null, { source, line: 0 }, visitor);
    return;
  }
  for (let i = 0; i < records.length; i++) visitValue(records[i], null, { source, line: 0 }, visitor);
}

function recordsOf(value: unknown): unknown[] | 'digest' | null {
  if (Array.isArray(value)) return value;
  if (!isJsonObject(value)) return null;
  if (Array.isArray(value.Records)) return value.Records;
  if (Array.isArray(value.Events)) return value.Events;
  // A digest file that reached us under an unusual name (log file validation).
  if ('digestPublicKeyFingerprint' in value && 'logFiles' in value) return 'digest';
  return null;
}

/**
 * A document that does not parse: report where it broke, then recover every top-level record that
 * parses on its own (inside the `Records`/`Events` array if there is one). Real archives contain such
 * files: truncated uploads, forwarders that concatenate objects without commas.
 */
function salvage(text: string, source: string, error: unknown, visitor: RecordVisitor): void {
  const at = jsonErrorPosition(error);
  const line = at === null ? 0 : lineAt(text, at);
  let recovered = 0;
  const counting: RecordVisitor = {
    literal: null,
    event: (event, eventText, origin) => {
      recovered++;
      visitor.event(event, eventText, origin);
    },
    ruledOut: () => visitor.ruledOut(),
    bad: (origin, message) => visitor.bad(origin, message),
  };
  const array = /^\s*\{\s*"(?:Records|Events)"\s*:\s*\[/.exec(text) ?? /^\s*\[/.exec(text);
  let pos = array ? array[0].length : 0;
  let complete = false;
  while (pos < text.length) {
    const c = text.charCodeAt(pos);
    if (c === 123 /* { */) {
      const end = matchingBrace(text, pos);
      if (end < 0) {
        counting.bad({ source, line: lineAt(text, pos) }, 'truncated record (input ends inside it)');
        pos = text.length;
        break;
      }
      const recordText = text.slice(pos, end + 1);
      let value: unknown = undefined;
      let parsed = true;
      try {
        value = JSON.parse(recordText);
      } catch (recordError) {
        parsed = false;
        counting.bad({ source, line: lineAt(text, pos) }, `invalid JSON record: ${jsonErrorText(recordError)}`);
      }
      if (parsed) visitValue(value, array ? null : recordText, { source, line: lineAt(text, pos) }, counting);
      pos = end + 1;
    } else if (c === 93 /* ] */ && array) {
      complete = true;
      break;
    } else {
      pos++;
    }
  }
  const how = complete ? 'invalid JSON' : 'invalid or truncated JSON';
  visitor.bad({ source, line }, `${how}: ${jsonErrorText(error)}; recovered ${recovered} record(s) that parse on their own`);
}

/** Index of the `}` closing the object opened at `open`, honouring strings; -1 if the text ends first. */
function matchingBrace(text: string, open: number): number {
  let depth = 0;
  let inString = false;
  for (let i = open; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      depth--;
      if (depth === 0) return c === 125 ? i : -1;
    }
  }
  return -1;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) line++;
  return line;
}

function jsonErrorPosition(error: unknown): number | null {
  const match = /position (\d+)/.exec(error instanceof Error ? error.message : '');
  return match ? Number(match[1]) : null;
}

function jsonErrorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // V8 quotes a slice of the input in some messages; event data must not reach the terminal that way.
  return message.replace(/, "[\s\S]*$/, '').replace(/ in JSON at position \d+.*$/, '').slice(0, 120);
}

function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

function isBlank(text: string): boolean {
  return /^\s*$/.test(text);
}
