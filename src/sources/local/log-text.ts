/**
 * CloudWatch Logs as text. A trail can deliver to a CloudWatch Logs log group, whose events reach files as
 * lines that start with the log event's time:
 * - an export to S3 (CreateExportTask) writes gzipped objects (`…/<task id>/<stream>/000000.gz`), one log event
 *   a line, `TIMESTAMP MESSAGE`, the time in ISO 8601 UTC with milliseconds (`2024-03-08T22:09:01.263Z`);
 *   (AWS's own recipe for sorting such files keys on each line's leading digits);
 * - `aws logs tail GROUP > file` writes, in its default `detailed` format, `TIMESTAMP STREAM MESSAGE`
 *   (`2024-03-08T22:09:01.263000+00:00 111122223333_CloudTrail_us-east-1 {…}`); in `short`,
 *   `TIMESTAMP MESSAGE` without fraction or zone; in `json`, `TIMESTAMP STREAM` alone on a line, the message
 *   pretty-printed on the lines after it.
 * For a trail's log group each message is one CloudTrail record as JSON. Read with each line's prefix taken
 * off (the timestamp, and a log stream's name before a JSON value or the end of the line), such text is
 * NDJSON, or pretty-printed records back to back.
 *
 * A line of JSON text never starts with a timestamp (outside a string, which cannot span lines, it would be
 * no JSON), so taking prefixes off changes nothing a JSON reader could have read; it is done only in text
 * whose first line starts so. The prefixes are taken off as the text is decoded (after inflating, like gzip
 * itself): byte offsets into the input no longer match the text's, so an incremental run does not continue
 * such a file from an offset, while line numbers do: no newline is taken, and errors name the file's line.
 */

import { isJsonSpace } from './json-scan';

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;

/** `YYYY-MM-DDTHH:MM:SS`: `d` a digit, any other character itself. */
const DATE_TIME = 'dddd-dd-ddTdd:dd:dd';
/** `+HH:MM` after the `+` or `-`. */
const OFFSET = 'dd:dd';
/** Digits of a fraction of a second taken after the seconds (exports write milliseconds, `aws logs tail` microseconds). */
const MAX_FRACTION_DIGITS = 9;
/** How far into a text its first line is looked at to tell whether it is log text. */
const LOOK_BYTES = 1024;

function isDigit(byte: number | undefined): boolean {
  return byte !== undefined && byte >= 0x30 && byte <= 0x39;
}

/** Whether `shape` (`d` a digit, any other character itself) is spelled at `p`. */
function shaped(bytes: Uint8Array, p: number, shape: string): boolean {
  for (let i = 0; i < shape.length; i++) {
    const want = shape.charCodeAt(i);
    if (want === 0x64 ? !isDigit(bytes[p + i]) : bytes[p + i] !== want) return false;
  }
  return true;
}

/** Bytes of the ISO 8601 time at `p` (date, time, an optional fraction, an optional `Z` or offset), or 0. */
function timestampLength(bytes: Uint8Array, p: number, end: number): number {
  if (end - p < DATE_TIME.length || !shaped(bytes, p, DATE_TIME)) return 0;
  let q = p + DATE_TIME.length;
  if (bytes[q] === 0x2e) {
    const digitsFrom = ++q;
    while (q < end && q - digitsFrom < MAX_FRACTION_DIGITS && isDigit(bytes[q])) q++;
    if (q === digitsFrom) return 0;
  }
  if (bytes[q] === 0x5a) q++;
  else if ((bytes[q] === 0x2b || bytes[q] === 0x2d) && end - q > OFFSET.length && shaped(bytes, q + 1, OFFSET)) q += 1 + OFFSET.length;
  return q <= end ? q - p : 0;
}

function isValueStart(byte: number | undefined): boolean {
  return byte === OPEN_BRACE || byte === OPEN_BRACKET;
}

/**
 * How many bytes of the line starting at `p` (ending before `end`, its newline or the text's end) are a log
 * event's prefix: the timestamp and the space after it, and a log stream's name and the blanks after it when a
 * JSON value follows them or nothing does. 0 when the line does not start with a timestamp and a space.
 */
export function logPrefixLength(bytes: Uint8Array, p: number, end: number = bytes.length): number {
  const time = timestampLength(bytes, p, end);
  if (time === 0 || bytes[p + time] !== SPACE) return 0;
  const message = p + time + 1;
  if (isValueStart(bytes[message])) return message - p;
  let after = message;
  while (after < end && bytes[after] !== SPACE && bytes[after] !== TAB && bytes[after] !== CARRIAGE_RETURN) after++;
  if (after === message) return message - p;
  let next = after;
  while (next < end && (bytes[next] === SPACE || bytes[next] === TAB)) next++;
  const lineEnds = next >= end || bytes[next] === CARRIAGE_RETURN;
  return lineEnds || isValueStart(bytes[next]) ? next - p : message - p;
}

