/**
 * `--input s3://…` end to end: the built ctq against s3rver (a real S3-compatible server on
 * 127.0.0.1), through a forwarding proxy that records every request and fails the GETs a test asks
 * it to. The bucket holds a trail layout of several accounts, regions and days (./seed.ts); the same
 * files on disk are the reference: ctq must give the same answers from both.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { ndjson, runCtq, type CtqResult } from '../support/run-ctq';
import { isGetObject, startFaultProxy, startS3Server, uploadTree, S3RVER_ENV, type FaultProxy, type S3Server } from './s3-server';
import pLimit from 'p-limit';
import { emptyS3Counters, s3Input, type S3InputOptions } from '../../src/sources/s3';
import { buildSeedTree, ORG, STRATUS, SYNTHETIC_ACCOUNT } from './seed';

const BUCKET = 'org-trail';
let root: string;
let server: S3Server;
let proxy: FaultProxy;
let keys: string[];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ctq-s3-seed-'));
  buildSeedTree(root);
  server = await startS3Server();
  keys = await uploadTree(server, BUCKET, root);
  proxy = await startFaultProxy(server.endpoint);
});

afterAll(async () => {
  await proxy?.close();
  await server?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

afterEach(() => {
  proxy.faults.clear();
  proxy.bucketRegion = null;
});

let runs = 0;

/** A ctq run through the proxy, whose log then holds this run's requests only (the latest run's, when several run at once). */
function ctqS3(args: readonly string[], env: Record<string, string> = {}): Promise<CtqResult> {
  proxy.seen.length = 0;
  proxy.run = `ctq-test-${++runs}`;
  return runCtq([...args, '--endpoint-url', proxy.endpoint], { env: { ...S3RVER_ENV, AWS_SDK_UA_APP_ID: proxy.run, ...env } });
}

function statsOf(result: CtqResult): Record<string, number> {
  return JSON.parse(result.stderr.trim().split('\n').at(-1)!) as Record<string, number>;
}

/** Output lines sorted: S3 and the local walk may hand over objects of different folders in a different order. */
function sortedLines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '').sort();
}

/** Keys ctq fetched, from the proxy's log (`/bucket/key` → `key`). */
function fetchedKeys(): string[] {
  return proxy.seen.filter((r) => isGetObject(r.method, r.query)).map((r) => r.path.replace(`/${BUCKET}/`, '')).sort();
}

function listings(): string[] {
  return proxy.seen.filter((r) => r.method === 'GET' && r.query.includes('list-type=2')).map((r) => /prefix=([^&]*)/.exec(r.query)?.[1] ?? '');
}

