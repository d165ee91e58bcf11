import { describe, expect, test } from 'vitest';
import { DIGEST_HEX_LENGTH, RecentIds, eventIdDigest } from '../../src/state';

const T0 = Date.parse('2026-11-27T12:00:00Z');
const MIN = 60_000;

describe('RecentIds membership', () => {
  test('an added ID is present, another is not', () => {
    const recent = new RecentIds();
    expect(recent.add('a1b2c3d4-0000-4000-8000-000000000001', T0)).toEqual({ kind: 'added' });
    expect(recent.has('a1b2c3d4-0000-4000-8000-000000000001')).toBe(true);
    expect(recent.has('a1b2c3d4-0000-4000-8000-000000000002')).toBe(false);
    expect(recent.size).toBe(1);
  });

  test('adding an ID twice reports it present and keeps one entry', () => {
    const recent = new RecentIds();
    recent.add('e1', T0);
    expect(recent.add('e1', T0)).toEqual({ kind: 'present' });
    expect(recent.size).toBe(1);
  });

  test('IDs are kept as fixed-length hex digests, whatever their length', () => {
    expect(eventIdDigest('x')).toMatch(new RegExp(`^[0-9a-f]{${DIGEST_HEX_LENGTH}}$`));
    expect(eventIdDigest('x'.repeat(10_000))).toHaveLength(DIGEST_HEX_LENGTH);
    expect(eventIdDigest('x')).not.toBe(eventIdDigest('y'));
  });
});

describe('RecentIds pruning', () => {
  test('prune forgets IDs older than the horizon and keeps those at or after it', () => {
    const recent = new RecentIds();
    recent.add('old', T0 - 10 * MIN);
    recent.add('edge', T0);
    recent.add('new', T0 + MIN);
    expect(recent.prune(T0)).toBe(1);
    expect(recent.has('old')).toBe(false);
    expect(recent.has('edge')).toBe(true);
    expect(recent.has('new')).toBe(true);
    expect(recent.size).toBe(2);
  });

  test('prune works whatever order the IDs were added in (LookupEvents returns newest first)', () => {
    const recent = new RecentIds();
    for (let i = 100; i > 0; i--) recent.add(`e${i}`, T0 + i * 1000);
    expect(recent.prune(T0 + 51_000)).toBe(50);
    for (let i = 1; i <= 100; i++) expect(recent.has(`e${i}`)).toBe(i >= 51);
  });

  test('coveredFromMs starts unbounded and follows the latest prune, never moving back', () => {
    const recent = new RecentIds();
    expect(recent.coveredFromMs).toBe(-Infinity);
    recent.prune(T0);
    expect(recent.coveredFromMs).toBe(T0);
    recent.prune(T0 - MIN);
    expect(recent.coveredFromMs).toBe(T0);
  });

  test('an ID seen again with a later time stays until the later time leaves', () => {
    const recent = new RecentIds();
    recent.add('e', T0);
    recent.add('e', T0 + 5 * MIN);
    recent.prune(T0 + MIN);
    expect(recent.has('e')).toBe(true);
    recent.prune(T0 + 6 * MIN);
    expect(recent.has('e')).toBe(false);
  });
});

