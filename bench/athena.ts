/**
 * What ctq's Athena compilation saves, on a seeded organisation-trail layout (synthetic events in
 * objects keyed AWSLogs/o-…/<account>/CloudTrail/<region>/<yyyy/MM/dd>/, one per 6 hours): for each
 * query, the bytes Athena would scan without ctq's partition predicates (every object of the table:
 * JSON is not columnar, Athena reads whole objects) and with them (the objects of the projected
 * partitions the predicates keep), and how many objects ctq then reads (those Athena's answer names,
 * computed by running the generated SQL on DuckDB over the same layout) against the number of objects
 * in the window. Bytes are the objects' gzip sizes, as CloudTrail delivers them.
 *   node scripts/run-ts.mjs bench/athena.ts [--events 40000]
 */
import { gzipSync } from 'node:zlib';
import { compileQueryStatement, partitionDay, partitionDays, sqlTableName } from '../src/athena-sql';
import type { JsonObject } from '../src/language/json';
import { compileQuery } from '../src/query/query';
import { DuckTrailTable, type StoredEvent } from '../test/athena/duckdb-table';
import { syntheticEvents } from '../test/support/synthetic-events';

const args = process.argv.slice(2);
const at = args.indexOf('--events');
const count = at >= 0 ? Number(args[at + 1]) : 40_000;
const DAYS = 60;
const ACCOUNTS = ['111122223333', '444455556666', '777788889999'];
const REGIONS = ['us-east-1', 'eu-west-1', 'us-west-2', 'ap-southeast-2'];
const MARGIN_HOURS = 24;
const end = Date.parse('2026-11-30T00:00:00Z');
const start = end - DAYS * 86_400_000;

const events = syntheticEvents({ count, seed: 11, regions: REGIONS, accounts: ACCOUNTS, start: new Date(start), end: new Date(end) });

// Seeded layout: an event is delivered 5 to 65 minutes after it happened, into the folder of its delivery day.
const objects = new Map<string, { account: string; region: string; day: string; events: JsonObject[] }>();
events.forEach((event, i) => {
  const delivered = Date.parse(String(event.eventTime)) + (5 + ((i * 7919) % 61)) * 60_000;
  const account = String(event.recipientAccountId);
  const region = String(event.awsRegion);
  const day = partitionDay(delivered);
  const slot = Math.floor(new Date(delivered).getUTCHours() / 6);
  const key = `s3://org-trail/AWSLogs/o-bench12345/${account}/CloudTrail/${region}/${day}/${account}_CloudTrail_${region}_${day.replaceAll('/', '')}T${slot * 6}00Z.json.gz`;
  let object = objects.get(key);
  if (object === undefined) objects.set(key, (object = { account, region, day, events: [] }));
  object.events.push(event);
});
const sizes = new Map([...objects].map(([key, o]) => [key, gzipSync(JSON.stringify({ Records: o.events })).length]));
const stored: StoredEvent[] = [...objects].flatMap(([path, o]) => o.events.map((event) => ({ event, path, account: o.account, region: o.region, day: o.day })));
const table = await DuckTrailTable.create(stored);
const totalBytes = [...sizes.values()].reduce((a, b) => a + b, 0);

const someKey = String((events.find((e) => typeof (e.userIdentity as JsonObject | undefined)?.accessKeyId === 'string')!.userIdentity as JsonObject).accessKeyId);
const day = 86_400_000;
const QUERIES: { name: string; actions: string[]; matches: string[]; fromMs: number; toMs: number; regions: string[] }[] = [
  { name: 'iam:* sts:AssumeRole*, one access key, last 7 days', actions: ['iam:*', 'sts:AssumeRole*'], matches: [`$.userIdentity.accessKeyId == "${someKey}"`], fromMs: end - 7 * day, toMs: end, regions: [] },
  { name: '*:* AccessDenied, last day, eu-west-1', actions: ['*:*'], matches: ['$.errorCode == "AccessDenied"'], fromMs: end - day, toMs: end, regions: ['eu-west-1'] },
  { name: 's3:PutBucketAcl, last 30 days', actions: ['s3:PutBucketAcl'], matches: [], fromMs: end - 30 * day, toMs: end, regions: [] },
  { name: '*:* readOnly == false, last 60 days', actions: ['*:*'], matches: ['$.readOnly == false'], fromMs: start, toMs: end, regions: [] },
];

const mb = (bytes: number) => (bytes < 2 ** 20 ? `${(bytes / 1024).toFixed(0)} KB` : `${(bytes / 2 ** 20).toFixed(1)} MB`);
console.log(`layout: ${objects.size} objects, ${events.length} events, ${DAYS} days × ${ACCOUNTS.length} accounts × ${REGIONS.length} regions, ${mb(totalBytes)} gzipped`);
console.log('| query | scanned without partition predicates | with | saved | objects in window | objects ctq reads | events ctq keeps |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const q of QUERIES) {
  const window = { fromMs: q.fromMs, toMs: q.toMs };
  const compiled = compileQuery({ actions: q.actions, matches: q.matches, window });
  if (!compiled.ok) throw new Error(compiled.message);
  const sql = compileQueryStatement({
    table: sqlTableName('cloudtrail.org_trail')!,
    window,
    deliveryMarginHours: MARGIN_HOURS,
    accounts: [],
    regions: q.regions,
    actions: compiled.query.selection.actions,
    expressions: compiled.query.expressions,
  });
  const days = new Set(partitionDays(window, MARGIN_HOURS));
  const inPartitions = [...objects].filter(([, o]) => days.has(o.day) && (q.regions.length === 0 || q.regions.includes(o.region)));
  const scanned = inPartitions.reduce((sum, [key]) => sum + sizes.get(key)!, 0);
  const inRegions = (s: StoredEvent) => q.regions.length === 0 || q.regions.includes(s.region);
  const time = (s: StoredEvent) => Date.parse(String(s.event.eventTime));
  const inWindow = new Set(stored.filter((s) => inRegions(s) && window.fromMs <= time(s) && time(s) <= window.toMs).map((s) => s.path));
  const pairs = await table.select(sql);
  const named = new Set([...pairs].map((pair) => pair.slice(0, pair.lastIndexOf('|'))));
  // ctq keeps an event Athena named (object and eventID) that the whole query accepts.
  const matched = stored.filter((s) => pairs.has(`${s.path}|${String(s.event.eventID)}`) && compiled.query.test(s.event)).length;
  console.log(`| ${q.name} | ${mb(totalBytes)} | ${mb(scanned)} | ${(totalBytes / scanned).toFixed(1)}× | ${inWindow.size} | ${named.size} | ${matched} |`);
}
table.close();