describe('s3:// inputs against s3rver', () => {
  test.skipIf(!existsSync('/usr/bin/aws'))('the AWS CLI lists the same event objects there as ctq reads; digests, Insights and other prefixes are never fetched', async () => {
    const result = await ctqS3(['*:*', '--input', `s3://${BUCKET}/`, '--stats']);
    expect(result.code).toBe(0);
    // Asynchronously: s3rver runs in this process and must go on answering.
    const cli = await promisify(execFile)('/usr/bin/aws', ['s3', 'ls', `s3://${BUCKET}/`, '--recursive', '--endpoint-url', server.endpoint], {
      env: { ...process.env, ...S3RVER_ENV },
      encoding: 'utf8',
    });
    const listed = cli.stdout
      .split('\n')
      .map((line) => line.trim().split(/\s+/).slice(3).join(' '))
      .filter((key) => key !== '' && !key.endsWith('/'));
    expect(listed.sort()).toEqual(keys);
    const trailFiles = listed.filter((key) => /\/CloudTrail\/[^/]+\/\d{4}\/\d{2}\/\d{2}\/[^/]+\.json\.gz$/.test(key)).sort();
    expect(fetchedKeys()).toEqual(trailFiles);
    expect(fetchedKeys().some((key) => /Digest|Insight|exports/.test(key))).toBe(false);
    expect(statsOf(result)).toMatchObject({ objects: trailFiles.length, getCalls: trailFiles.length, files: trailFiles.length });
    expect(statsOf(result).objectsListed).toBeGreaterThanOrEqual(trailFiles.length);
  });

  test('gives the same events as the local scan of the same files', async () => {
    const [fromS3, fromDisk] = await Promise.all([ctqS3(['*:*', '--input', `s3://${BUCKET}/AWSLogs/`]), runCtq(['*:*', '--input', join(root, 'AWSLogs')])]);
    expect(fromS3.code).toBe(0);
    expect(fromDisk.code).toBe(0);
    expect(sortedLines(fromS3.stdout).length).toBeGreaterThan(500);
    expect(sortedLines(fromS3.stdout)).toEqual(sortedLines(fromDisk.stdout));
  });

  test('a one-day, one-region, one-account window lists and fetches only the date folders it needs, and misses nothing', async () => {
    const window = ['--from', '2026-11-18T00:00:00Z', '--to', '2026-11-18T23:59:59Z'];
    const result = await ctqS3(['*:*', '--input', `s3://${BUCKET}/AWSLogs/`, ...window, '--regions', 'eu-west-1', '--accounts', SYNTHETIC_ACCOUNT, '--stats']);
    expect(result.code).toBe(0);
    // AWSLogs/ (accounts and organisations), the organisation folder (its accounts), the account's
    // region folders, then the window's date folder and the next one (the delivery margin).
    const regionFolder = `AWSLogs/${SYNTHETIC_ACCOUNT}/CloudTrail/eu-west-1/`;
    // (The organisation folder holds the real Stratus records: it exists only when the dataset does.)
    const orgFolder = existsSync(STRATUS) ? [`AWSLogs/${ORG}/`] : [];
    expect(listings()).toEqual(['AWSLogs/', ...orgFolder, `AWSLogs/${SYNTHETIC_ACCOUNT}/CloudTrail/`, `${regionFolder}2026/11/18/`, `${regionFolder}2026/11/19/`]);
    const needed = keys.filter((k) => k.startsWith(`${regionFolder}2026/11/18/`) || k.startsWith(`${regionFolder}2026/11/19/`));
    // Listed: the two date folders' files, and their two folder markers (see uploadTree).
    expect(statsOf(result)).toMatchObject({ listCalls: 4 + orgFolder.length, objects: needed.length, objectsListed: needed.length + 2 });
    expect(fetchedKeys()).toEqual(needed);
    expect(needed.length).toBeLessThan(keys.length / 10);
    // The same answer as reading every file on disk with the same window: the end margin reached
    // the file of 23:59's events, published in the next day's folder.
    const local = await runCtq(['*:*', '--input', root, ...window, '--match', '$.awsRegion == "eu-west-1"', '--match', `$.recipientAccountId == "${SYNTHETIC_ACCOUNT}"`]);
    expect(sortedLines(result.stdout)).toEqual(sortedLines(local.stdout));
    expect(ndjson(result.stdout).some((e) => String(e.eventTime) > '2026-11-18T23:00:00Z')).toBe(true);
  });

  test('thresholds merge the region folders by delivery time, as over the same files on disk: the same alerts, in the same order', async () => {
    // Counting one identity's calls across regions: S3's listings, side by side, give the local walk's order exactly.
    const args = ['*:*', '--count-by', '$.userIdentity.arn', '--distinct', '$.awsRegion', '--threshold', '3', '--window', '10m'];
    const [fromS3, fromDisk] = await Promise.all([
      ctqS3([...args, '--input', `s3://${BUCKET}/AWSLogs/${SYNTHETIC_ACCOUNT}/`]),
      runCtq([...args, '--input', join(root, 'AWSLogs', SYNTHETIC_ACCOUNT)]),
    ]);
    expect(fromS3.code).toBe(0);
    expect(ndjson(fromS3.stdout).length).toBeGreaterThan(0);
    expect(fromS3.stdout).toBe(fromDisk.stdout);
  });

  test('in delivery order the region listings, waiting side by side, list smaller pages (an org trail has hundreds)', async () => {
    const input = `s3://${BUCKET}/AWSLogs/${SYNTHETIC_ACCOUNT}/`;
    const perRegion = new Map<string, number>();
    for (const key of keys.filter((k) => k.startsWith(`AWSLogs/${SYNTHETIC_ACCOUNT}/CloudTrail/`) && k.endsWith('.json.gz'))) {
      const region = key.split('/').slice(0, 4).join('/');
      perRegion.set(region, (perRegion.get(region) ?? 0) + 1);
    }
    expect(Math.max(...perRegion.values())).toBeGreaterThan(10); // else the page sizes below could not differ
    const listCalls = async (order: 'path' | 'delivery', pageSize: number) => {
      const counters = emptyS3Counters();
      const options: S3InputOptions = {
        connection: { endpointUrl: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } },
        filters: { accounts: null, regions: null, window: { fromMs: null, toMs: null } },
        counters,
        limit: pLimit(4),
        ahead: 0,
        pageSize,
        deliveryPageSize: 10,
        onNote: () => {},
        onFailed: (name, message) => {
          throw new Error(`${name}: ${message}`);
        },
      };
      let files = 0;
      for await (const found of s3Input(input, options).discover({ incremental: false, order })) if (found.kind === 'file') files++;
      return { files, listCalls: counters.listCalls };
    };
    const [path, pagedPath, delivery] = [await listCalls('path', 1000), await listCalls('path', 10), await listCalls('delivery', 1000)];
    expect(path.files).toBe([...perRegion.values()].reduce((n, count) => n + count, 0));
    // Listings of several pages find every object (s3rver pages only with the legacy provider: vitest.config.ts).
    expect(pagedPath.files).toBe(path.files);
    expect(delivery.files).toBe(path.files);
    // Delivery order lists 10-key pages whatever the path order's size: as many calls as path order at 10.
    expect(pagedPath.listCalls).toBeGreaterThan(path.listCalls);
    expect(delivery.listCalls).toBe(pagedPath.listCalls);
  });

  test('--explain lists the folders with their objects and bytes, and fetches nothing', async () => {
    const result = await ctqS3(['*:*', '--input', `s3://${BUCKET}/AWSLogs/${SYNTHETIC_ACCOUNT}/`, '--from', '2026-11-20', '--to', '2026-11-20T12:00:00Z', '--explain']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(fetchedKeys()).toEqual([]);
    const perRegion = keys.filter((k) => k.startsWith(`AWSLogs/${SYNTHETIC_ACCOUNT}/CloudTrail/us-east-1/2026/11/20/`));
    expect(result.stderr).toContain(`s3://${BUCKET}/AWSLogs/${SYNTHETIC_ACCOUNT}/: 3 listings, ${perRegion.length * 3} objects`);
    expect(result.stderr).toContain(`  s3://${BUCKET}/AWSLogs/${SYNTHETIC_ACCOUNT}/CloudTrail/us-east-1/2026/11/20/  ${perRegion.length} objects`);
  });

  test.skipIf(!existsSync(STRATUS))('reads an organisation trail layout, one account or all, as the same files on disk', async () => {
    const account = '751203476945';
    const one = await ctqS3(['*:*', '--input', `s3://${BUCKET}/AWSLogs/${ORG}/`, '--accounts', account, '--stats']);
    expect(one.code).toBe(0);
    const events = ndjson(one.stdout);
    expect(events.length).toBeGreaterThan(0);
    expect(new Set(events.map((e) => e.recipientAccountId))).toEqual(new Set([account]));
    expect(fetchedKeys().every((k) => k.startsWith(`AWSLogs/${ORG}/${account}/CloudTrail/`))).toBe(true);
    const all = await ctqS3(['*:*', '--input', `s3://${BUCKET}/AWSLogs/${ORG}/`]);
    const local = await runCtq(['*:*', '--input', join(root, 'AWSLogs', ORG)]);
    expect(ndjson(all.stdout)).toHaveLength(310);
    expect(sortedLines(all.stdout)).toEqual(sortedLines(local.stdout));
  });

  test.skipIf(!existsSync(STRATUS))('identity queries (chainOf, --enrich, --summary) answer as over the same files on disk', async () => {
    const input = `s3://${BUCKET}/AWSLogs/${ORG}/`;
    const disk = join(root, 'AWSLogs', ORG);
    const [enrichedS3, enrichedDisk, summaryS3, summaryDisk] = await Promise.all([
      ctqS3(['*:*', '--input', input, '--enrich']),
      runCtq(['*:*', '--input', disk, '--enrich']),
      ctqS3(['*:*', '--input', input, '--summary', '--format', 'json']),
      runCtq(['*:*', '--input', disk, '--summary', '--format', 'json']),
    ]);
    expect(enrichedS3.code).toBe(0);
    expect(sortedLines(enrichedS3.stdout)).toEqual(sortedLines(enrichedDisk.stdout));
    expect(summaryS3.stdout).toBe(summaryDisk.stdout);
    const role = ndjson(enrichedDisk.stdout).find((e) => (e.userIdentity as { type?: string }).type === 'AssumedRole')!;
    const arn = (role.userIdentity as { arn: string }).arn;
    const [chainS3, chainDisk] = await Promise.all([
      ctqS3(['*:*', '--input', input, '--match', `chainOf("${arn}")`]),
      runCtq(['*:*', '--input', disk, '--match', `chainOf("${arn}")`]),
    ]);
    expect(ndjson(chainS3.stdout).length).toBeGreaterThan(0);
    expect(sortedLines(chainS3.stdout)).toEqual(sortedLines(chainDisk.stdout));
  }, 120_000); // four runs at once: on a busy shared machine they take longer than the default 30 s

  test('mixes local and s3:// inputs in one run', async () => {
    const result = await ctqS3(['*:*', '--input', 'fixtures/events.ndjson', '--input', `s3://${BUCKET}/AWSLogs/${SYNTHETIC_ACCOUNT}/CloudTrail/ap-southeast-2/`, '--stats']);
    expect(result.code).toBe(0);
    const local = await runCtq(['*:*', '--input', 'fixtures/events.ndjson', '--input', join(root, 'AWSLogs', SYNTHETIC_ACCOUNT, 'CloudTrail', 'ap-southeast-2')]);
    expect(sortedLines(result.stdout)).toEqual(sortedLines(local.stdout));
    // Distinct keys: on a busy machine the SDK may send a GET again (a kept-alive socket s3rver closed).
    // The log holds this run's requests only (`proxy.run`), so every key fetched must be of this input.
    const keys = new Set(fetchedKeys());
    expect([...keys].every((key) => key.startsWith(`AWSLogs/${SYNTHETIC_ACCOUNT}/CloudTrail/ap-southeast-2/`))).toBe(true);
    expect(statsOf(result).files).toBe(1 + keys.size);
  });

  test('a GET that fails and then succeeds is retried by the SDK: nothing is lost, nothing reported', async () => {
    const victim = keys.find((k) => k.includes(`${SYNTHETIC_ACCOUNT}/CloudTrail/us-east-1/2026/11/16/`))!;
    proxy.faults.set(victim, { kind: 'fail-first', times: 2 });
    const input = `s3://${BUCKET}/AWSLogs/${SYNTHETIC_ACCOUNT}/CloudTrail/us-east-1/`;
    const result = await ctqS3(['*:*', '--input', input, '--stats']);
    expect(result.code).toBe(0);
    expect(result.stderr.trim().split('\n')).toHaveLength(1); // the stats line only
    const stats = statsOf(result);
    expect(stats.getCalls).toBe(stats.objects! + 2);
    const local = await runCtq(['*:*', '--input', join(root, 'AWSLogs', SYNTHETIC_ACCOUNT, 'CloudTrail', 'us-east-1')]);
    expect(sortedLines(result.stdout)).toEqual(sortedLines(local.stdout));
  });

  test('a body cut off mid-way is resumed from where it stopped', async () => {
    const victim = keys.find((k) => k.includes(`${SYNTHETIC_ACCOUNT}/CloudTrail/eu-west-1/2026/11/17/`))!;
    proxy.faults.set(victim, { kind: 'cut-body', times: 1 });
    const result = await ctqS3(['*:*', '--input', `s3://${BUCKET}/AWSLogs/${SYNTHETIC_ACCOUNT}/CloudTrail/eu-west-1/2026/11/17/`, '--stats']);
    expect(result.code).toBe(0);
    const ranged = proxy.seen.filter((r) => r.path.endsWith(victim));
    expect(ranged.length).toBe(2);
    const local = await runCtq(['*:*', '--input', join(root, 'AWSLogs', SYNTHETIC_ACCOUNT, 'CloudTrail', 'eu-west-1', '2026', '11', '17')]);
    expect(sortedLines(result.stdout)).toEqual(sortedLines(local.stdout));
  });

  test('an object that always fails is reported as s3://bucket/key, counted, the others still come out, exit 1', async () => {
    const folder = `AWSLogs/${SYNTHETIC_ACCOUNT}/CloudTrail/us-east-1/2026/11/19/`;
    const victim = keys.find((k) => k.startsWith(folder))!;
    proxy.faults.set(victim, { kind: 'always-denied' });
    const result = await ctqS3(['*:*', '--input', `s3://${BUCKET}/${folder}`, '--stats']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`ctq: s3://${BUCKET}/${victim}: access denied`);
    expect(result.stderr).toContain('ctq: error: 1 S3 object could not be read');
    const others = keys.filter((k) => k.startsWith(folder) && k !== victim).map((k) => join(root, ...k.split('/')));
    const local = await runCtq(['*:*', ...others.flatMap((p) => ['--input', p])]);
    expect(sortedLines(result.stdout)).toEqual(sortedLines(local.stdout));
    expect(sortedLines(result.stdout).length).toBeGreaterThan(0);
  });

  test('damaged objects are reported as s3://bucket/key[:line] like damaged files, and every readable record still comes out', async () => {
    const result = await ctqS3(['*:*', '--input', `s3://${BUCKET}/damaged/`]);
    const local = await runCtq(['*:*', '--input', join(root, 'damaged')]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`ctq: s3://${BUCKET}/damaged/corrupt-gzip.json.gz:1: corrupt gzip data`);
    expect(result.stderr).toContain(`ctq: s3://${BUCKET}/damaged/damaged-lines.ndjson:4: damaged record`);
    const messages = (text: string, prefix: string) => text.split('\n').filter((l) => l.startsWith(`ctq: ${prefix}`)).map((l) => l.slice(`ctq: ${prefix}`.length)).sort();
    expect(messages(result.stderr, `s3://${BUCKET}/damaged/`)).toEqual(messages(local.stderr, `${join(root, 'damaged')}/`));
    expect(sortedLines(result.stdout)).toEqual(sortedLines(local.stdout));
  });

  test.each([301, 400] as const)("the bucket's own region is discovered and used, whatever --region says (%i from the wrong region)", async (wrongRegion) => {
    proxy.bucketRegion = 'eu-central-1';
    proxy.wrongRegion = wrongRegion;
    proxy.seen.length = 0;
    try {
      const result = await ctqS3(['*:*', '--input', `s3://${BUCKET}/AWSLogs/${SYNTHETIC_ACCOUNT}/CloudTrail/eu-west-1/2026/11/15/`, '--region', 'us-west-2', '--stats']);
      expect(result.code).toBe(0);
      expect(ndjson(result.stdout).length).toBeGreaterThan(0);
      // The first listing is asked in --region's region, answered with a redirect, and asked again in the bucket's.
      const [first, ...rest] = proxy.seen;
      expect(first).toMatchObject({ method: 'GET', signedFor: 'us-west-2' });
      expect(first!.query).toContain('list-type=2');
      expect(rest.length).toBeGreaterThan(1);
      expect(new Set(rest.map((r) => r.signedFor))).toEqual(new Set(['eu-central-1']));
      const stats = statsOf(result);
      expect(stats.listCalls).toBe(proxy.seen.filter((r) => r.query.includes('list-type=2')).length);
      expect(stats.getCalls).toBe(proxy.seen.filter((r) => isGetObject(r.method, r.query)).length);
      expect(proxy.seen.some((r) => r.method === 'HEAD')).toBe(false);
    } finally {
      proxy.bucketRegion = null;
      proxy.wrongRegion = 301;
    }
  });

  test('AWS_ENDPOINT_URL_S3 points ctq at the server without --endpoint-url', async () => {
    proxy.seen.length = 0;
    proxy.run = null;
    const result = await runCtq(['*:*', '--input', `s3://${BUCKET}/AWSLogs/${SYNTHETIC_ACCOUNT}/CloudTrail/eu-west-1/2026/11/15/`], {
      env: { ...S3RVER_ENV, AWS_ENDPOINT_URL_S3: proxy.endpoint },
    });
    expect(result.code).toBe(0);
    expect(ndjson(result.stdout).length).toBeGreaterThan(0);
    expect(fetchedKeys().length).toBeGreaterThan(0);
  });

  test('a bucket that does not exist is one error naming it, exit 1', async () => {
    const result = await ctqS3(['*:*', '--input', 's3://no-such-bucket/AWSLogs/']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('s3://no-such-bucket/AWSLogs/: no such bucket');
  });
});

describe('s3:// usage errors', () => {
  test('--accounts needs an s3:// input, and account IDs', async () => {
    expect((await runCtq(['*:*', '--input', 'fixtures/events.ndjson', '--accounts', '111122223333'])).code).toBe(2);
    const bad = await runCtq(['*:*', '--input', 's3://bucket/', '--accounts', '1234']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--accounts: '1234' is not a 12-digit AWS account ID");
  });

  test('a malformed bucket name is a usage error before anything is read', async () => {
    const result = await runCtq(['*:*', '--input', 's3://Bad_Bucket/x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("'Bad_Bucket' is not an S3 bucket name");
  });
});