describe('RecentIds cap', () => {
  test('at the cap the oldest eventTime goes first and add reports the eviction', () => {
    const recent = new RecentIds(3);
    recent.add('b', T0 + 2000);
    recent.add('a', T0 + 1000);
    recent.add('c', T0 + 3000);
    expect(recent.add('d', T0 + 4000)).toEqual({ kind: 'evicted', evictedTimeMs: T0 + 1000 });
    expect(recent.size).toBe(3);
    expect(recent.has('a')).toBe(false);
    expect(['b', 'c', 'd'].every((id) => recent.has(id))).toBe(true);
  });

  test('a newcomer older than everything at the cap is the one dropped', () => {
    const recent = new RecentIds(2);
    recent.add('b', T0 + 2000);
    recent.add('c', T0 + 3000);
    expect(recent.add('a', T0 + 1000)).toEqual({ kind: 'evicted', evictedTimeMs: T0 + 1000 });
    expect(recent.has('a')).toBe(false);
    expect(recent.has('b') && recent.has('c')).toBe(true);
  });

  test('below the cap nothing is evicted', () => {
    const recent = new RecentIds(1000);
    const outcomes = Array.from({ length: 1000 }, (_, i) => recent.add(`e${i}`, T0 + i).kind);
    expect(outcomes.every((kind) => kind === 'added')).toBe(true);
    expect(recent.add('one-more', T0 + 5000).kind).toBe('evicted');
  });

  test('a cap that is not a positive integer is refused', () => {
    expect(() => new RecentIds(0)).toThrow(RangeError);
    expect(() => new RecentIds(1.5)).toThrow(RangeError);
  });
});

describe('RecentIds serialisation', () => {
  test('round-trips IDs and times through JSON text', () => {
    const recent = new RecentIds();
    const times = [T0 + 3000, T0, T0 + 3000, T0 + 120_000, T0 + 1];
    times.forEach((time, i) => recent.add(`id-${i}`, time));
    const text = JSON.stringify(recent.toJSON());
    const back = RecentIds.fromJSON(JSON.parse(text));
    if (!back.ok) throw new Error(back.message);
    expect(back.evicted).toBe(0);
    expect(back.recent.size).toBe(5);
    times.forEach((_, i) => expect(back.recent.has(`id-${i}`)).toBe(true));
    expect(back.recent.has('id-5')).toBe(false);
    // The times survived: pruning the copy removes exactly what pruning the original removes.
    expect(back.recent.prune(T0 + 3000)).toBe(recent.prune(T0 + 3000));
    expect(back.recent.toJSON()).toEqual(recent.toJSON());
  });

  test('the serialised form is compact: times ascending and delta-coded, digests concatenated', () => {
    const recent = new RecentIds();
    recent.add('b', T0 + 5000);
    recent.add('a', T0);
    const json = recent.toJSON();
    expect(json.t).toEqual([T0, 5000]);
    expect(json.d).toBe(eventIdDigest('a') + eventIdDigest('b'));
    expect(json.f).toBeNull();
  });

  test('coveredFromMs survives the round trip', () => {
    const recent = new RecentIds();
    recent.prune(T0);
    const back = RecentIds.fromJSON(JSON.parse(JSON.stringify(recent.toJSON())));
    if (!back.ok) throw new Error(back.message);
    expect(back.recent.coveredFromMs).toBe(T0);
  });

  test('loading more entries than the cap keeps the newest and counts the rest', () => {
    const big = new RecentIds();
    for (let i = 0; i < 10; i++) big.add(`e${i}`, T0 + i);
    const small = RecentIds.fromJSON(big.toJSON(), 4);
    if (!small.ok) throw new Error(small.message);
    expect(small.evicted).toBe(6);
    expect(small.recent.size).toBe(4);
    expect(small.recent.has('e9') && small.recent.has('e6')).toBe(true);
    expect(small.recent.has('e5')).toBe(false);
  });

  test.each([
    ['not an object', []],
    ['missing members', { d: '', f: null }],
    ['missing covered-from', { d: '', t: [] }],
    ['digest length mismatch', { d: 'abc', t: [1], f: null }],
    ['upper-case digest', { d: 'ABCDEF0123456789', t: [1], f: null }],
    ['negative delta', { d: '0123456789abcdef0123456789abcdef', t: [10, -1], f: null }],
    ['non-number time', { d: '0123456789abcdef', t: ['1'], f: null }],
  ])('a damaged form is refused: %s', (_name, value) => {
    const parsed = RecentIds.fromJSON(value);
    expect(parsed.ok).toBe(false);
  });
});
