/**
 * Cron loops simulated end to end through the state file: every run loads the state, reads what the
 * windows or cursors say, drops what the recent-ID set already holds, prunes and saves. CloudTrail
 * delivers late ("within an average of about 5 minutes of an API call. This time is not guaranteed",
 * CloudTrail user guide, how-cloudtrail-works.md), so events show up in LookupEvents after a window
 * covering their eventTime was read; the overlap has to catch them, and the recent set has to keep
 * the overlap from repeating what was emitted.
 */
import { randomUUID } from 'node:crypto';
import { appendFile, mkdtemp, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  completeLinesLength,
  createState,
  cursorAfterRead,
  keepPresentFiles,
  loadState,
  nextWindow,
  planFile,
  pruneHorizonMs,
  queryFingerprint,
  rereadWarning,
  saveState,
  type FileCursor,
  type FileIdentity,
} from '../../src/state';

const T0 = Date.parse('2026-11-27T00:00:00Z');
const MIN = 60_000;

let dir: string;
let statePath: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ctq-multirun-'));
  statePath = join(dir, 'run.state');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A small deterministic generator, so that a failure replays the same way. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface SimEvent {
  readonly id: string;
  readonly region: string;
  /** eventTime: second precision, as CloudTrail writes it. */
  readonly timeMs: number;
  /** When the event becomes visible in LookupEvents. */
  readonly deliveredMs: number;
}

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];

function makeEvents(count: number, maxDelayMs: number, seed: number): SimEvent[] {
  const random = seeded(seed);
  return Array.from({ length: count }, () => {
    const timeMs = T0 + Math.floor(random() * 120 * 60) * 1000; // over two hours
    return {
      id: randomUUID(),
      region: REGIONS[Math.floor(random() * REGIONS.length)]!,
      timeMs,
      deliveredMs: timeMs + Math.floor(random() * maxDelayMs),
    };
  });
}

/** LookupEvents as far as windows go: StartTime and EndTime inclusive, newest first, only what was delivered by now. */
function lookup(events: readonly SimEvent[], region: string, startMs: number, endMs: number, nowMs: number): SimEvent[] {
  return events
    .filter((e) => e.region === region && e.deliveredMs <= nowMs && e.timeMs >= startMs && e.timeMs <= endMs)
    .sort((a, b) => b.timeMs - a.timeMs);
}

interface ApiRunOptions {
  readonly overlapMs: number;
  /** This region's lookup fails halfway: half its events are emitted, its window end is not stored. */
  readonly failRegion?: string;
  /** Turn the recent-ID set off, to show what it prevents. */
  readonly dedupe?: boolean;
}

const FINGERPRINT = queryFingerprint({ actions: ['s3:*'], matches: [], source: 'api', regions: REGIONS });

async function apiRun(events: readonly SimEvent[], nowMs: number, options: ApiRunOptions): Promise<string[]> {
  const loaded = await loadState(statePath, FINGERPRINT);
  if (!loaded.ok) throw new Error(loaded.message);
  const state = loaded.state ?? createState(FINGERPRINT, options.overlapMs, new Date(nowMs));
  const recent = loaded.recent;
  const windows = { ...state.windows };
  const emitted: string[] = [];
  for (const region of REGIONS) {
    const key = `123456789012/${region}`;
    const window = nextWindow(windows[key], nowMs, options.overlapMs, T0 - 60 * MIN, recent.coveredFromMs);
    let page = lookup(events, region, window.fromMs, window.toMs, nowMs);
    const fails = region === options.failRegion;
    if (fails) page = page.slice(0, Math.ceil(page.length / 2));
    for (const event of page) {
      if (options.dedupe !== false && recent.add(event.id, event.timeMs).kind === 'present') continue;
      emitted.push(event.id);
    }
    if (!fails) windows[key] = window.toMs;
  }
  const horizon = pruneHorizonMs(Object.values(windows), options.overlapMs);
  if (horizon !== null) recent.prune(horizon);
  const saved = await saveState(statePath, { ...state, overlapMs: options.overlapMs, windows, recent: recent.toJSON() }, new Date(nowMs));
  if (!saved.ok) throw new Error(saved.message);
  return emitted;
}

