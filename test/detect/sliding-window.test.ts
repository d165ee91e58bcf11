import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/rules/duration';
import { DELIVERY_SLACK_MS, SlidingWindows } from '../../src/detect/sliding-window';

const MIN = 60_000;
const entry = (minute: number, id = `e${minute}`, value?: string) => (value === undefined ? { ms: minute * MIN, eventID: id } : { ms: minute * MIN, eventID: id, value });

describe('SlidingWindows', () => {
  it('fires when N events of one key fall within the window, once, then starts again', () => {
    const windows = new SlidingWindows(3, 5 * MIN, false);
    expect(windows.add('k', entry(0))).toBeNull();
    expect(windows.add('other', entry(1))).toBeNull();
    expect(windows.add('k', entry(2))).toBeNull();
    const hit = windows.add('k', entry(4));
    expect(hit).toMatchObject({ key: 'k', count: 3 });
    expect(hit!.entries.map((e) => e.eventID)).toEqual(['e0', 'e2', 'e4']);
    expect(windows.add('k', entry(5))).toBeNull(); // counting starts afresh after an alert
  });

  it('does not fire for events spread wider than the window', () => {
    const windows = new SlidingWindows(3, 5 * MIN, false);
    for (const minute of [0, 3, 6, 9, 12, 15]) expect(windows.add('k', entry(minute))).toBeNull();
  });

  it('counts a newest-first stream (LookupEvents) as exactly as an oldest-first one', () => {
    const windows = new SlidingWindows(3, 5 * MIN, false);
    expect(windows.add('k', entry(60))).toBeNull(); // an isolated later event first
    expect(windows.add('k', entry(4))).toBeNull();
    expect(windows.add('k', entry(3))).toBeNull();
    expect(windows.add('k', entry(1))!.entries.map((e) => e.eventID)).toEqual(['e1', 'e3', 'e4']);
  });

  it('counts events shuffled within a window by their eventTime', () => {
    const windows = new SlidingWindows(3, 5 * MIN, false);
    expect(windows.add('k', entry(2))).toBeNull();
    expect(windows.add('k', entry(0))).toBeNull();
    expect(windows.add('k', entry(1))!.entries.map((e) => e.eventID)).toEqual(['e0', 'e1', 'e2']);
  });

  it('counts events that arrive after a later one of their key by up to the delivery slack (trail files delivered late)', () => {
    const windows = new SlidingWindows(3, 2 * MIN, false);
    expect(windows.add('k', entry(10))).toBeNull();
    expect(windows.add('k', entry(24))).toBeNull(); // delivered first: 14 minutes after the next two
    expect(windows.add('k', entry(11))).toBeNull();
    expect(windows.add('k', entry(9))!.entries.map((e) => e.eventID)).toEqual(['e9', 'e10', 'e11']);
    // The same, newest first: the slack holds in both directions.
    const newestFirst = new SlidingWindows(3, 2 * MIN, false);
    for (const minute of [30, 16, 29]) expect(newestFirst.add('k', entry(minute))).toBeNull();
    expect(newestFirst.add('k', entry(31))).toMatchObject({ count: 3 });
  });

  it('finds every burst in events read in delivery order, each delivered up to the slack after it happened', () => {
    // 40 keys: one call every 20 minutes for 6 hours, and one burst of 5 calls in 2 minutes somewhere.
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const events: { key: string; ms: number; id: string }[] = [];
    for (let k = 0; k < 40; k++) {
      for (let j = 0; j < 18; j++) events.push({ key: `k${k}`, ms: k * 7_000 + j * 20 * MIN, id: `k${k}-s${j}` });
      const burst = Math.floor(random() * 340) * MIN;
      for (let i = 0; i < 5; i++) events.push({ key: `k${k}`, ms: burst + i * 30_000, id: `k${k}-b${i}` });
    }
    const delivered = events.map((e) => ({ ...e, at: e.ms + random() * DELIVERY_SLACK_MS })).sort((a, b) => a.at - b.at);
    const windows = new SlidingWindows(5, 5 * MIN, false);
    const hits = delivered.map((e) => windows.add(e.key, { ms: e.ms, eventID: e.id })).filter((hit) => hit !== null);
    expect(hits.map((hit) => hit.key).sort()).toEqual(Array.from({ length: 40 }, (_, k) => `k${k}`).sort());
    for (const hit of hits) expect(hit.entries.at(-1)!.ms - hit.entries[0]!.ms).toBeLessThanOrEqual(5 * MIN);
  });

  it('may miss an event that arrives later than the slack', () => {
    const slackMinutes = DELIVERY_SLACK_MS / MIN;
    const windows = new SlidingWindows(2, 1 * MIN, false);
    expect(windows.add('k', entry(0))).toBeNull();
    expect(windows.add('k', entry(slackMinutes + 2))).toBeNull(); // out of reach of it (a window and the slack): minute 0 is dropped
    expect(windows.add('k', entry(0.5))).toBeNull();
  });

  it('with a distinct count, a value seen again is still one value', () => {
    const windows = new SlidingWindows(3, 10 * MIN, true);
    expect(windows.add('k', entry(0, 'a', '"ListUsers"'))).toBeNull();
    expect(windows.add('k', entry(1, 'b', '"ListUsers"'))).toBeNull();
    expect(windows.add('k', entry(2, 'c', '"ListRoles"'))).toBeNull();
    const hit = windows.add('k', entry(3, 'd', '"DescribeInstances"'));
    expect(hit).toMatchObject({ count: 3 });
    expect(hit!.entries.map((e) => e.value)).toEqual(['"ListUsers"', '"ListRoles"', '"DescribeInstances"']);
  });

  it('keeps memory bounded by active keys: idle keys are dropped, a key holds at most N entries', () => {
    const windows = new SlidingWindows(1000, 5 * MIN, false);
    for (let i = 0; i < 20_000; i++) windows.add(`key-${i}`, { ms: i * 1000, eventID: null });
    // 20,000 keys, one per second: only those added lately or within 5 minutes of the latest are held.
    expect(windows.activeKeys).toBeLessThanOrEqual(2 * 4096);
  });

  it('saves and restores open windows', () => {
    const first = new SlidingWindows(3, 5 * MIN, false);
    first.add('k', entry(0));
    first.add('k', entry(1));
    const second = new SlidingWindows(3, 5 * MIN, false);
    second.restore(JSON.parse(JSON.stringify(first.save())));
    expect(second.add('k', entry(2))).toMatchObject({ count: 3 });
  });
});

describe('parseDuration', () => {
  it('reads s, m, h, d and combinations; rejects the rest', () => {
    expect(parseDuration('5m')).toBe(5 * MIN);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1h30m')).toBe(90 * MIN);
    expect(parseDuration('2d')).toBe(2 * 86_400_000);
    expect(parseDuration('5')).toBeNull();
    expect(parseDuration('five minutes')).toBeNull();
    expect(parseDuration('0s')).toBeNull();
  });
});