/**
 * Whether text may be CloudWatch Logs text: it starts with a timestamp, as no JSON does. A reader that has only
 * the first read of a feed routes such text through `withoutLogPrefixesRead`, which waits for enough to tell.
 */
export function startsWithTimestamp(bytes: Uint8Array): boolean {
  return timestampLength(bytes, 0, Math.min(bytes.length, LOOK_BYTES)) > 0;
}

/**
 * Whether text starts as CloudWatch Logs text of JSON messages: its first line starts with a log event's prefix,
 * and a JSON object follows it (on that line, or on the next line that is not blank).
 */
export function isLogText(bytes: Uint8Array): boolean {
  return logTextStart(bytes, false) === true;
}

/**
 * `isLogText` of a text whose start `bytes` are; with `more` (more of the text may follow), null while they are
 * too few to tell: the first line not yet whole, or only blanks after a prefix alone on its line (`aws logs tail
 * --format json`, whose message starts on the next line). Looks no further than `LOOK_BYTES`.
 */
function logTextStart(bytes: Uint8Array, more: boolean): boolean | null {
  const look = Math.min(bytes.length, LOOK_BYTES);
  const undecided = more && look < LOOK_BYTES ? null : false;
  let lineEnd = 0;
  while (lineEnd < look && bytes[lineEnd] !== NEWLINE) lineEnd++;
  if (lineEnd === look && undecided === null) return null;
  const prefix = logPrefixLength(bytes, 0, lineEnd);
  if (prefix === 0) return false;
  let q = prefix;
  while (q < look && isJsonSpace(bytes[q]!)) q++;
  return q < look ? bytes[q] === OPEN_BRACE : undecided;
}

/**
 * The text with each line's log prefix taken off (a line without one is kept as it is: the reader reports it
 * if it is no JSON). A copy: the text it is made from may be memory that is read into again.
 */
export function withoutLogPrefixes(text: Uint8Array): Buffer {
  const out = Buffer.allocUnsafeSlow(text.length);
  let filled = 0;
  for (let p = 0; p < text.length; ) {
    const newline = text.indexOf(NEWLINE, p);
    const end = newline < 0 ? text.length : newline + 1;
    const from = p + logPrefixLength(text, p, newline < 0 ? text.length : newline);
    out.set(text.subarray(from, end), filled);
    filled += end - from;
    p = end;
  }
  return out.subarray(0, filled);
}

/**
 * Decoded text as it is read, with the log prefixes taken off when it starts as CloudWatch Logs text does
 * (told from its first line); otherwise the pieces as they come. A line split between pieces is held over.
 */
export async function* withoutLogPrefixesRead(pieces: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const iterator = pieces[Symbol.asyncIterator]();
  // Enough of the start to tell: the first line (and the next, after a prefix alone on its line), or as many
  // bytes as are looked at. No more: a live feed (`tail -f`) hands on its first event without waiting for another.
  const start: Buffer[] = [];
  let next = await iterator.next();
  for (; next.done !== true; next = await iterator.next()) {
    start.push(next.value);
    if (logTextStart(start.length === 1 ? start[0]! : Buffer.concat(start), true) !== null) break;
  }
  const head = start.length === 1 ? start[0]! : Buffer.concat(start);
  if (!isLogText(head)) {
    if (head.length > 0) yield head;
    if (next.done !== true) for (next = await iterator.next(); next.done !== true; next = await iterator.next()) yield next.value;
    return;
  }
  // Bytes after the last newline seen, held until their line ends (joined once then, whatever its length).
  const held: Buffer[] = [];
  function* lines(piece: Buffer): Generator<Buffer> {
    const last = piece.lastIndexOf(NEWLINE);
    if (last < 0) {
      held.push(piece);
      return;
    }
    held.push(piece.subarray(0, last + 1));
    yield withoutLogPrefixes(held.length === 1 ? held[0]! : Buffer.concat(held));
    held.length = 0;
    if (last + 1 < piece.length) held.push(piece.subarray(last + 1));
  }
  yield* lines(head);
  if (next.done !== true) for (next = await iterator.next(); next.done !== true; next = await iterator.next()) yield* lines(next.value);
  if (held.length > 0) yield withoutLogPrefixes(Buffer.concat(held));
}
