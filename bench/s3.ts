/**
 * S3 benchmark: a one-day, one-region query over a trail bucket of ≥ 30 days × 4 regions, served by
 * s3rver on loopback (in a process of its own, so the timed commands never wait on this one):
 *   node scripts/run-ts.mjs bench/s3.ts [--days 30] [--files-per-day 8] [--runs 3]
 * (a) objects listed and fetched by ctq against the whole bucket (pruning by the key layout);
 * (b) wall time of ctq reading the bucket in place against the peer: `aws s3 sync` of the day's
 *     folder to disk followed by a local ctq run over it, run alternately, medians of paired runs.
 * Ratios are printed, never asserted.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { syntheticEvents } from '../test/support/synthetic-events';
import { pair, shellQuote, timeOnce } from './timing';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const DAYS = option('--days', 30);
const FILES_PER_DAY = option('--files-per-day', 24);
const RUNS = option('--runs', 3);
const EVENTS_PER_FILE = 40;
const REGIONS = ['us-east-1', 'eu-west-1', 'us-west-2', 'ap-southeast-2'];
const ACCOUNT = '111122223333';
const BUCKET = 'bench-trail';
const FIRST_DAY = Date.parse('2026-10-01T00:00:00Z');
const QUERY_DAY = FIRST_DAY + 14 * 86_400_000;
// The launcher users run (bin/ctq: the startup snapshot when the build wrote one for this node).
const CTQ = resolve('bin/ctq');

Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });

/** s3rver in a child process; resolves with its endpoint once it listens. */
function startS3rver(directory: string): Promise<{ endpoint: string; stop(): void }> {
  const script = `
    const S3rver = require('s3rver');
    new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: ${JSON.stringify(directory)} })
      .run().then((a) => console.log('http://127.0.0.1:' + a.port));`;
  const child = spawn(process.execPath, ['-e', script], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolvePromise, reject) => {
    child.stdout.once('data', (b: Buffer) => resolvePromise({ endpoint: b.toString().trim(), stop: () => child.kill() }));
    child.once('exit', (code) => reject(new Error(`s3rver exited (${code})`)));
  });
}

function dayFolder(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replace(/-/g, '/');
}

async function seed(client: S3Client): Promise<number> {
  await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const limit = pLimit(16);
  const puts: Promise<unknown>[] = [];
  const folders = new Set<string>();
  let seedNo = 1;
  for (const region of REGIONS) {
    for (let day = 0; day < DAYS; day++) {
      for (let part = 0; part < FILES_PER_DAY; part++) {
        const span = 86_400_000 / FILES_PER_DAY;
        const start = FIRST_DAY + day * 86_400_000 + part * span;
        const events = syntheticEvents({ count: EVENTS_PER_FILE, seed: seedNo++, regions: [region], accounts: [ACCOUNT], start: new Date(start), end: new Date(start + span - 60_000) });
        const published = start + span - 60_000 + 5 * 60_000;
        const stamp = new Date(published).toISOString().replace(/[-:]/g, '').slice(0, 13) + 'Z';
        const key = `AWSLogs/${ACCOUNT}/CloudTrail/${region}/${dayFolder(published)}/${ACCOUNT}_CloudTrail_${region}_${stamp}_b${seedNo}.json.gz`;
        const parts = key.split('/');
        for (let depth = 1; depth < parts.length; depth++) folders.add(parts.slice(0, depth).join('/') + '/');
        const body = gzipSync(JSON.stringify({ Records: events }));
        puts.push(limit(() => client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }))));
      }
    }
  }
  const objects = puts.length;
  // s3rver reports a folder in a delimiter listing only if it holds an object directly: folder
  // markers, as the S3 console makes them (see test/s3/s3-server.ts).
  for (const folder of folders) puts.push(limit(() => client.send(new PutObjectCommand({ Bucket: BUCKET, Key: folder, Body: Buffer.alloc(0) }))));
  await Promise.all(puts);
  return objects;
}

const work = mkdtempSync(join(tmpdir(), 'ctq-bench-s3-'));
const server = await startS3rver(join(work, 's3rver'));
try {
  const client = new S3Client({ endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true });
  const started = Date.now();
  const total = await seed(client);
  client.destroy();
  console.log(`bucket: ${total} trail files, ${DAYS} days × ${REGIONS.length} regions × ${FILES_PER_DAY} files (seeded in ${((Date.now() - started) / 1000).toFixed(1)} s)`);

  // One day in one region; --to stops before 22:00 so that the delivery margin stays in the same day's folder.
  const day = new Date(QUERY_DAY).toISOString().slice(0, 10);
  const window = `--from ${day}T00:00:00Z --to ${day}T21:59:59Z`;
  const query = `'*:*' ${window} --match '$.errorCode == "AccessDenied"'`;
  const local = join(work, 'synced');
  const dayPrefix = `s3://${BUCKET}/AWSLogs/${ACCOUNT}/CloudTrail/eu-west-1/${dayFolder(QUERY_DAY)}/`;
  const inPlace = `${shellQuote(CTQ)} ${query} --input s3://${BUCKET}/AWSLogs/ --regions eu-west-1 --endpoint-url ${server.endpoint}`;
  const syncThenLocal =
    `rm -rf ${shellQuote(local)} && /usr/bin/aws s3 sync ${dayPrefix} ${shellQuote(local)} --endpoint-url ${server.endpoint} --only-show-errors --exclude '*/' ` +
    `&& ${shellQuote(CTQ)} ${query} --input ${shellQuote(local)}`;

  const stats = JSON.parse(timeOnce(`${inPlace} --stats 2>&1 >/dev/null | tail -1`).stdout) as Record<string, number>;
  const perDayRegion = FILES_PER_DAY;
  console.log(
    `(a) one day, one region: ctq listed ${stats.objectsListed} and fetched ${stats.objects} of ${total} objects ` +
      `(${stats.listCalls} ListObjectsV2 calls, ${stats.getCalls} GETs; the day's folder holds ${perDayRegion})`,
  );
  const same = timeOnce(inPlace).stdout === timeOnce(syncThenLocal).stdout;
  const timed = pair(inPlace, syncThenLocal, RUNS);
  // Speed-ups per pair (B's time ÷ A's): the spread says as much as the median on a shared machine.
  const speedups = timed.ratios.map((r) => 1 / r).sort((x, y) => x - y);
  const spread = `min ${speedups[0]!.toFixed(2)}×, max ${speedups[speedups.length - 1]!.toFixed(2)}×`;
  console.log(
    `(b) ctq in place ${timed.a.medianMs.toFixed(0)} ms vs aws s3 sync + local ctq ${timed.b.medianMs.toFixed(0)} ms: ` +
      `ctq ${(1 / timed.ratio).toFixed(2)}× faster (median of ${RUNS} paired runs, ${spread}; same output: ${same ? 'yes' : 'NO'}, ${timed.a.stdoutLines} events; load average ${loadavg().map((l) => l.toFixed(2)).join(', ')})`,
  );
} finally {
  server.stop();
  rmSync(work, { recursive: true, force: true });
}
