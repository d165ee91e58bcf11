/**
 * Several byte strings looked for in one pass over a span: whether any of them occurs. The record
 * gate (record-gate.ts) asks this of most records with the needles of the half-dozen rules their API
 * selects; one native `indexOf` per needle and record cost a call (and a search table) each, and as
 * many passes over the record as needles, which came to more than parsing the record.
 *
 * Each position is tested by its first two bytes against a table of the needles' first two bytes,
 * and only a hit is compared in full: one pass, a table lookup per byte.
 */
export class NeedleSet {
  /** For each two-byte prefix (`first << 8 | second`), the needles that begin with it. */
  private readonly byPrefix = new Map<number, Buffer[]>();
  private readonly prefixes = new Uint8Array(1 << 16);
  /** One-byte needles, searched natively (a single byte is a `memchr`). */
  private readonly single: Buffer[] = [];
  /** An empty needle occurs everywhere. */
  private readonly empty: boolean;

  constructor(needles: readonly Buffer[]) {
    this.empty = needles.some((needle) => needle.length === 0);
    for (const needle of needles) {
      if (needle.length === 1) this.single.push(needle);
      if (needle.length < 2) continue;
      const prefix = (needle[0]! << 8) | needle[1]!;
      this.prefixes[prefix] = 1;
      this.byPrefix.set(prefix, [...(this.byPrefix.get(prefix) ?? []), needle]);
    }
  }

  /** Whether some needle occurs wholly inside `bytes[start, end)`. */
  anyWithin(bytes: Buffer, start: number, end: number): boolean {
    if (this.empty) return true;
    for (const needle of this.single) {
      const at = bytes.indexOf(needle, start);
      if (at >= 0 && at < end) return true;
    }
    if (this.byPrefix.size === 0) return false;
    const { prefixes } = this;
    let pair = bytes[start]!;
    for (let i = start + 1; i < end; i++) {
      pair = ((pair << 8) | bytes[i]!) & 0xffff;
      if (prefixes[pair] === 1 && this.startsHere(bytes, i - 1, end, pair)) return true;
    }
    return false;
  }

  private startsHere(bytes: Buffer, at: number, end: number, prefix: number): boolean {
    for (const needle of this.byPrefix.get(prefix)!) {
      if (at + needle.length > end) continue;
      let k = 2;
      while (k < needle.length && bytes[at + k] === needle[k]) k++;
      if (k === needle.length) return true;
    }
    return false;
  }
}