/** Runs every 5 minutes from T0 until well after the last delivery; returns every ID emitted, in order. */
async function cronLoop(events: readonly SimEvent[], options: (run: number) => ApiRunOptions): Promise<string[]> {
  const lastDelivery = Math.max(...events.map((e) => e.deliveredMs));
  const emitted: string[] = [];
  for (let run = 0, now = T0 + 5 * MIN; now <= lastDelivery + 10 * MIN; run++, now += 5 * MIN) {
    emitted.push(...(await apiRun(events, now, options(run))));
  }
  return emitted;
}

/** How many IDs were emitted more than once. */
function repeatedCount(ids: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return [...counts.values()].filter((n) => n > 1).length;
}

function expectExactlyOnce(all: readonly SimEvent[], emitted: readonly string[]): void {
  expect(emitted.length).toBe(all.length);
  expect(new Set(emitted)).toEqual(new Set(all.map((e) => e.id)));
}

describe('LookupEvents runs continued through --state', () => {
  test('late events within the overlap are emitted exactly once over all runs', async () => {
    const events = makeEvents(600, 14 * MIN, 1);
    const late = events.filter((e) => Math.floor((e.timeMs - T0) / (5 * MIN)) < Math.floor((e.deliveredMs - T0) / (5 * MIN)));
    expect(late.length).toBeGreaterThan(100); // the scenario really has events arriving after their window was read
    const emitted = await cronLoop(events, () => ({ overlapMs: 15 * MIN }));
    expectExactlyOnce(events, emitted);
  });

  test('a region whose lookup fails halfway catches up on the next run without repeats', async () => {
    const events = makeEvents(600, 10 * MIN, 2);
    const emitted = await cronLoop(events, (run) => ({
      overlapMs: 15 * MIN,
      ...(run % 4 === 1 ? { failRegion: 'eu-west-1' } : {}),
    }));
    expectExactlyOnce(events, emitted);
  });

  test('raising the overlap between runs neither repeats nor loses events', async () => {
    const events = makeEvents(600, 4 * MIN, 3);
    const emitted = await cronLoop(events, (run) => ({ overlapMs: run < 10 ? 5 * MIN : 20 * MIN }));
    expectExactlyOnce(events, emitted);
  });

  test('without an overlap, late events are lost (what the overlap is for)', async () => {
    const events = makeEvents(600, 14 * MIN, 4);
    const emitted = await cronLoop(events, () => ({ overlapMs: 0 }));
    expect(emitted.length).toBeLessThan(events.length);
    expect(repeatedCount(emitted)).toBe(0);
  });

  test('without the recent-ID set, the overlap repeats events (what the set is for)', async () => {
    const events = makeEvents(600, 14 * MIN, 5);
    const emitted = await cronLoop(events, () => ({ overlapMs: 15 * MIN, dedupe: false }));
    expect(repeatedCount(emitted)).toBeGreaterThan(0);
  });

  test('the state file stays bounded: the recent set holds only the overlap window', async () => {
    const events = makeEvents(2000, 5 * MIN, 6);
    await cronLoop(events, () => ({ overlapMs: 10 * MIN }));
    const loaded = await loadState(statePath, FINGERPRINT);
    if (!loaded.ok) throw new Error(loaded.message);
    const ends = Object.values(loaded.state!.windows);
    const horizon = Math.min(...ends) - 10 * MIN;
    const inWindow = events.filter((e) => e.timeMs >= horizon).length;
    expect(loaded.recent.size).toBe(inWindow);
    expect(loaded.recent.size).toBeLessThan(events.length / 4);
  });
});

