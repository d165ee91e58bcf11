/**
 * UTF-8 bytes to strings, remembering the strings made: CloudTrail repeats the same few values
 * (event sources and names, regions, error codes, addresses) in record after record. Decoding a
 * short string costs a call into C++ of ~250 ns; hashing and comparing its bytes here costs a tenth
 * of that, and hands back the same string each time (so Map lookups on it hash it once).
 */
import { sameBytes } from './top-level-members';

/** Longer values (user agents, ARNs) are decoded each time: hashing them costs about what decoding does. */
const MAX_INTERNED_BYTES = 96;
/** Past this many distinct values the input is not repeating itself: decode the rest. */
const MAX_ENTRIES = 20_000;

interface Entry {
  readonly bytes: Uint8Array;
  readonly text: string;
  readonly next: Entry | undefined;
}

export class TextInterner {
  private readonly entries = new Map<number, Entry>();
  private count = 0;

  /** `bytes[start, end)` decoded as UTF-8 (the same string for the same bytes, while there is room). */
  text(bytes: Buffer, start: number, end: number): string {
    if (end - start > MAX_INTERNED_BYTES) return bytes.toString('utf8', start, end);
    let hash = end - start;
    for (let p = start; p < end; p++) hash = Math.imul(hash ^ bytes[p]!, 0x01000193);
    const first = this.entries.get(hash);
    for (let entry = first; entry !== undefined; entry = entry.next) if (sameBytes(entry.bytes, bytes, start, end)) return entry.text;
    const text = bytes.toString('utf8', start, end);
    if (this.count < MAX_ENTRIES) {
      this.entries.set(hash, { bytes: Uint8Array.prototype.slice.call(bytes, start, end), text, next: first });
      this.count++;
    }
    return text;
  }
}
