/**
 * ByteNeedle finds a long needle through a short probe inside it: it must answer exactly as
 * `Buffer.indexOf` does, wherever the probe occurs without the needle around it.
 */
import { describe, expect, it } from 'vitest';
import { ByteNeedle } from '../../src/sources/local/byte-needle';

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
      const needleBytes = Buffer.from(text.subarray(start, start + 7 + Math.floor(random() * 3)));
      const needle = new ByteNeedle(needleBytes);
      for (let from = 0; from <= text.length; from += 13) expect(needle.indexIn(text, from)).toBe(text.indexOf(needleBytes, from));
    }
  });
});
