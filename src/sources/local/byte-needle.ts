/**
 * A literal searched for in bytes, faster than `Buffer.indexOf` for the needles the reader uses
 * (`AccessDenied`, `"eventVersion"`). Node searches a needle of up to six bytes with `memchr` on its
 * first byte and a compare at each candidate; longer needles go through a Boyer–Moore search that
 * walks the text several times slower (60 MB: ~20 ms for `Denied`, 100–140 ms for `AccessDenied` and
 * `"eventVersion"`). So a long needle is found through a six-byte probe inside it, chosen to start
 * with a byte that JSON text seldom holds (`Versio` rather than `"event`: every key starts with
 * `"`), and each probe hit is checked against the whole needle.
 */

/** Node's memchr-based search takes needles shorter than its Boyer–Moore minimum of seven bytes. */
const PROBE_BYTES = 6;
/** A probe at a needle's end may be shorter, down to this: `Only"` is a better probe of `"readOnly"` than `readOn`. */
const MIN_PROBE_BYTES = 4;

export class ByteNeedle {
  /** Where the probe starts in the needle. */
  private readonly probeAt: number;
  private readonly probe: Buffer;

  constructor(readonly bytes: Buffer) {
    this.probeAt = bytes.length <= MIN_PROBE_BYTES ? 0 : rarestStart(bytes);
    const probe = bytes.subarray(this.probeAt, this.probeAt + PROBE_BYTES);
    this.probe = probe.length === bytes.length ? bytes : probe;
  }

  get length(): number {
    return this.bytes.length;
  }

  /** Where the needle first occurs in `buffer` at or after `from`, or -1 (as `buffer.indexOf(needle, from)`). */
  indexIn(buffer: Buffer, from: number): number {
    const { bytes, probe, probeAt } = this;
    if (probe === bytes) return buffer.indexOf(bytes, from);
    for (let at = buffer.indexOf(probe, from + probeAt); at >= 0; at = buffer.indexOf(probe, at + 1)) {
      const start = at - probeAt;
      if (start + bytes.length > buffer.length) return -1;
      if (occursAt(buffer, start, bytes)) return start;
    }
    return -1;
  }
}

/** Whether `needle` occurs in `bytes` at `at`, wholly before `end`. */
export function occursAt(bytes: Uint8Array, at: number, needle: Uint8Array, end = bytes.length): boolean {
  if (at + needle.length > end) return false;
  for (let i = 0; i < needle.length; i++) if (bytes[at + i] !== needle[i]) return false;
  return true;
}

/**
 * The start of the probe window whose first byte is least common in CloudTrail JSON (the first such, on a
 * tie): the native search stops at every occurrence of that byte. Windows are six bytes, or at least four
 * at the needle's end. `AccessDenied` is searched by `Denied` (`D` is half as common as `A`), in half the time.
 */
function rarestStart(bytes: Buffer): number {
  let best = 0;
  for (let at = 1; at + MIN_PROBE_BYTES <= bytes.length; at++) if (frequency(bytes[at]!) < frequency(bytes[best]!)) best = at;
  return best;
}

/**
 * How often a byte occurs in CloudTrail JSON, per 10,000 bytes: measured on the real events of the Stratus
 * Red Team detonation logs (pretty-printed, hence the blanks), rounded. Bytes not listed (non-ASCII, rare
 * punctuation) count as 1.
 */
