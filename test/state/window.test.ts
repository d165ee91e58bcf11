import { describe, expect, test } from 'vitest';
import { nextWindow, pruneHorizonMs } from '../../src/state';

const NOW = Date.parse('2026-11-27T12:00:00Z');
const MIN = 60_000;
const OVERLAP = 15 * MIN;

describe('nextWindow', () => {
  test('the first run goes from the default start to now', () => {
    expect(nextWindow(undefined, NOW, OVERLAP, NOW - 24 * 60 * MIN)).toEqual({ fromMs: NOW - 24 * 60 * MIN, toMs: NOW });
  });

  test('a later run starts the overlap before the previous end and ends now', () => {
    const previousEnd = NOW - 5 * MIN;
    expect(nextWindow(previousEnd, NOW, OVERLAP, 0)).toEqual({ fromMs: previousEnd - OVERLAP, toMs: NOW });
  });

  test('consecutive windows overlap by exactly the overlap', () => {
    const first = nextWindow(undefined, NOW, OVERLAP, NOW - 60 * MIN);
    const second = nextWindow(first.toMs, NOW + 10 * MIN, OVERLAP, NOW - 60 * MIN);
    expect(first.toMs - second.fromMs).toBe(OVERLAP);
  });

  test('a clock stepped back does not move the end backwards', () => {
    expect(nextWindow(NOW, NOW - 2 * MIN, OVERLAP, 0)).toEqual({ fromMs: NOW - OVERLAP, toMs: NOW });
  });

  test('with no overlap the next window starts at the previous end', () => {
    expect(nextWindow(NOW - MIN, NOW, 0, 0).fromMs).toBe(NOW - MIN);
  });
});

describe('nextWindow and the recent set coverage', () => {
  test('the start does not reach back before what the recent set covers', () => {
    // The set was pruned to 5 minutes before the previous end; a 15-minute overlap waits for it.
    expect(nextWindow(NOW - 5 * MIN, NOW, OVERLAP, 0, NOW - 10 * MIN)).toEqual({ fromMs: NOW - 10 * MIN, toMs: NOW });
  });

  test('a coverage older than the overlap does not widen the window', () => {
    expect(nextWindow(NOW - 5 * MIN, NOW, OVERLAP, 0, NOW - 60 * MIN).fromMs).toBe(NOW - 20 * MIN);
  });

  test('a coverage after the previous end never opens a gap', () => {
    expect(nextWindow(NOW - 5 * MIN, NOW, OVERLAP, 0, NOW).fromMs).toBe(NOW - 5 * MIN);
  });

  test('the first run ignores the coverage', () => {
    expect(nextWindow(undefined, NOW, OVERLAP, NOW - 60 * MIN, NOW - 5 * MIN).fromMs).toBe(NOW - 60 * MIN);
  });
});

describe('pruneHorizonMs', () => {
  test('is the window end minus the overlap', () => {
    expect(pruneHorizonMs([NOW], OVERLAP)).toBe(NOW - OVERLAP);
  });

  test('with several keys it follows the earliest end (a failed lookup restarts from there)', () => {
    expect(pruneHorizonMs([NOW, NOW - 30 * MIN, NOW - 5 * MIN], OVERLAP)).toBe(NOW - 30 * MIN - OVERLAP);
  });

  test('is null when there is no window yet', () => {
    expect(pruneHorizonMs([], OVERLAP)).toBeNull();
  });
});