describe('--input runs continued through --state', () => {
  const LOCAL = queryFingerprint({ actions: ['s3:*'], matches: [], source: 'local' });

  async function identity(path: string): Promise<FileIdentity> {
    const s = await stat(path);
    const handle = await open(path, 'r');
    const head = Buffer.alloc(2);
    await handle.read(head, 0, 2, 0);
    await handle.close();
    return { size: s.size, mtimeMs: s.mtimeMs, dev: s.dev, ino: s.ino, gzip: head[0] === 0x1f && head[1] === 0x8b };
  }

  /** One run over `paths`: plan each file, read what the plan says, emit complete NDJSON lines not seen recently. */
  async function localRun(paths: readonly string[], nowMs: number, overlapMs: number): Promise<{ emitted: string[]; warnings: string[] }> {
    const loaded = await loadState(statePath, LOCAL);
    if (!loaded.ok) throw new Error(loaded.message);
    const state = loaded.state ?? createState(LOCAL, overlapMs, new Date(nowMs));
    const recent = loaded.recent;
    const files: Record<string, FileCursor> = { ...state.files };
    const emitted: string[] = [];
    const warnings: string[] = [];
    for (const path of paths) {
      const now = await identity(path);
      const plan = planFile(files[path], now);
      const warning = rereadWarning(path, plan);
      if (warning !== null) warnings.push(warning);
      if (plan.read === 'skip') continue;
      const raw = await readFile(path);
      const start = plan.read === 'from' ? plan.offset : 0;
      const bytes = now.gzip ? gunzipSync(raw) : raw.subarray(start);
      const whole = bytes.subarray(0, now.gzip ? bytes.length : completeLinesLength(bytes));
      for (const line of whole.toString('utf8').split('\n')) {
        if (line === '') continue;
        const event = JSON.parse(line) as { eventID: string; eventTime: string };
        if (recent.add(event.eventID, Date.parse(event.eventTime)).kind !== 'present') emitted.push(event.eventID);
      }
      files[path] = cursorAfterRead(now, { ndjson: true, consumedTo: start + whole.length });
    }
    recent.prune(pruneHorizonMs([nowMs], overlapMs)!);
    const saved = await saveState(
      statePath,
      { ...state, files: keepPresentFiles(files, new Set(paths)), recent: recent.toJSON() },
      new Date(nowMs),
    );
    if (!saved.ok) throw new Error(saved.message);
    return { emitted, warnings };
  }

  function line(id: string, timeMs: number): string {
    return `${JSON.stringify({ eventID: id, eventTime: new Date(timeMs).toISOString().replace('.000', ''), eventName: 'GetObject' })}\n`;
  }

  test('appended NDJSON, half-written lines, new gzip files and a re-synced file: each event exactly once', async () => {
    const all: string[] = [];
    const next = (timeMs: number) => {
      const id = randomUUID();
      all.push(id);
      return line(id, timeMs);
    };
    const live = join(dir, 'live.ndjson');
    const emitted: string[] = [];
    const warnings: string[] = [];
    const paths = [live];
    const run = async (nowMs: number) => {
      const result = await localRun(paths, nowMs, 15 * MIN);
      emitted.push(...result.emitted);
      warnings.push(...result.warnings);
    };

    // Run 1: two whole lines and the first half of a third.
    const third = next(T0 + 3000);
    await writeFile(live, next(T0 + 1000) + next(T0 + 2000) + third.slice(0, 25));
    await run(T0 + 5 * MIN);
    expect(emitted).toHaveLength(2);

    // Run 2: the third line is finished, a fourth appended; a trail file arrives (gzip).
    await appendFile(live, third.slice(25) + next(T0 + 4 * MIN));
    const trail = join(dir, '123456789012_CloudTrail_us-east-1_20261127T0005Z_x.json.gz');
    await writeFile(trail, gzipSync(next(T0 + 4 * MIN) + next(T0 + 5 * MIN)));
    paths.push(trail);
    await run(T0 + 10 * MIN);
    expect(emitted).toHaveLength(6);

    // Run 3: nothing changed.
    await run(T0 + 15 * MIN);
    expect(emitted).toHaveLength(6);

    // Run 4: the trail file is re-synced (a new inode, same content plus one late event): read whole,
    // its known events are inside the overlap and are not repeated; a warning says older ones could be.
    const resynced = `${trail}.part`;
    await writeFile(resynced, gzipSync(gunzipSync(await readFile(trail)).toString('utf8') + next(T0 + 6 * MIN)));
    await rename(resynced, trail);
    await run(T0 + 16 * MIN);
    expect(emitted).toHaveLength(7);
    expect(warnings).toEqual([expect.stringContaining(`${trail} was replaced`)]);

    // Run 5: the live file disappears; its cursor is dropped from the state.
    await rm(live);
    paths.splice(paths.indexOf(live), 1);
    await run(T0 + 20 * MIN);
    const loaded = await loadState(statePath, LOCAL);
    if (!loaded.ok) throw new Error(loaded.message);
    expect(Object.keys(loaded.state!.files)).toEqual([trail]);

    expect([...emitted].sort()).toEqual([...all].sort());
  });
});
