/**
 * ByteNeedle finds a long needle through a short probe inside it: it must answer exactly as
 * `Buffer.indexOf` does, wherever the probe occurs without the needle around it.
 */
import { describe, expect, it } from 'vitest';
import { ByteNeedle, RecordNeedleCursor } from '../../src/sources/local/byte-needle';

function allHits(find: (from: number) => number, length: number): number[] {
  const hits: number[] = [];
  for (let at = find(0); at >= 0 && at < length; at = find(at + 1)) hits.push(at);
  return hits;
}

describe('ByteNeedle', () => {
  const cases: [string, string][] = [
    ['AccessDenied', '{"errorCode":"AccessDenied"}\n{"errorCode":"Denied","x":"ccessDenied AccessDenie"}\nAccessDeniedAccessDenied'],
    ['"eventVersion"', '[{"eventVersion":"1.08"},{"eventVersio":1},{"Version":2},{"eventVersion"'],
    ['Denied', 'Denied Denie Denied'],
    // Searched by a probe at its end, shorter than six bytes (`Only"`).
    ['"readOnly"', '{"readOnly":false,"x":"Only","y":"readOnly","z":"dOnly"}'],
    ['é-Ωmulti-byte needle', 'xx é-Ωmulti-byte needle é-Ωmulti-byte needl é-Ωmulti-byte needle'],
  ];
  it.each(cases)('finds every occurrence of %j as Buffer.indexOf does', (needleText, text) => {
    const buffer = Buffer.from(text);
    const needle = new ByteNeedle(Buffer.from(needleText));
    const expected = allHits((from) => buffer.indexOf(Buffer.from(needleText), from), buffer.length);
    expect(expected.length).toBeGreaterThan(0);
    expect(allHits((from) => needle.indexIn(buffer, from), buffer.length)).toEqual(expected);
  });

  it('finds nothing when the probe occurs only at the end, cut short', () => {
    const needle = new ByteNeedle(Buffer.from('xAccessDenied'));
    expect(needle.indexIn(Buffer.from('yyyyyyyyAccessDenied'), 0)).toBe(-1);
    expect(needle.indexIn(Buffer.from('xAccessDenie'), 0)).toBe(-1);
  });

  it('agrees with Buffer.indexOf on random text from every start', () => {
    const alphabet = 'ab"AD:';
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 50; round++) {
      const text = Buffer.from(Array.from({ length: 400 }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''));
      const start = Math.floor(random() * 390);
      const needleBytes = Buffer.from(text.subarray(start, start + 5 + Math.floor(random() * 5)));
      const needle = new ByteNeedle(needleBytes);
      for (let from = 0; from <= text.length; from += 13) expect(needle.indexIn(text, from)).toBe(text.indexOf(needleBytes, from));
    }
  });
});

describe('RecordNeedleCursor', () => {
  it('answers as a search of each record alone, whether the records asked about are dense or far apart', () => {
    let seed = 11;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const needleBytes = Buffer.from('ab"');
    for (let round = 0; round < 40; round++) {
      // Records of 20–2,000 bytes over a few hundred KB: past the bytes after which the cursor judges density.
      const records: [number, number][] = [];
      const parts: string[] = [];
      let at = 0;
      for (let i = 0; i < 400; i++) {
        const length = 20 + Math.floor(random() * 1980);
        const text = Array.from({ length }, () => 'xab"'[Math.floor(random() * 4)]).join('');
        records.push([at, at + length]);
        parts.push(text, '\n');
        at += length + 1;
      }
      const buffer = Buffer.from(parts.join(''));
      const cursor = new RecordNeedleCursor(buffer, new ByteNeedle(needleBytes));
      // Dense rounds ask about every record, sparse ones about one in fifty; every occurrence in each is asked for.
      const every = round % 2 === 0 ? 1 : 50;
      for (let i = 0; i < records.length; i += every) {
        const [start, end] = records[i]!;
        const expected: number[] = [];
        for (let k = buffer.subarray(start, end).indexOf(needleBytes); k >= 0; k = buffer.subarray(start, end).indexOf(needleBytes, k + 1)) expected.push(start + k);
        const found: number[] = [];
        for (let k = cursor.firstWithin(start, end); k >= 0; k = cursor.firstWithin(k + 1, end)) found.push(k);
        expect(found, `round ${round}, record ${i}`).toEqual(expected);
      }
    }
  });
});
