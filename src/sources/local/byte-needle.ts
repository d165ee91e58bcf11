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

export class ByteNeedle {
  /** Where the probe starts in the needle. */
  private readonly probeAt: number;
  private readonly probe: Buffer;

  constructor(readonly bytes: Buffer) {
    this.probeAt = bytes.length <= PROBE_BYTES ? 0 : rarestStart(bytes);
    this.probe = bytes.length <= PROBE_BYTES ? bytes : bytes.subarray(this.probeAt, this.probeAt + PROBE_BYTES);
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

/** The start of the probe window whose first byte is least common in CloudTrail JSON (the first such, on a tie). */
function rarestStart(bytes: Buffer): number {
  let best = 0;
  for (let at = 1; at + PROBE_BYTES <= bytes.length; at++) if (rarity(bytes[at]!) > rarity(bytes[best]!)) best = at;
  return best;
}

/**
 * How seldom a byte occurs in CloudTrail JSON, roughly: structure (`"` `:` `,`), separators in names
 * and ARNs, lowercase letters and digits are everywhere; capitals start only some words (camelCase
 * keys, service and error names); non-ASCII is rare.
 */
function rarity(byte: number): number {
  if (byte >= 0x80) return 4;
  if (byte >= 0x41 && byte <= 0x5a) return 3; // A–Z
  if (byte === 0x22 || byte === 0x3a || byte === 0x2c || byte === 0x20 || byte === 0x2e || byte === 0x2d || byte === 0x2f || byte === 0x5f) return 0;
  if ((byte >= 0x61 && byte <= 0x7a) || (byte >= 0x30 && byte <= 0x39)) return RARE_LOWERCASE.has(byte) ? 2 : 1;
  return 2; // brackets and other punctuation
}

const RARE_LOWERCASE = new Set([...'jkqxz'].map((c) => c.charCodeAt(0)));

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
