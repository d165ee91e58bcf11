/**
 * Local-input benchmark: ctq against its peers on every data shape (bench/shapes.ts), side by side in
 * one run — A and B alternate, the figure is the median of the per-pair ratios.
 *   npm run bench                                    (all benchmarks)
 *   node scripts/run-ts.mjs bench/local.ts [--mb 150] [--runs 3] [--memory]
 *
 * Printed per shape: selective and broad queries against jq (`zcat | jq` for trees); the stretch
 * target (a selective query against `grep -F LITERAL | jq`); `--summary` and `--enrich` against a
 * plain scan of the same input; and with --memory, peak RSS of a plain scan at two input sizes.
 * Also the cold start and the compiled-path micro-benchmark.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JSONPath } from 'jsonpath-plus';
import { compileExpression } from '../src/language';
import type { JsonObject } from '../src/language/json';
import { ensureShapes, type Shape } from './shapes';
import { median, pair, shellQuote, timeOnce } from './timing';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const targetMb = option('--mb', 150);
const runs = option('--runs', 3);
const ctq = shellQuote(join(process.cwd(), 'bin', 'ctq'));

interface Case {
  readonly name: string;
  readonly match: string;
  readonly jq: string;
  /** The target, as ctq's speed ÷ jq's, for [ndjson, tree]. */
  readonly target: readonly [number, number];
}

const CASES: readonly Case[] = [
  { name: 'selective', match: '$.errorCode == "AccessDenied"', jq: 'select(.errorCode == "AccessDenied")', target: [8, 4] },
  { name: 'broad', match: '$.readOnly == false', jq: 'select(.readOnly == false)', target: [3, 3] },
];

function row(cells: readonly (string | number)[]): string {
  return cells.map((c, i) => String(c).padEnd(i === 0 ? 38 : 28)).join('');
}

/** The peer reading the same events: jq over NDJSON, or every trail file inflated in order. */
function jqOver(shape: Shape, filter: string): string {
  return shape.kind === 'ndjson'
    ? `jq -c ${shellQuote(filter)} ${shape.path}`
    : `find ${shape.path} -name '*.json.gz' | sort | xargs gzip -dc | jq -c ${shellQuote(`.Records[] | ${filter}`)}`;
}

function verdict(ratio: number, target: number): string {
  return `${ratio.toFixed(1)}× (target ${target}×${ratio >= target ? ', met' : ', MISSED'})`;
}

const { shapes, missing } = await ensureShapes(targetMb);
console.log(`\nLocal scan, ${runs} paired runs per figure, medians; ctq's speed ÷ the peer's (higher is better for ctq).`);
for (const shape of shapes) console.log(`  ${shape.name.padEnd(12)} ${shape.events} events, ${(shape.bytes / 1e6).toFixed(0)} MB: ${shape.description}`);
for (const note of missing) console.log(`  not run: ${note}`);

console.log('\n' + row(['query (shape)', 'ctq ÷ jq', 'same output', 'ctq s', 'jq s']));
for (const shape of shapes.filter((s) => s.name !== 'real-small')) {
  for (const c of CASES) {
    const result = pair(`${ctq} '*:*' --input ${shape.path} --match ${shellQuote(c.match)}`, jqOver(shape, c.jq), runs);
    const same = result.a.stdoutLines === result.b.stdoutLines ? `yes (${result.a.stdoutLines})` : `NO ${result.a.stdoutLines} vs ${result.b.stdoutLines}`;
    const target = c.target[shape.kind === 'ndjson' ? 0 : 1];
    console.log(row([`${c.name} (${shape.name})`, verdict(1 / result.ratio, target), same, (result.a.medianMs / 1000).toFixed(2), (result.b.medianMs / 1000).toFixed(2)]));
  }
}

const small = shapes.find((s) => s.name === 'real-small');
if (small !== undefined) {
  const result = pair(`${ctq} '*:*' --input ${small.path}`, `find ${small.path} -name '*.json.gz' | sort | xargs gzip -dc | jq -c '.Records[]'`, Math.max(runs, 5));
  console.log(row([`every event (real-small)`, verdict(1 / result.ratio, 1), result.a.stdoutLines === result.b.stdoutLines ? `yes (${result.a.stdoutLines})` : 'NO', (result.a.medianMs / 1000).toFixed(2), (result.b.medianMs / 1000).toFixed(2)]));
}

// Stretch: the selective query near the speed at which the machine reads the bytes.
console.log('\n' + row(['stretch: selective vs grep -F | jq', 'ctq ÷ peer', 'same output']));
for (const shape of shapes.filter((s) => s.kind === 'ndjson')) {
  const result = pair(`${ctq} '*:*' --input ${shape.path} --match '$.errorCode == "AccessDenied"'`, `grep -F AccessDenied ${shape.path} | jq -c 'select(.errorCode == "AccessDenied")'`, runs);
  console.log(row([shape.name, `${(1 / result.ratio).toFixed(2)}× (target ≥ 0.5×)`, result.a.stdoutLines === result.b.stdoutLines ? 'yes' : 'NO']));
}

// Identity work must cost little more than the scan it rides on.
console.log('\n' + row(['identity mode (shape)', 'time ÷ plain scan', 'target']));
for (const shape of shapes.filter((s) => s.name !== 'real-small')) {
  const plain = `${ctq} '*:*' --input ${shape.path} --match '$.readOnly == false'`;
  for (const mode of ['--summary', '--enrich']) {
    const result = pair(`${ctq} '*:*' --input ${shape.path} --match '$.readOnly == false' ${mode}`, plain, runs);
    console.log(row([`${mode} (${shape.name})`, `${result.ratio.toFixed(2)}×`, `≤ 1.5×${result.ratio <= 1.5 ? ', met' : ', MISSED'}`]));
  }
}

if (args.includes('--memory')) {
  // Peak RSS of a plain scan must not grow with the input: the same query over one shape and over
  // the same file named four times.
  const ndjson = shapes.find((s) => s.name === 'generated')!;
  const rss = (inputs: string) => {
    const out = timeOnce(`/usr/bin/time -f '%M' ${ctq} '*:*' ${inputs} --match '$.readOnly == false' 2>&1 >/dev/null | tail -1`);
    return Number(out.stdout.trim()) / 1024;
  };
  const one = rss(`--input ${ndjson.path}`);
  const four = rss(Array.from({ length: 4 }, () => `--input ${ndjson.path}`).join(' '));
  console.log(`\nPeak RSS of a plain scan: ${one.toFixed(0)} MB over ${(ndjson.bytes / 1e6).toFixed(0)} MB, ${four.toFixed(0)} MB over ${((4 * ndjson.bytes) / 1e6).toFixed(0)} MB.`);
}

// Cold start: a query over a one-event file against the bare runtime.
const first = shapes[0]!;
const oneEvent = join('bench', 'data', 'one-event.ndjson');
writeFileSync(oneEvent, readFileSync(first.path, 'utf8').split('\n', 1)[0] + '\n');
const cold = pair(`${ctq} '*:*' --input ${oneEvent} --match '$.errorCode == "AccessDenied"'`, `node -e 0`, 15);
console.log(`\nCold start: ctq on a one-event file takes ${cold.ratio.toFixed(2)}× the time of 'node -e 0' (target < 3×).`);

// Compilation: plain member paths are direct property access; the same question through jsonpath-plus.
const sample = readFileSync(first.path, 'utf8').split('\n', 50_001).slice(0, 50_000).filter(Boolean).map((l) => JSON.parse(l) as JsonObject);
const compiled = compileExpression('$.userIdentity.type == "IAMUser"');
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
