/**
 * Several byte strings looked for in one span: whether any of them occurs wholly inside it. The
 * record gate (record-gate.ts) asks this of most records with the needles of the half-dozen rules
 * their API selects. A native `Buffer#indexOf` per needle and record cost a call into C++ (and a
 * search table) each, which came to more than parsing the record; the span is read once as Latin-1
 * instead, where each byte is one character, and V8's own string search runs on it.
 */
export class NeedleSet {
  /** The needles' UTF-8 bytes spelled as Latin-1, one character a byte, as the span is. */
  private readonly texts: readonly string[];

  constructor(needles: readonly Buffer[]) {
    this.texts = needles.map((needle) => needle.toString('latin1'));
  }

  /** Whether some needle occurs wholly inside `bytes[start, end)` (an empty needle occurs everywhere). */
  anyWithin(bytes: Buffer, start: number, end: number): boolean {
    if (this.texts.length === 0) return false;
    const text = bytes.toString('latin1', start, end);
    for (const needle of this.texts) if (text.includes(needle)) return true;
    return false;
  }
}