const FREQUENCIES: Readonly<Record<string, number>> = {
  ' ': 2257, '"': 680, e: 579, a: 344, t: 339, s: 328, r: 290, ':': 271, n: 261, '\n': 250, '-': 199, c: 195, o: 192, i: 178,
  d: 168, ',': 166, '2': 159, u: 142, '1': 140, '0': 136, m: 125, '4': 124, '3': 119, l: 116, '5': 111, '9': 108, '8': 103,
  '7': 101, A: 100, I: 97, '6': 89, p: 84, v: 75, f: 63, '.': 61, b: 61, S: 59, w: 59, g: 56, h: 56, y: 54, D: 50, C: 48,
  T: 46, E: 42, P: 38, '{': 37, '}': 37, H: 36, M: 35, R: 30, N: 30, V: 30, _: 29, K: 28, z: 27, Z: 27, L: 26, G: 25, U: 24,
  O: 23, '/': 23, q: 23, F: 21, J: 19, Q: 19, k: 19, W: 18, X: 17, Y: 17, B: 16, x: 14, j: 11, '[': 7, ']': 7, '\\': 4, '+': 4,
  '%': 2,
};
const FREQUENCY_OF_BYTE = new Uint16Array(256).fill(1);
for (const [char, perTenThousand] of Object.entries(FREQUENCIES)) FREQUENCY_OF_BYTE[char.charCodeAt(0)] = perTenThousand;

function frequency(byte: number): number {
  return FREQUENCY_OF_BYTE[byte]!;
}

/**
 * One needle's occurrences in one buffer, searched forward only: the next occurrence found is kept
 * until the positions asked about move past it, so each byte is searched once per needle however
 * many records are asked about.
 */
export class NeedleCursor {
  /** The next occurrence not yet passed (-1: none left; -2: not searched yet). */
  private next = -2;

  constructor(
    private readonly buffer: Buffer,
    readonly needle: ByteNeedle,
  ) {}

  /** Where the needle first occurs at or after `from`, or -1. Calls must come with non-decreasing `from`. */
  firstFrom(from: number): number {
    if (this.next !== -1 && this.next < from) this.next = this.needle.indexIn(this.buffer, from);
    return this.next;
  }

  /** Whether the needle occurs wholly inside [start, end). Calls must come with non-decreasing starts. */
  within(start: number, end: number): boolean {
    const at = this.firstFrom(start);
    return at >= 0 && at + this.needle.length <= end;
  }
}

/**
 * One needle's occurrences in records of one buffer, asked about in order, by a pre-filter that runs
 * after another (the literal's): when it is asked about most of the buffer (every record, the literal
 * being in all of them), searching the whole buffer once, forward, as `NeedleCursor` does, costs least;
 * when it is asked about a few records far apart (a selective literal), that would still search every
 * byte between them, so each record is searched on its own. Which it is, it tells from the bytes it
 * has been asked about against the span they lie in.
 */
export class RecordNeedleCursor {
  /** The first occurrence at or after `searchedFrom` (-1: none to the buffer's end), or unknown (-2). */
  private next = -2;
  private searchedFrom = 0;
  private askedBytes = 0;
  private firstAsked = -1;
  private lastEnd = -1;

  constructor(
    private readonly buffer: Buffer,
    readonly needle: ByteNeedle,
  ) {}

  /** Where the needle first occurs wholly inside [from, end), or -1. Calls must come with non-decreasing `from`. */
  firstWithin(from: number, end: number): number {
    const { needle } = this;
    // Every record asked about counts, once, however many of its occurrences are looked at.
    if (end !== this.lastEnd) {
      if (this.firstAsked < 0) this.firstAsked = from;
      this.askedBytes += end - from;
      this.lastEnd = end;
    }
    if (this.next === -2 || from < this.searchedFrom || (this.next >= 0 && this.next < from)) {
      if (2 * this.askedBytes >= end - this.firstAsked && end - this.firstAsked >= DENSE_AFTER_BYTES) {
        this.next = needle.indexIn(this.buffer, from);
        this.searchedFrom = from;
      } else {
        const at = needle.indexIn(this.buffer.subarray(from, end), 0);
        if (at < 0) return -1; // nothing known past `end`: still unknown
        this.next = from + at;
        this.searchedFrom = from;
      }
    }
    return this.next >= 0 && this.next + needle.length <= end ? this.next : -1;
  }
}

/** Bytes asked about before a cursor judges whether its asks are dense (records a few KB each). */
const DENSE_AFTER_BYTES = 64 << 10;
