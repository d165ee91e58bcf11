/**
 * `--state` with s3:// inputs, as a cron job runs it: each run reads only the objects that appeared
 * since the last one — new days, late files in an old day's folder, a new region — and repeats none.
 * Date folders are placed around the real clock, since s3rver stamps LastModified with it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { syntheticEvents } from '../support/synthetic-events';
import { ndjson, runCtq, type CtqResult } from '../support/run-ctq';
import { startFaultProxy, startS3Server, putWithFolders, S3RVER_ENV, type FaultProxy, type S3Server } from './s3-server';
import { dayPath, trailFileName } from './seed';

const BUCKET = 'cron-trail';
const ACCOUNT = '444455556666';
let server: S3Server;
let proxy: FaultProxy;
let dir: string;
let seed = 100;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ctq-s3-state-'));
  server = await startS3Server();
  proxy = await startFaultProxy(server.endpoint);
  await server.client.send(new (await import('@aws-sdk/client-s3')).CreateBucketCommand({ Bucket: BUCKET }));
});

afterAll(async () => {
  await proxy?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Puts a trail file of 5 events into the region's folder of the day `publishedMs` falls on; returns its eventIDs. */
async function deliver(region: string, publishedMs: number): Promise<string[]> {
  const events = syntheticEvents({ count: 5, seed: seed++, regions: [region], accounts: [ACCOUNT], start: new Date(publishedMs - 600_000), end: new Date(publishedMs - 300_000) });
  const key = `AWSLogs/${ACCOUNT}/CloudTrail/${region}/${dayPath(publishedMs)}/${trailFileName(ACCOUNT, region, publishedMs, `u${seed}`)}`;
  await putWithFolders(server, BUCKET, key, gzipSync(JSON.stringify({ Records: events })));
  return events.map((e) => String(e.eventID));
}

function cron(state: string): Promise<CtqResult> {
  return runCtq(['*:*', '--input', `s3://${BUCKET}/`, '--state', state, '--stats', '--endpoint-url', proxy.endpoint], { env: S3RVER_ENV });
}

function ids(result: CtqResult): string[] {
  return ndjson(result.stdout).map((e) => String(e.eventID)).sort();
}

function stats(result: CtqResult): Record<string, number> {
  return JSON.parse(result.stderr.trim().split('\n').at(-1)!) as Record<string, number>;
}

describe('--state with s3:// inputs', () => {
  test('each run reads the new objects only: new days, late files in an old day, a new region; none twice, none lost', async () => {
    const state = join(dir, 'cron.state');
    const now = Date.now();
    const yesterday = now - 24 * 3_600_000;
    const first = [...(await deliver('eu-west-1', yesterday)), ...(await deliver('eu-west-1', yesterday + 60_000)), ...(await deliver('eu-west-1', now - 120_000))];

    const run1 = await cron(state);
    expect(run1.code).toBe(0);

    expect(ids(run1)).toEqual(first.sort());
    expect(JSON.parse(readFileSync(state, 'utf8')).s3).toBeDefined();

    // A late file into yesterday's folder (published before midnight, uploaded now), one for today,
    // and a region that had no folder at the last run.
    const late = await deliver('eu-west-1', yesterday + 120_000);
    const today = await deliver('eu-west-1', now);
    const newRegion = await deliver('ap-southeast-2', yesterday);
    const run2 = await cron(state);
    expect(run2.code).toBe(0);
    expect(ids(run2)).toEqual([...late, ...today, ...newRegion].sort());
    expect(stats(run2)).toMatchObject({ objects: 3, getCalls: 3 });

    const run3 = await cron(state);
    expect(run3.code).toBe(0);
    expect(ids(run3)).toEqual([]);
    expect(stats(run3)).toMatchObject({ objects: 0, getCalls: 0 });
  });

  test('an object that failed is read by the next run, and only it', async () => {
    const state = join(dir, 'retry.state');
    const now = Date.now();
    await cron(state); // everything there so far
    const good = await deliver('us-east-1', now);
    const bad = await deliver('us-east-1', now + 1000);
    proxy.faults.set(`u${seed}.json.gz`, { kind: 'always-denied' });
    const failing = await cron(state);
    expect(failing.code).toBe(1);
    expect(ids(failing)).toEqual(good.sort());
    proxy.faults.clear();
    const next = await cron(state);
    expect(next.code).toBe(0);
    expect(ids(next)).toEqual(bad.sort());
  });
});
