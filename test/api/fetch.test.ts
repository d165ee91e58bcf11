import { afterEach, describe, expect, test } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/emulator';
import { emptyStats } from '../../src/query/stats';
import { fetchLookups } from '../../src/sources/cloudtrail-api/fetch-all';
import { SILENT_PROGRESS } from '../../src/sources/cloudtrail-api/progress';
import { collect, connectionTo, emulator, errorServer, eventsOf, planOf, REGIONS, testEvents } from './support';

const events = testEvents();
const running: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.close()));
});

async function start(options: Parameters<typeof emulator>[1] = {}): Promise<RunningEmulator> {
  const e = await emulator(events, options);
  running.push(e);
  return e;
}

function idsIn(regions: readonly string[], keep: (e: (typeof events)[number]) => boolean = () => true): string[] {
  return events.filter((e) => regions.includes(e.awsRegion as string) && keep(e)).map((e) => e.eventID as string).sort();
}

describe('fetching a plan from the emulator with the real SDK client', () => {
  test('pages every lookup to its end, in every region, each event as the record CloudTrail stored', async () => {
    const emu = await start();
    const stats = emptyStats();
    const source = fetchLookups({ plan: planOf(REGIONS, null), connection: connectionTo(emu.url), stats, rate: 100 });
    const items = await collect(source.items);
    const report = await source.report;
    expect(report).toEqual({ failed: [], skipped: [], fatal: null, cancelled: false });
    const got = eventsOf(items);
    expect(got.map((e) => e.eventID as string).sort()).toEqual(idsIn(REGIONS));
    expect(emu.summary.events).toBe(events.length);
    // More than one page per region, so NextToken paging was exercised.
    const perRegion = REGIONS.map((r) => Math.ceil(idsIn([r]).length / 50));
    expect(perRegion.every((pages) => pages > 1)).toBe(true);
    expect(stats.pages).toBe(perRegion.reduce((a, b) => a + b, 0));
    expect(stats.apiCalls).toBe(stats.pages);
    const first = items[0];
    expect(first?.kind).toBe('event');
    if (first?.kind === 'event') {
      // Written out verbatim: the CloudTrailEvent string itself.
      expect(JSON.parse(first.text!)).toEqual(first.event);
      expect(first.origin).toEqual({ source: `lookup-events ${first.event.awsRegion as string}`, line: 0 });
      expect(first.event).toEqual(events.find((e) => e.eventID === first.event.eventID));
    }
  });

  test('a lookup attribute is sent and honoured', async () => {
    const emu = await start();
    const source = fetchLookups({ plan: planOf(['us-east-1'], { key: 'EventSource', value: 'iam.amazonaws.com' }), connection: connectionTo(emu.url), rate: 100 });
    const got = eventsOf(await collect(source.items));
    expect(got.length).toBeGreaterThan(0);
    expect(got.map((e) => e.eventID as string).sort()).toEqual(idsIn(['us-east-1'], (e) => e.eventSource === 'iam.amazonaws.com'));
  });

  test('an event returned by two lookups comes out once', async () => {
    const emu = await start();
    const plan = planOf(['us-east-1'], { key: 'EventSource', value: 's3.amazonaws.com' }, { key: 'EventName', value: 'GetObject' });
    const got = eventsOf(await collect(fetchLookups({ plan, connection: connectionTo(emu.url), rate: 100 }).items));
    const ids = got.map((e) => e.eventID as string);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(idsIn(['us-east-1'], (e) => e.eventSource === 's3.amazonaws.com'));
    expect(got.some((e) => e.eventName === 'GetObject')).toBe(true);
  });

  test('throttling is absorbed by retries and counted, never surfaced', async () => {
    const emu = await start({ faults: { throttleRate: 0.25 } });
    const stats = emptyStats();
    const regions = ['us-east-1', 'eu-west-1'];
    const source = fetchLookups({ plan: planOf(regions, null), connection: connectionTo(emu.url, 10), stats, rate: 100 });
    const got = eventsOf(await collect(source.items));
    const report = await source.report;
    expect(report.failed).toEqual([]);
    expect(report.fatal).toBeNull();
    expect(got.map((e) => e.eventID as string).sort()).toEqual(idsIn(regions));
    expect(stats.throttled).toBeGreaterThan(0);
    expect(stats.throttled).toBe(emu.counters.throttled);
    // Every HTTP attempt, retries included, is counted and paced.
    expect(stats.apiCalls).toBe(emu.counters.requests);
    expect(stats.apiCalls).toBe(stats.pages + stats.throttled);
  });

  test('sustained throttling is outlasted: a call keeps retrying past eight attempts within its time budget', async () => {
    // 80 % of calls throttled: a page needs eight or more attempts about one time in five, which the SDK's
    // standard strategy (eight attempts, a shared retry quota) turned into a failed region.
    const emu = await start({ faults: { throttleRate: 0.8, seed: 11 } });
    const stats = emptyStats();
    let run = 0;
    let longestRun = 0;
    const progress = {
      ...SILENT_PROGRESS,
      throttled: () => void (longestRun = Math.max(longestRun, ++run)),
      page: () => void (run = 0),
    };
    const connection = { ...connectionTo(emu.url), throttlingBaseMs: 2, throttleBudgetMs: 60_000 };
    const source = fetchLookups({ plan: planOf(['us-east-1'], null), connection, stats, rate: 1000, progress });
    const got = eventsOf(await collect(source.items));
    const report = await source.report;
    expect(report.failed).toEqual([]);
    expect(got.map((e) => e.eventID as string).sort()).toEqual(idsIn(['us-east-1']));
    expect(longestRun).toBeGreaterThanOrEqual(8);
    expect(stats.throttled).toBe(emu.counters.throttled);
  });

  test('a call still throttled when its budget runs out fails its region with a message that says so', async () => {
    const emu = await start({ faults: { throttleRate: 1 } });
    const connection = { ...connectionTo(emu.url), throttlingBaseMs: 5, throttleBudgetMs: 300 };
    const source = fetchLookups({ plan: planOf(['us-east-1'], null), connection, rate: 1000 });
    expect(eventsOf(await collect(source.items))).toEqual([]);
    const report = await source.report;
    expect(report.failed.map((f) => f.region)).toEqual(['us-east-1']);
    expect(report.failed[0]?.message).toMatch(/^LookupEvents was still throttled after \d+ attempts and \d+\.\d s of backoff, the end of ctq's retry budget for one call/);
  });

  test('a lookup whose NextToken is refused mid-scan (a restarted endpoint) is read again from its start, each event once', async () => {
    // One region, one lookup: the requests, and so the seeded restarts, come in the same order every run.
    const emu = await start({ faults: { restartRate: 0.15, seed: 4 } });
    const stats = emptyStats();
    const source = fetchLookups({ plan: planOf(['us-east-1'], null), connection: connectionTo(emu.url), stats, rate: 1000 });
    const got = eventsOf(await collect(source.items));
    const report = await source.report;
    expect(report.failed).toEqual([]);
    const ids = got.map((e) => e.eventID as string);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(idsIn(['us-east-1']));
    // Tokens were refused, and the pages before them were read again.
    expect(emu.counters.clientErrors).toBeGreaterThan(0);
    expect(stats.pages).toBeGreaterThan(Math.ceil(idsIn(['us-east-1']).length / 50));
  });

  test('an endpoint that refuses every NextToken fails the region after a bounded number of re-reads', async () => {
    const emu = await start({ faults: { restartRate: 1 } });
    const source = fetchLookups({ plan: planOf(['us-east-1'], null), connection: connectionTo(emu.url), rate: 1000 });
    const got = eventsOf(await collect(source.items));
    const report = await source.report;
    // The first page of each try is the same page: its events come out once.
    expect(got).toHaveLength(50);
    expect(report.failed.map((f) => f.region)).toEqual(['us-east-1']);
    expect(report.failed[0]?.message).toBe('InvalidNextTokenException: the endpoint refused its own NextToken 11 times; gave up re-reading the lookup from its start');
  });

  test('pacing at the documented rate keeps the emulator throttle from firing', async () => {
    const emu = await start({ rate: 2 });
    const stats = emptyStats();
    const plan = planOf(['us-east-1', 'eu-west-1'], { key: 'EventSource', value: 's3.amazonaws.com' }, { key: 'EventSource', value: 'ec2.amazonaws.com' });
    await collect(fetchLookups({ plan, connection: connectionTo(emu.url), stats }).items);
    expect(stats.pages).toBeGreaterThan(4);
    expect(stats.throttled).toBe(0);
    expect(emu.counters.throttled).toBe(0);
  });

  test('transient server errors and dropped connections are retried', async () => {
    const emu = await start({ faults: { errorRate: 0.15, dropRate: 0.1 } });
    const source = fetchLookups({ plan: planOf(['us-east-1'], null), connection: connectionTo(emu.url, 10), rate: 100 });
    const got = eventsOf(await collect(source.items));
    expect((await source.report).failed).toEqual([]);
    expect(emu.counters.injectedErrors + emu.counters.dropped).toBeGreaterThan(0);
    expect(got.map((e) => e.eventID as string).sort()).toEqual(idsIn(['us-east-1']));
  });

  test('a region that keeps failing is reported while the other regions still come out', async () => {
    const emu = await start();
    const broken = await errorServer('InternalFailure', 500, 'always failing');
    running.push(broken);
    const url = (region: string): string => (region === 'eu-west-1' ? broken.url : emu.url);
    const source = fetchLookups({ plan: planOf(['us-east-1', 'eu-west-1'], null), connection: connectionTo(url, 2), rate: 100 });
    const got = eventsOf(await collect(source.items));
    const report = await source.report;
    expect(got.map((e) => e.eventID as string).sort()).toEqual(idsIn(['us-east-1']));
    expect(report.failed.map((f) => f.region)).toEqual(['eu-west-1']);
    expect(report.failed[0]?.message).toContain('InternalFailure');
    expect(broken.requests()).toBe(2);
    expect(report.fatal).toBeNull();
  });

  test('a region that refuses the credentials is skipped with a note when others accept them', async () => {
    const emu = await start();
    const refusing = await errorServer('UnrecognizedClientException', 400, 'The security token included in the request is invalid.');
    running.push(refusing);
    const url = (region: string): string => (region === 'ap-southeast-2' ? refusing.url : emu.url);
    const source = fetchLookups({ plan: planOf(['us-east-1', 'ap-southeast-2'], null), connection: connectionTo(url), rate: 100 });
    const got = eventsOf(await collect(source.items));
    const report = await source.report;
    expect(got.length).toBe(idsIn(['us-east-1']).length);
    expect(report.fatal).toBeNull();
    expect(report.failed).toEqual([]);
    expect(report.skipped.map((s) => s.region)).toEqual(['ap-southeast-2']);
    expect(report.skipped[0]?.message).toMatch(/not enabled for this account/);
  });

  test('credentials refused in every region are one fatal credentials error', async () => {
    const refusing = await errorServer('UnrecognizedClientException', 400, 'The security token included in the request is invalid.');
    running.push(refusing);
    const source = fetchLookups({ plan: planOf(['us-east-1', 'eu-west-1'], null), connection: connectionTo(refusing.url), rate: 100 });
    await collect(source.items);
    const report = await source.report;
    expect(report.fatal).toMatch(/^AWS rejected the credentials in every region/);
    expect(report.fatal).not.toContain('\n');
    expect(report.skipped).toEqual([]);
  });

  test('credentials refused by the only region called are fatal, whatever regions the plan has no lookup in', async () => {
    // iam:* with --regions all: one lookup, in us-east-1.
    const refusing = await errorServer('UnrecognizedClientException', 400, 'The security token included in the request is invalid.');
    running.push(refusing);
    const plan = { ...planOf(['us-east-1'], { key: 'EventSource' as const, value: 'iam.amazonaws.com' }), regions: ['eu-west-1', 'us-east-1', 'us-west-2'] };
    const source = fetchLookups({ plan, connection: connectionTo(refusing.url), rate: 100 });
    await collect(source.items);
    const report = await source.report;
    expect(report.fatal).toMatch(/^AWS rejected the credentials in every region/);
    expect(report.skipped).toEqual([]);
    expect(refusing.requests()).toBe(1);
  });

  test('expired credentials stop the run with one line saying what to do', async () => {
    const expired = await errorServer('ExpiredTokenException', 400, 'The security token included in the request is expired');
    running.push(expired);
    const source = fetchLookups({ plan: planOf(['us-east-1', 'eu-west-1'], null), connection: { ...connectionTo(expired.url), profile: 'dev' }, rate: 100 });
    await collect(source.items);
    const report = await source.report;
    expect(report.fatal).toBe('AWS credentials have expired (ExpiredTokenException): run `aws sso login --profile dev` or refresh the keys of the profile or environment in use');
    expect(report.cancelled).toBe(false);
  });

  test('abort stops issuing calls and ends the stream promptly', async () => {
    const emu = await start({ rate: 2 });
    const stats = emptyStats();
    const controller = new AbortController();
    const source = fetchLookups({ plan: planOf(REGIONS, null), connection: connectionTo(emu.url), stats, signal: controller.signal });
    let seen = 0;
    for await (const item of source.items) {
      void item;
      seen += 1;
      if (seen === 1) controller.abort();
    }
    const report = await source.report;
    expect(report.cancelled).toBe(true);
    expect(seen).toBeLessThan(events.length);
    const callsAtEnd = stats.apiCalls;
    await new Promise((r) => setTimeout(r, 700));
    expect(stats.apiCalls).toBe(callsAtEnd);
    expect(emu.counters.requests).toBeLessThanOrEqual(callsAtEnd);
  });

  test('a consumer that stops early cancels the fetch', async () => {
    const emu = await start({ rate: 2 });
    const stats = emptyStats();
    const source = fetchLookups({ plan: planOf(REGIONS, null), connection: connectionTo(emu.url), stats });
    for await (const item of source.items) {
      void item;
      break;
    }
    const report = await source.report;
    expect(report.cancelled).toBe(true);
    expect(stats.pages).toBeLessThan(10);
  });
});

describe('progress while fetching', () => {
  test('the reporter hears of every attempt, throttle and page, and how each region ended', async () => {
    const emu = await start({ faults: { throttleRate: 0.2 } });
    const refusing = await errorServer('UnrecognizedClientException', 400, 'The security token included in the request is invalid.');
    running.push(refusing);
    const heard = { attempts: 0, throttled: 0, pages: 0, scanned: 0, ended: new Map<string, string>() };
    const progress = {
      attempt: () => void (heard.attempts += 1),
      throttled: () => void (heard.throttled += 1),
      page: (_region: string, n: number) => void ((heard.pages += 1), (heard.scanned += n)),
      matched: () => {},
      regionEnded: (region: string, state: string) => void heard.ended.set(region, state),
      close: () => {},
    };
    const stats = emptyStats();
    const url = (region: string): string => (region === 'ap-southeast-2' ? refusing.url : emu.url);
    const source = fetchLookups({ plan: planOf(['us-east-1', 'ap-southeast-2'], null), connection: connectionTo(url, 10), stats, progress, rate: 100 });
    const got = await collect(source.items);
    await source.report;
    expect(heard.attempts).toBe(stats.apiCalls);
    expect(heard.throttled).toBe(stats.throttled);
    expect(heard.pages).toBe(stats.pages);
    expect(heard.scanned).toBe(got.length);
    expect(Object.fromEntries(heard.ended)).toEqual({ 'us-east-1': 'done', 'ap-southeast-2': 'skipped' });
  });
});
