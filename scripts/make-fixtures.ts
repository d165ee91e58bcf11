/**
 * Writes the synthetic fixtures under fixtures/ (deterministic: same output every run). Run with
 *   node scripts/run-ts.mjs scripts/make-fixtures.ts
 * Tests compare against these files, so regenerate only on purpose and review the diff.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { JsonObject } from '../src/language/json';
import { syntheticEvents } from '../test/support/synthetic-events';

const root = 'fixtures';
const account = '111122223333';
const events = syntheticEvents({
  count: 240,
  seed: 20261120,
  regions: ['us-east-1', 'eu-west-1'],
  accounts: [account],
  start: new Date('2026-11-18T00:00:00Z'),
  end: new Date('2026-11-20T00:00:00Z'),
  accessDeniedRate: 0.08,
});

// A trail archive as `aws s3 sync` leaves it: one gzipped {"Records": [...]} per region and delivery.
const trailRoot = join(root, 'AWSLogs');
rmSync(trailRoot, { recursive: true, force: true });
const byFile = new Map<string, JsonObject[]>();
for (const event of events) {
  const region = String(event.awsRegion);
  const time = String(event.eventTime);
  const [date, clock] = time.split('T') as [string, string];
  const [y, m, d] = date.split('-');
  const hour = clock.slice(0, 2);
  const stamp = `${y}${m}${d}T${hour}00Z`;
  const dir = join(trailRoot, account, 'CloudTrail', region, y!, m!, d!);
  const file = join(dir, `${account}_CloudTrail_${region}_${stamp}_fixture${hour}.json.gz`);
  let list = byFile.get(file);
  if (!list) byFile.set(file, (list = []));
  list.push(event);
}
for (const [file, records] of byFile) {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, gzipSync(JSON.stringify({ Records: records })));
}
// A digest file, which holds no events and must be skipped.
const digestDir = join(trailRoot, account, 'CloudTrail-Digest', 'us-east-1', '2026', '11', '19');
mkdirSync(digestDir, { recursive: true });
writeFileSync(
  join(digestDir, `${account}_CloudTrail-Digest_us-east-1_fixture_us-east-1_20261119T000000Z.json.gz`),
  gzipSync(JSON.stringify({ awsAccountId: account, digestStartTime: '2026-11-18T23:00:00Z', digestEndTime: '2026-11-19T00:00:00Z', digestPublicKeyFingerprint: 'fixture', logFiles: [] })),
);

// The same events as NDJSON, and as `aws cloudtrail lookup-events --output json` prints them.
writeFileSync(join(root, 'events.ndjson'), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
const newestFirst = [...events].reverse().slice(0, 30);
writeFileSync(
  join(root, 'lookup-events.json'),
  JSON.stringify(
    {
      Events: newestFirst.map((e) => ({
        EventId: e.eventID,
        EventName: e.eventName,
        ReadOnly: String(e.readOnly),
        AccessKeyId: (e.userIdentity as JsonObject).accessKeyId ?? undefined,
        EventTime: e.eventTime,
        EventSource: e.eventSource,
        Username: (e.userIdentity as JsonObject).userName ?? undefined,
        Resources: [],
        CloudTrailEvent: JSON.stringify(e),
      })),
    },
    null,
    4,
  ) + '\n',
);

// Damaged inputs: each must be reported with its place, and never hide the good events around it.
const bad = join(root, 'bad');
rmSync(bad, { recursive: true, force: true });
mkdirSync(bad, { recursive: true });
const lines = events.slice(0, 10).map((e) => JSON.stringify(e));
lines[3] = lines[3]!.slice(0, 120); // a truncated line
lines[6] = '{"eventID": "not json" ,,}';
writeFileSync(join(bad, 'damaged-lines.ndjson'), lines.join('\n') + '\n');
const trail = gzipSync(JSON.stringify({ Records: events.slice(10, 20) }));
writeFileSync(join(bad, 'truncated-gzip.json.gz'), trail.subarray(0, Math.floor(trail.length / 2)));
const corrupt = Buffer.from(gzipSync(JSON.stringify({ Records: events.slice(20, 30) })));
for (let i = 40; i < 60; i++) corrupt[i] = 0xff;
writeFileSync(join(bad, 'corrupt-gzip.json.gz'), corrupt);
const truncatedDoc = JSON.stringify({ Records: events.slice(30, 35) }, null, 2);
writeFileSync(join(bad, 'truncated-trail.json'), truncatedDoc.slice(0, Math.floor(truncatedDoc.length * 0.7)));
console.log(`wrote ${events.length} events in ${byFile.size} trail files, events.ndjson, lookup-events.json and bad/`);
