/**
 * A structural JSON scanner over bytes: finds where a value ends without building it, in one pass,
 * with an explicit stack (no recursion, so a record nested 100,000 deep is a value too deep, not a
 * stack overflow). It checks JSON's shape (brackets, keys, colons, commas, strings that end on their
 * line) but not the spelling of numbers and literals: `JSON.parse` of the span does that. Finding
 * damage where it is, rather than at the end of the input, is what lets the reader lose only the
 * damaged record.
 */

/** Container kinds on the stack. */
const OBJECT = 1;
const ARRAY = 2;

/** What the scanner expects next. */
export const enum Expect {
  Value,
  ValueOrClose,
  Key,
  KeyOrClose,
  Colon,
  CommaOrClose,
}

export type ScanResult =
  /** `end` is just past the value; `depth` the deepest nesting seen (1 for a flat object). */
  | { readonly ok: true; readonly end: number; readonly depth: number }
  /**
   * `at` is where the damage shows: the byte that cannot be there, or `limit`. At `limit` inside a
   * value, `expect` (with the stack passed in, updated in place) lets a later call carry on.
   */
  | { readonly ok: false; readonly at: number; readonly reason: string; readonly expect?: Expect };

/**
 * Past this depth a value is damage, not data: bounds the stack a hostile `[[[[…` line can grow
 * (records deeper than MAX_RECORD_DEPTH are already bad records; this only stops the scan).
 */
export const MAX_SCAN_DEPTH = 1 << 16;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;

export function isJsonSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/** Past JSON's whitespace from `p`, up to `end`. */
export function skipJsonSpace(bytes: Uint8Array, p: number, end: number): number {
  while (p < end && isJsonSpace(bytes[p]!)) p++;
  return p;
}

/**
 * Scans from `start` to the end of the value begun there (or, with `stack`/`expect`, the rest of a
 * container already open: `[OBJECT]` + `CommaOrClose` finishes an object whose first members were
 * read elsewhere). A value must end before `limit`.
 */
export function scanValue(text: ScanText, start: number, limit: number, stack: number[] = [], expect: Expect = Expect.Value): ScanResult {
  const { buffer } = text;
  let depth = stack.length;
  let deepest = depth;
  let p = start;
  while (p < limit) {
    const c = buffer[p]!;
    if (isJsonSpace(c)) {
      p++;
      continue;
    }
    switch (expect) {
      case Expect.Value:
      case Expect.ValueOrClose:
        if (depth >= MAX_SCAN_DEPTH) return { ok: false, at: p, reason: `nested deeper than ${MAX_SCAN_DEPTH} levels` };
        if (c === 0x7b /* { */) {
          stack.push(OBJECT);
          if (++depth > deepest) deepest = depth;
          expect = Expect.KeyOrClose;
          p++;
          continue;
        }
        if (c === 0x5b /* [ */) {
          stack.push(ARRAY);
          if (++depth > deepest) deepest = depth;
          expect = Expect.ValueOrClose;
          p++;
          continue;
        }
        if (c === 0x5d /* ] */ && expect === Expect.ValueOrClose) {
          stack.pop();
          depth--;
          p++;
          break; // a value ended
        }
        if (c === QUOTE) {
          const end = text.stringEnd(p, limit);
          if (end < 0) return { ok: false, at: -end - 1, reason: end === -limit - 1 ? 'ends inside a string' : 'string not closed on its line' };
          p = end;
          break;
        }
        if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39) || c === 0x74 /* t */ || c === 0x66 /* f */ || c === 0x6e /* n */) {
          p++;
          while (p < limit && isScalarByte(buffer[p]!)) p++;
          if (p >= limit && depth > 0) return { ok: false, at: limit, reason: 'ends inside a value' };
          break;
        }
        return { ok: false, at: p, reason: 'expected a value' };
      case Expect.Key:
      case Expect.KeyOrClose:
        if (c === QUOTE) {
          const end = text.stringEnd(p, limit);
          if (end < 0) return { ok: false, at: -end - 1, reason: end === -limit - 1 ? 'ends inside a string' : 'string not closed on its line' };
          p = end;
          expect = Expect.Colon;
          continue;
        }
        if (c === 0x7d /* } */ && expect === Expect.KeyOrClose) {
          stack.pop();
          depth--;
          p++;
          break;
        }
        return { ok: false, at: p, reason: 'expected a key' };
      case Expect.Colon:
        if (c !== 0x3a /* : */) return { ok: false, at: p, reason: "expected ':'" };
        expect = Expect.Value;
        p++;
        continue;
      case Expect.CommaOrClose: {
        const top = stack[depth - 1];
        if (c === 0x2c /* , */) {
          expect = top === OBJECT ? Expect.Key : Expect.Value;
          p++;
          continue;
        }
        if ((c === 0x7d && top === OBJECT) || (c === 0x5d && top === ARRAY)) {
          stack.pop();
          depth--;
          p++;
          break;
        }
        return { ok: false, at: p, reason: top === OBJECT ? "expected ',' or '}'" : "expected ',' or ']'" };
      }
    }
    // A value ended at p.
    if (depth === 0) return { ok: true, end: p, depth: deepest };
    expect = Expect.CommaOrClose;
  }
  return { ok: false, at: limit, reason: 'ends inside a value', expect };
}

