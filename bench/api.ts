/**
 * LookupEvents benchmark, against the emulator with CloudTrail's documented throttle on
 * (2 requests per second per account per region):
 *   node scripts/run-ts.mjs bench/api.ts [--events 8000] [--latency 40]
 * (a) sustained request rate of ctq's fetcher as a fraction of the limit summed over 4 regions;
 * (b) wall time of a 4-region, 2-service query: ctq's fetcher vs the AWS CLI paging the same
 *     lookups one region after another (`aws cloudtrail lookup-events … | jq`), as a ratio;
 * (c) API calls of a push-down query (accessKeyId == …) vs the naive EventSource scan of it.
 * Ratios are printed, never asserted. Everything runs on loopback.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../src/emulator/emulator';
import type { JsonObject } from '../src/language/json';
import { parseExpression } from '../src/language/parse';
import { planLookups, type Plan } from '../src/query/plan';
import { emptyStats, type RunStats } from '../src/query/stats';
import { parseActions } from '../src/selection';
import { fetchLookups, type FetchReport } from '../src/sources/cloudtrail-api/fetch-all';
import { syntheticEvents } from '../test/support/synthetic-events';
import { shellQuote } from './timing';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const REGIONS = ['us-east-1', 'eu-west-1', 'us-west-2', 'ap-southeast-2'];
const LIMIT = 2;
const count = option('--events', 8000);
const latencyMs = option('--latency', 40);
const window = { fromMs: Date.parse('2026-11-01T00:00:00Z'), toMs: Date.parse('2026-11-21T00:00:00Z') };
const credentials = { accessKeyId: 'AKIABENCHKEY', secretAccessKey: 'bench-secret' };

const generated: JsonObject[] = syntheticEvents({
  count,
  seed: 11,
  regions: REGIONS,
  accounts: ['111122223333'],
  start: new Date('2026-11-05T00:00:00Z'),
  end: new Date('2026-11-20T00:00:00Z'),
});
// The generator draws from a handful of identities, each behind a fifth of all events. An
// investigation looks for one session's key: every 100th event becomes a call made with it.
const SESSION_KEY = 'ASIABENCHSESSIONKEY1';
const events = generated.map((e, i) =>
  i % 100 === 0 ? { ...e, userIdentity: { ...(e.userIdentity as JsonObject), accessKeyId: SESSION_KEY } } : e,
);
const dir = mkdtempSync(join(tmpdir(), 'ctq-bench-api-'));
const dataPath = join(dir, 'events.ndjson');
writeFileSync(dataPath, events.map((e) => JSON.stringify(e)).join('\n') + '\n');

const emulator = await startEmulator({ data: { kind: 'paths', paths: [dataPath] }, port: 0, rate: LIMIT, faults: { latencyMs }, log: () => {} });
try {
  console.log(`emulator: ${emulator.summary.events} events in ${REGIONS.length} regions, limit ${LIMIT} req/s per region, ${latencyMs} ms latency`);

  // (a) Sustained rate: a full scan of 4 regions, one lookup each, so pages follow one another.
  const full = plan([], []);
  const a = await runCtq(full);
  const achieved = a.stats.apiCalls / a.seconds;
  console.log(
    `(a) sustained rate: ${achieved.toFixed(2)} req/s over ${a.seconds.toFixed(1)} s = ${(achieved / (LIMIT * REGIONS.length)).toFixed(3)} of the limit ` +
      `(target >= 0.9); throttled ${a.stats.throttled}, errors surfaced ${surfaced(a.report)}`,
  );

  // (b) 4 regions x 2 services: the ctq binary (all lookups in parallel) vs the AWS CLI one lookup after another.
  const twoServices = plan(['s3:*', 'ec2:*'], []);
  const awsEnv = {
    ...process.env,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  };
  const ctqStart = performance.now();
  const ctqOut = await run(
    `bin/ctq 's3:*' 'ec2:*' --regions ${REGIONS.join(',')} --endpoint-url ${shellQuote(emulator.url)} --from ${new Date(window.fromMs).toISOString()} --to ${new Date(window.toMs).toISOString()}`,
    awsEnv,
  );
  const b = { seconds: (performance.now() - ctqStart) / 1000, events: ctqOut.split('\n').filter((l) => l !== '').length };
  const cliStart = performance.now();
  let cliEvents = 0;
  for (const lookup of twoServices.lookups) {
    const attribute = lookup.attribute === null ? '' : ` --lookup-attributes AttributeKey=${lookup.attribute.key},AttributeValue=${lookup.attribute.value}`;
    const command =
      `/usr/bin/aws cloudtrail lookup-events --region ${lookup.region} --endpoint-url ${shellQuote(emulator.url)}${attribute}` +
      ` --start-time ${new Date(lookup.fromMs).toISOString()} --end-time ${new Date(lookup.toMs).toISOString()} --output json | jq -c '.Events[].CloudTrailEvent | fromjson'`;
    // Asynchronously: the emulator serves from this very process, so a blocking spawn would starve it.
    const stdout = await run(command, awsEnv);
    cliEvents += stdout.split('\n').filter((l) => l !== '').length;
  }
  const cliSeconds = (performance.now() - cliStart) / 1000;
  console.log(
    `(b) 4 regions x 2 services: ctq ${b.seconds.toFixed(1)} s (${b.events} events), ` +
      `aws cli + jq ${cliSeconds.toFixed(1)} s (${cliEvents} events); aws/ctq = ${(cliSeconds / b.seconds).toFixed(2)}x`,
  );

  // (c) Push-down: one session's key, looked up by AccessKeyId vs the s3 EventSource scan.
  const key = SESSION_KEY;
  const match = `$.userIdentity.accessKeyId == "${key}"`;
  const pushed = plan(['s3:*'], [match]);
  const naive = plan(['s3:*'], []);
  const c1 = await runCtq(pushed, (e) => e.eventSource === 's3.amazonaws.com' && (e.userIdentity as JsonObject | undefined)?.accessKeyId === key);
  const c2 = await runCtq(naive, (e) => e.eventSource === 's3.amazonaws.com' && (e.userIdentity as JsonObject | undefined)?.accessKeyId === key);
  console.log(
    `(c) push-down of ${match}: ${c1.stats.apiCalls} calls (${c1.matched} matches) vs EventSource scan ${c2.stats.apiCalls} calls ` +
      `(${c2.matched} matches); scan/push-down = ${(c2.stats.apiCalls / c1.stats.apiCalls).toFixed(2)}x fewer calls` +
      (c1.matched === c2.matched ? '' : '  MISMATCH: push-down lost events'),
  );
} finally {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
}

function plan(actions: string[], matches: string[]): Plan {
  const parsed = parseActions(actions);
  if (!parsed.ok) throw new Error(parsed.message);
  const exprs = matches.map((m) => {
    const r = parseExpression(m);
    if (!r.ok) throw new Error(r.error.message);
    return r.expr;
  });
  return planLookups({ selection: parsed.selection, matches: exprs, regions: REGIONS, window });
}

async function runCtq(
  thePlan: Plan,
  keep: (e: JsonObject) => boolean = () => true,
): Promise<{ stats: RunStats; seconds: number; events: number; matched: number; report: FetchReport }> {
  const stats = emptyStats();
  const start = performance.now();
  const source = fetchLookups({ plan: thePlan, connection: { endpointUrl: emulator.url, credentials }, stats });
  let seen = 0;
  let matched = 0;
  for await (const item of source.items) {
    if (item.kind !== 'event') continue;
    seen += 1;
    if (keep(item.event)) matched += 1;
  }
  const report = await source.report;
  return { stats, seconds: (performance.now() - start) / 1000, events: seen, matched, report };
}

function run(command: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-o', 'pipefail', '-c', command], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new Error(`aws cli failed (${code}): ${command}\n${Buffer.concat(err).toString('utf8')}`));
    });
  });
}

function surfaced(report: FetchReport): number {
  return report.failed.length + report.skipped.length + (report.fatal === null ? 0 : 1);
}

