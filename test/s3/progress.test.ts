import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { startScanProgress } from '../../src/cli/scan-progress';
import { emptyStats } from '../../src/query/stats';
import { emptyS3Counters } from '../../src/sources/s3/counters';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

it('with s3:// inputs the progress line also shows listings, objects and bytes read', () => {
  const written: string[] = [];
  const stats = emptyStats();
  const s3 = emptyS3Counters();
  const progress = startScanProgress({ isTTY: true, write: (t) => written.push(t) }, stats, () => null, s3);
  Object.assign(s3, { listCalls: 12, objects: 340, bytesRead: 25_600_000 });
  Object.assign(stats, { files: 340, eventsScanned: 9_000, matched: 4 });
  vi.advanceTimersByTime(1300);
  expect(written.at(-1)).toMatch(/^\r\x1b\[2Kctq: 12 listings, 340 objects \(25\.6 MB\) read, 340 files, 9,000 events scanned \([\d,]+\/s\), 4 matched$/);
  progress.stop();
});