/** The object and array kinds, for callers that resume a scan inside a container. */
export const CONTAINER = { OBJECT, ARRAY } as const;

/**
 * The bytes being scanned, with the position of the next newline kept between calls: scans move
 * forward, so each newline is searched for once, however many strings lie on a long line.
 */
export class ScanText {
  readonly buffer: Buffer;
  private newlineAt = -1;
  private newlineFrom = Number.POSITIVE_INFINITY;

  constructor(
    bytes: Uint8Array,
    readonly limit: number = bytes.length,
  ) {
    this.buffer = asBuffer(bytes);
  }

  /** The first newline at or after `from`, or `limit`. */
  nextNewline(from: number): number {
    if (from < this.newlineFrom || from > this.newlineAt) {
      const at = this.buffer.indexOf(NEWLINE, from);
      this.newlineAt = at < 0 || at >= this.limit ? this.limit : at;
      this.newlineFrom = from;
    }
    return this.newlineAt;
  }

  /**
   * Index just past the string opened at `open`, or `-(at + 1)` where it breaks: `limit` when the
   * input ends first, the newline when the string runs onto the next line (JSON strings cannot hold
   * a raw newline, so that is damage, and stopping there keeps it from swallowing the lines after).
   */
  stringEnd(open: number, limit: number = this.limit): number {
    const { buffer } = this;
    const newline = this.nextNewline(open);
    let from = open + 1;
    for (;;) {
      let close = buffer.indexOf(QUOTE, from);
      if (close < 0 || close >= limit) close = limit;
      if (newline < close) return -(newline + 1);
      if (close === limit) return -(limit + 1);
      let slashes = 0;
      for (let i = close - 1; i > open && buffer[i] === BACKSLASH; i--) slashes++;
      if (slashes % 2 === 0) return close + 1;
      from = close + 1;
    }
  }
}

function isScalarByte(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x2e || c === 0x2b || c === 0x2d;
}

/**
 * The JSON text of `[start, end)` without whitespace outside strings: a pretty-printed record as one
 * NDJSON line, with every number and string exactly as written (re-serialising a parsed value would
 * turn `123456789012345678901234567890` into `1.2345678901234568e+29`).
 */
export function compactJson(text: ScanText, start: number, end: number): string {
  const { buffer } = text;
  const parts: string[] = [];
  let from = start;
  let p = start;
  while (p < end) {
    const c = buffer[p]!;
    if (c === QUOTE) {
      const close = text.stringEnd(p, end);
      p = close < 0 ? end : close;
      continue;
    }
    if (isJsonSpace(c)) {
      if (p > from) parts.push(buffer.toString('utf8', from, p));
      while (p < end && isJsonSpace(buffer[p]!)) p++;
      from = p;
      continue;
    }
    p++;
  }
  if (end > from) parts.push(buffer.toString('utf8', from, end));
  return parts.join('');
}

export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Whether the value in `[start, end)` nests deeper than `max`, jumping over strings natively: cheap
 * enough to run on every parsed NDJSON line longer than `max` bytes (a shorter one cannot be that deep).
 */
export function nestsDeeperThan(text: ScanText, start: number, end: number, max: number): boolean {
  const { buffer } = text;
  let depth = 0;
  for (let p = start; p < end; p++) {
    const c = buffer[p]!;
    if (c === QUOTE) {
      const close = text.stringEnd(p, end);
      if (close < 0) return false; // not valid JSON: the parser says so
      p = close - 1;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}
