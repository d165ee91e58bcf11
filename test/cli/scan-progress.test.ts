import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startScanProgress } from '../../src/cli/scan-progress';
import { emptyStats } from '../../src/query/stats';

describe('local scan progress', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('says nothing when stderr is not a terminal', () => {
    const written: string[] = [];
    const progress = startScanProgress({ isTTY: false, write: (t) => written.push(t) }, emptyStats());
    vi.advanceTimersByTime(5000);
    progress.stop();
    expect(written).toEqual([]);
  });

  it('stays quiet for short scans, then redraws one line of counters and erases it at the end', () => {
    const written: string[] = [];
    const stats = emptyStats();
    const progress = startScanProgress({ isTTY: true, write: (t) => written.push(t) }, stats);
    vi.advanceTimersByTime(900);
    expect(written).toEqual([]);
    stats.files = 3;
    stats.eventsScanned = 12_345;
    stats.matched = 7;
    vi.advanceTimersByTime(300);
    expect(written.at(-1)).toMatch(/^\r\x1b\[2Kctq: 3 files, 12,345 events scanned \([\d,]+\/s\), 7 matched$/);
    progress.stop();
    expect(written.at(-1)).toBe('\r\x1b[2K');
    const count = written.length;
    vi.advanceTimersByTime(1000);
    expect(written).toHaveLength(count);
  });

  it('names the phase when the counters would say nothing', () => {
    const written: string[] = [];
    let phase: string | null = 'building the identity graph (first pass)';
    const progress = startScanProgress({ isTTY: true, write: (t) => written.push(t) }, emptyStats(), () => phase);
    vi.advanceTimersByTime(1300);
    expect(written.at(-1)).toBe('\r\x1b[2Kctq: building the identity graph (first pass)…');
    phase = null;
    vi.advanceTimersByTime(300);
    expect(written.at(-1)).toMatch(/events scanned/);
    progress.stop();
  });
});
