/**
 * CloudWatch Logs export files. A trail can deliver to a CloudWatch Logs log group, and a log group can be
 * exported to S3 (CreateExportTask), which writes gzipped objects (`…/<task id>/<stream>/000000.gz`) holding
 * one log event per line as `TIMESTAMP MESSAGE`: the event's time in ISO 8601 UTC (`2024-03-08T22:09:01.263Z`),
 * a space, then the message — for a trail's log group, one CloudTrail record as one line of JSON. (AWS's own
 * recipe for sorting such files keys on each line's leading digits.) Read with each line's timestamp taken
 * off, such text is NDJSON.
 *
 * The timestamps are taken off as the text is decoded (after inflating, like gzip itself), so byte offsets
 * into the input no longer match the text's — an incremental run does not continue such a file from an
 * offset — while line numbers do: no newline is taken, so errors still name the line of the file.
 */

const NEWLINE = 0x0a;
const OPEN_BRACE = 0x7b;

/** `YYYY-MM-DDTHH:MM:SS`: `d` a digit, any other character itself. */
const SHAPE = 'dddd-dd-ddTdd:dd:dd';
/** Digits of a fraction of a second taken after the seconds (exports write milliseconds). */
const MAX_FRACTION_DIGITS = 9;

function isDigit(byte: number | undefined): boolean {
  return byte !== undefined && byte >= 0x30 && byte <= 0x39;
}

/**
 * How many bytes of the line starting at `p` (ending before `end`) are an export's timestamp and the
 * space after it; 0 when the line does not start with one.
 */
export function timestampPrefixLength(bytes: Uint8Array, p: number, end: number = bytes.length): number {
  if (end - p < SHAPE.length + 2) return 0;
  for (let i = 0; i < SHAPE.length; i++) {
    const want = SHAPE.charCodeAt(i);
    if (want === 0x64 ? !isDigit(bytes[p + i]) : bytes[p + i] !== want) return 0;
  }
  let q = p + SHAPE.length;
  if (bytes[q] === 0x2e) {
    const digitsFrom = ++q;
    while (q < end && q - digitsFrom < MAX_FRACTION_DIGITS && isDigit(bytes[q])) q++;
    if (q === digitsFrom) return 0;
  }
  if (q + 1 >= end || bytes[q] !== 0x5a || bytes[q + 1] !== 0x20) return 0;
  return q + 2 - p;
}

/** Whether text starts as an export of CloudTrail's log group does: a timestamp, a space, then a JSON object. */
export function isLogExportText(bytes: Uint8Array): boolean {
  const prefix = timestampPrefixLength(bytes, 0, Math.min(bytes.length, 64));
  return prefix > 0 && bytes[prefix] === OPEN_BRACE;
}

/**
 * The text with each line's timestamp taken off (a line without one is kept as it is: the reader reports
 * it if it is no JSON). A copy: the text it is made from may be memory that is read into again.
 */
export function withoutTimestamps(text: Uint8Array): Buffer {
  const out = Buffer.allocUnsafeSlow(text.length);
  let filled = 0;
  for (let p = 0; p < text.length; ) {
    const newline = text.indexOf(NEWLINE, p);
    const end = newline < 0 ? text.length : newline + 1;
    const from = p + timestampPrefixLength(text, p, end);
    out.set(text.subarray(from, end), filled);
    filled += end - from;
    p = end;
  }
  return out.subarray(0, filled);
}

/**
 * Decoded text as it is read, with the timestamps taken off when it starts as an export does (told from
 * its first line); otherwise the pieces as they come. A line split between pieces is held over.
 */
export async function* withoutExportTimestamps(pieces: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const iterator = pieces[Symbol.asyncIterator]();
  // Enough of the start to tell: a whole first line, or more bytes than a timestamp and a brace take.
  const start: Buffer[] = [];
  let startBytes = 0;
  let next = await iterator.next();
  for (; next.done !== true; next = await iterator.next()) {
    start.push(next.value);
    startBytes += next.value.length;
    if (startBytes >= 64 || next.value.includes(NEWLINE)) break;
  }
  const head = Buffer.concat(start);
  if (!isLogExportText(head)) {
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
    yield withoutTimestamps(held.length === 1 ? held[0]! : Buffer.concat(held));
    held.length = 0;
    if (last + 1 < piece.length) held.push(piece.subarray(last + 1));
  }
  yield* lines(head);
  if (next.done !== true) for (next = await iterator.next(); next.done !== true; next = await iterator.next()) yield* lines(next.value);
  if (held.length > 0) yield withoutTimestamps(Buffer.concat(held));
}
