/**
 * Local-input benchmark: ctq against jq on the same generated data, side by side in one run.
 *   npm run bench            (all benchmarks)     node scripts/run-ts.mjs bench/local.ts [--mb 150] [--runs 3]
 * Prints events/s for both and the ratio jq-time / ctq-time (higher is better for ctq). Also: the cold
 * start of ctq against `node -e 0`, and in-process evaluation of plain paths against jsonpath-plus.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { JSONPath } from 'jsonpath-plus';
import { compileExpression } from '../src/language';
import type { JsonObject } from '../src/language/json';
import { syntheticEventStream } from '../test/support/synthetic-events';
import { median, pair, shellQuote, timeOnce } from './timing';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const targetMb = option('--mb', 150);
const runs = option('--runs', 3);
const dataDir = join('bench', 'data');
const ndjsonPath = join(dataDir, `events-${targetMb}mb.ndjson`);
const treePath = join(dataDir, `AWSLogs-${targetMb}mb`);
const ctq = `node ${shellQuote(join(process.cwd(), 'bin', 'ctq.js'))}`;

async function generate(): Promise<number> {
  mkdirSync(dataDir, { recursive: true });
  const marker = join(dataDir, `events-${targetMb}mb.count`);
  if (existsSync(marker) && existsSync(ndjsonPath) && existsSync(treePath)) return Number(readFileSync(marker, 'utf8'));
  process.stderr.write(`generating ~${targetMb} MB of events in ${dataDir} (once; reused by later runs)…\n`);
  const out = createWriteStream(ndjsonPath);
  let bytes = 0;
  let count = 0;
  let batch: JsonObject[] = [];
  let fileNo = 0;
  const flushTrail = () => {
    if (batch.length === 0) return;
    const first = batch[0]!;
    const [y, m, d] = String(first.eventTime).slice(0, 10).split('-');
    const dir = join(treePath, '111122223333', 'CloudTrail', String(first.awsRegion), y!, m!, d!);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `111122223333_CloudTrail_${first.awsRegion}_${fileNo++}.json.gz`), gzipSync(JSON.stringify({ Records: batch }), { level: 6 }));
    batch = [];
  };
  for (const event of syntheticEventStream({ count: Number.MAX_SAFE_INTEGER, seed: 7, start: new Date('2026-10-01T00:00:00Z'), end: new Date('2026-11-01T00:00:00Z') })) {
    const line = JSON.stringify(event) + '\n';
    bytes += line.length;
    count++;
    if (!out.write(line)) await new Promise<void>((r) => out.once("drain", () => r()));
    batch.push(event);
    if (batch.length === 1000) flushTrail();
    if (bytes >= targetMb * 1e6) break;
  }
  flushTrail();
  await new Promise<void>((r) => out.end(() => r()));
  writeFileSync(marker, String(count));
  return count;
}

interface Case {
  readonly name: string;
  readonly match: string;
  readonly jq: string;
}

const CASES: readonly Case[] = [
  { name: 'selective', match: '$.errorCode == "AccessDenied"', jq: 'select(.errorCode == "AccessDenied")' },
  { name: 'broad', match: '$.readOnly == false', jq: 'select(.readOnly == false)' },
  { name: 'wildcard path', match: '$.resources[*].type == "AWS::S3::Bucket"', jq: 'select(any(.resources[]?; .type == "AWS::S3::Bucket"))' },
];

function row(cells: readonly (string | number)[]): string {
  return cells.map((c, i) => String(c).padEnd(i === 0 ? 26 : 14)).join('');
}

const count = await generate();
const sizeMb = statSync(ndjsonPath).size / 1e6;
console.log(`\nLocal scan: ${count} events, ${sizeMb.toFixed(0)} MB NDJSON and the same events as a gzipped trail tree; ${runs} paired runs, medians.`);
console.log(row(['query', 'ctq ev/s', 'jq ev/s', 'ctq ÷ jq speed', 'same count']));
for (const input of ['ndjson', 'trail tree'] as const) {
  for (const c of CASES) {
    const ctqCmd =
      input === 'ndjson'
        ? `${ctq} '*:*' --input ${ndjsonPath} --match ${shellQuote(c.match)}`
        : `${ctq} '*:*' --input ${treePath} --match ${shellQuote(c.match)}`;
    const jqCmd =
      input === 'ndjson'
        ? `jq -c ${shellQuote(c.jq)} ${ndjsonPath}`
        : `find ${treePath} -name '*.json.gz' | sort | xargs gzip -dc | jq -c ${shellQuote(`.Records[] | ${c.jq}`)}`;
    const result = pair(ctqCmd, jqCmd, runs);
    const same = result.a.stdoutLines === result.b.stdoutLines ? `yes (${result.a.stdoutLines})` : `NO ${result.a.stdoutLines} vs ${result.b.stdoutLines}`;
    console.log(row([`${c.name} (${input})`, Math.round(count / (result.a.medianMs / 1000)), Math.round(count / (result.b.medianMs / 1000)), `${(1 / result.ratio).toFixed(1)}×`, same]));
  }
}

// Cold start: a query over a one-event file against the bare runtime.
const oneEvent = join(dataDir, 'one-event.ndjson');
writeFileSync(oneEvent, readFileSync(ndjsonPath, 'utf8').split('\n', 1)[0] + '\n');
const cold = pair(`${ctq} '*:*' --input ${oneEvent} --match '$.errorCode == "AccessDenied"'`, `node -e 0`, 15);
console.log(`\nCold start: ctq on a one-event file takes ${cold.ratio.toFixed(2)}× the time of 'node -e 0' (target < 3×).`);

// Compilation: plain member paths are direct property access; the same question through jsonpath-plus.
const sample = readFileSync(ndjsonPath, 'utf8').split('\n', 50_001).slice(0, 50_000).filter(Boolean).map((l) => JSON.parse(l) as JsonObject);
const compiled = compileExpression('$.userIdentity.type == "IAMUser"', new Map());
if (!compiled.ok) throw new Error('benchmark expression did not compile');
const predicate = compiled.predicate;
const timeIt = (fn: () => number) => {
  const times: number[] = [];
  let hits = 0;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    hits = fn();
    times.push(performance.now() - t);
  }
  return { ms: median(times), hits };
};
const direct = timeIt(() => sample.filter((e) => predicate(e)).length);
const viaLibrary = timeIt(() => sample.filter((e) => (JSONPath({ path: '$.userIdentity.type', json: e, wrap: true }) as unknown[]).some((v) => v === 'IAMUser')).length);
console.log(
  `\nCompiled plain path vs jsonpath-plus, ${sample.length} events in-process: ${Math.round(sample.length / (direct.ms / 1000))} vs ${Math.round(sample.length / (viaLibrary.ms / 1000))} ev/s — ${(viaLibrary.ms / direct.ms).toFixed(0)}× (same hits: ${direct.hits === viaLibrary.hits}).`,
);
void timeOnce;
