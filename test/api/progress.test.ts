import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createProgressReporter, SILENT_PROGRESS } from '../../src/sources/cloudtrail-api/progress';

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

function tty(): { isTTY: true; writes: string[]; write(text: string): void } {
  const writes: string[] = [];
  return { isTTY: true, writes, write: (text: string) => void writes.push(text) };
}

describe('progress reporter', () => {
  test('is silent when stderr is not a terminal', () => {
    const writes: string[] = [];
    const reporter = createProgressReporter({ isTTY: false, write: (t: string) => writes.push(t) }, ['us-east-1']);
    expect(reporter).toBe(SILENT_PROGRESS);
    reporter.page('us-east-1', 50);
    reporter.close();
    expect(writes).toEqual([]);
    expect(createProgressReporter(null, ['us-east-1'])).toBe(SILENT_PROGRESS);
  });

  test('draws one line per region with pages, scanned, matched, throttles and request rate', async () => {
    const stream = tty();
    const reporter = createProgressReporter(stream, ['us-east-1', 'eu-west-1']);
    reporter.attempt('us-east-1');
    reporter.attempt('us-east-1');
    reporter.throttled('us-east-1');
    reporter.page('us-east-1', 50);
    reporter.matched('us-east-1');
    await vi.advanceTimersByTimeAsync(1000);
    reporter.close();
    const frame = stream.writes.at(-1) ?? '';
    expect(frame).toContain('us-east-1  pages 1  scanned 50  matched 1  throttled 1  2.0 req/s');
    expect(frame).toContain('eu-west-1  pages 0  scanned 0  matched 0  throttled 0  0.0 req/s');
  });

  test('redraws at most four times a second however often counters change', async () => {
    const stream = tty();
    const reporter = createProgressReporter(stream, ['us-east-1']);
    for (let ms = 0; ms < 1000; ms += 10) {
      reporter.page('us-east-1', 1);
      await vi.advanceTimersByTimeAsync(10);
    }
    expect(stream.writes.length).toBeGreaterThan(0);
    expect(stream.writes.length).toBeLessThanOrEqual(5);
  });

  test('each redraw moves back over the previous frame, and close draws the final state', async () => {
    const stream = tty();
    const reporter = createProgressReporter(stream, ['us-east-1', 'eu-west-1']);
    reporter.page('us-east-1', 5);
    await vi.advanceTimersByTimeAsync(300);
    reporter.regionEnded('eu-west-1', 'skipped');
    reporter.close();
    expect(stream.writes[0]?.startsWith('\x1b[')).toBe(false);
    expect(stream.writes.at(-1)).toMatch(/^\x1b\[2A/);
    expect(stream.writes.at(-1)).toContain('skipped');
    const count = stream.writes.length;
    reporter.page('us-east-1', 5);
    await vi.advanceTimersByTimeAsync(1000);
    expect(stream.writes.length).toBe(count);
  });
});
