/**
 * `isCanonicalJson` lets --enrich splice `_ctq` into a record's own text: it must say yes only when
 * `JSON.stringify` of the parsed value writes that very text.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isCanonicalJson } from '../../src/output/canonical-json';
import { Rng } from '../support/synthetic-events';

const canonical = (text: string) => JSON.stringify(JSON.parse(text)) === text;

describe('a canonical JSON text', () => {
  it.each([
    ['blanks', '{"a": 1}'],
    ['an escape', '{"a":"\\/"}'],
    ['an escaped quote', '{"a":"say \\"hi\\""}'],
    ['a lone surrogate', `{"a":"${String.fromCharCode(0xd800)}"}`],
    ['a lone low surrogate', `{"a":"${String.fromCharCode(0xdc00)}x"}`],
    ['a surrogate pair (left to stringify, to be sure)', '{"a":"🙂"}'],
    ['a fraction', '{"a":1.5}'],
    ['an exponent', '{"a":1e3}'],
    ['a long integer', '{"a":12345678901234567890}'],
    ['minus zero', '{"a":-0}'],
    ['an index key', '{"b":1,"1":2}'],
    ['a key twice', '{"a":1,"b":{"c":2},"a":3}'],
  ])('is not claimed with %s', (_, text) => {
    expect(isCanonicalJson(text)).toBe(false);
  });

  it('is claimed for compact records, nested keys repeated across objects included', () => {
    for (const text of ['{}', '{"a":[]}', '{"a":{"a":{"a":null}},"b":[{"a":1},{"a":-2}],"c":"é"}', '{"t":true,"f":false,"n":null,"s":""}']) {
      expect(canonical(text), text).toBe(true);
      expect(isCanonicalJson(text), text).toBe(true);
    }
  });

  it('is claimed for most fixture records, and only when stringify agrees', () => {
    const lines = readFileSync('fixtures/events.ndjson', 'utf8').split('\n').filter((line) => line.startsWith('{'));
    let claimed = 0;
    for (const line of lines) {
      if (!isCanonicalJson(line)) continue;
      claimed++;
      expect(canonical(line), line).toBe(true);
    }
    expect(claimed).toBeGreaterThan(lines.length / 2);
  });

  it('is claimed only when stringify agrees, on random values', () => {
    const rng = new Rng(11);
    const keys = ['a', 'b', 'c', '1', '01', 'é', ''];
    const scalars = ['0', '-0', '7', '-12', '1.5', '1e2', '123456789012345', '1234567890123456', 'true', 'false', 'null', '"x"', '"\\n"', '"\\u0041"', '" "'];
    const value = (depth: number): string => {
      const kind = depth > 3 ? 0 : rng.int(3);
      if (kind === 0) return rng.pick(scalars);
      const n = rng.int(4);
      const items = Array.from({ length: n }, () => (kind === 1 ? `"${rng.pick(keys)}":${value(depth + 1)}` : value(depth + 1)));
      const sep = rng.int(8) === 0 ? ', ' : ',';
      return kind === 1 ? `{${items.join(sep)}}` : `[${items.join(sep)}]`;
    };
    let claimed = 0;
    for (let trial = 0; trial < 20_000; trial++) {
      const text = `{"k":${value(0)}}`;
      if (!isCanonicalJson(text)) continue;
      claimed++;
      expect(canonical(text), text).toBe(true);
    }
    expect(claimed).toBeGreaterThan(2000);
  });
});
