/** NeedleSet: whether any of several byte strings occurs wholly inside a span, in one pass. */
import { describe, expect, it } from 'vitest';
import { NeedleSet } from '../../src/rules/needle-set';

const set = (...needles: string[]) => new NeedleSet(needles.map((n) => Buffer.from(n, 'utf8')));
const within = (needles: NeedleSet, text: string, start = 0, end = Buffer.byteLength(text)) => needles.anyWithin(Buffer.from(text, 'utf8'), start, end);

describe('NeedleSet', () => {
  it('finds a needle anywhere inside the span, and only wholly inside it', () => {
    const needles = set('AccessDenied', '198.51.100.7');
    expect(within(needles, '{"errorCode":"AccessDenied"}')).toBe(true);
    expect(within(needles, 'AccessDenied')).toBe(true);
    expect(within(needles, 'x198.51.100.7')).toBe(true);
    expect(within(needles, '{"errorCode":"AccessDenie"}')).toBe(false);
    // Crossing the span's end, or before its start, does not count.
    expect(within(needles, 'xxAccessDenied', 0, 13)).toBe(false);
    expect(within(needles, 'AccessDeniedxx', 1, 14)).toBe(false);
    expect(within(needles, 'xxAccessDeniedxx', 2, 14)).toBe(true);
  });

  it('tells needles with the same first bytes apart, and handles one-byte, multi-byte and no needles', () => {
    expect(within(set('Delete', 'DeleteTrail', 'DescribeTable'), 'xDescribeTablx')).toBe(false);
    expect(within(set('DeleteTrail', 'DescribeTable'), 'xDescribeTable')).toBe(true);
    expect(within(set('é'), 'caf\u00e9')).toBe(true);
    expect(within(set('@'), 'a@b', 0, 1)).toBe(false);
    expect(within(set('@'), 'a@b')).toBe(true);
    expect(within(set(), 'anything')).toBe(false);
    expect(within(set(''), 'anything')).toBe(true);
  });
});
