/**
 * chainOf() against LookupEvents: API calls of ctq's targeted crawl vs a full scan of the same
 * history, on the emulator, with the same answer checked. Also the local two-pass scan's peak heap.
 *   node scripts/run-ts.mjs bench/identity.ts [--events 30000]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../src/emulator/emulator';
import type { JsonObject } from '../src/language/json';
import { syntheticEvents } from '../test/support/synthetic-events';

const args = process.argv.slice(2);
const at = args.indexOf('--events');
const count = at >= 0 ? Number(args[at + 1]) : 30_000;
const REGIONS = ['us-east-1', 'eu-west-1', 'us-west-2', 'us-east-2'];
const env = { ...process.env, AWS_ACCESS_KEY_ID: 'AKIABENCH', AWS_SECRET_ACCESS_KEY: 'x', AWS_REGION: 'us-east-1', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' };

// The role chain of fixtures/identity/assume-role-chain.ndjson, moved into the last day, inside a busy account.
const chain = readFileSync('fixtures/identity/assume-role-chain.ndjson', 'utf8').trim().split('\n').map((l) => JSON.parse(l) as JsonObject);
const shiftMs = Date.now() - 86_400_000 - Date.parse(String(chain[0]!.eventTime));
const shift = (text: string) => new Date(Date.parse(text) + shiftMs).toISOString().replace('.000Z', 'Z');
const moved = chain.map((event) => JSON.parse(JSON.stringify(event).replace(/"(eventTime|creationDate|expiration)":"([^"]+)"/g, (_m, key: string, value: string) => `"${key}":"${Number.isNaN(Date.parse(value)) ? value : shift(value)}"`)) as JsonObject);
const background = syntheticEvents({ count, seed: 3, regions: REGIONS, start: new Date(Date.now() - 5 * 86_400_000), end: new Date(Date.now() - 3_600_000) });
const emulator = await startEmulator({ data: { kind: 'events', events: [...background, ...moved] }, rate: 0, log: () => {} });
const dir = mkdtempSync(join(tmpdir(), 'ctq-bench-identity-'));

/** Asynchronous: the emulator runs in this process and must keep answering while ctq runs. */
function ctq(argv: string[]): Promise<{ stdout: string; stats: Record<string, number> }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bin/ctq', [...argv, '--stats'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`ctq failed: ${stderr}`));
      else resolve({ stdout, stats: JSON.parse(stderr.trim().split('\n').at(-1)!) as Record<string, number> });
    });
  });
}
const sortedIds = (text: string) => text.trim().split('\n').filter(Boolean).map((l) => String((JSON.parse(l) as JsonObject).eventID)).sort();

try {
  const common = ['--regions', REGIONS.join(','), '--endpoint-url', emulator.url, '--from', new Date(Date.now() - 7 * 86_400_000).toISOString()];
  const crawl = await ctq(['*:*', ...common, '--match', 'chainOf("ASIADEPLOYSESSION001")']);
  // The naive way: pull the whole history, then answer locally.
  const scan = await ctq(['*:*', ...common]);
  const all = join(dir, 'all.ndjson');
  writeFileSync(all, scan.stdout);
  const local = await ctq(['*:*', '--input', all, '--match', 'chainOf("ASIADEPLOYSESSION001")']);
  const same = JSON.stringify(sortedIds(crawl.stdout)) === JSON.stringify(sortedIds(local.stdout));
  console.log(`\nchainOf over LookupEvents, ${background.length + moved.length} events in ${REGIONS.length} regions:`);
  console.log(`  targeted crawl: ${crawl.stats.apiCalls} API calls, ${crawl.stats.matched} events`);
  console.log(`  full scan:      ${scan.stats.apiCalls} API calls (then a local two-pass answer of ${local.stats.matched} events)`);
  console.log(`  ${(scan.stats.apiCalls! / crawl.stats.apiCalls!).toFixed(1)}× fewer calls; same answer: ${same ? 'yes' : 'NO'}`);
} finally {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
}
