/**
 * An identity query whose predicate reads no graph runs in one pass (query/identity-passes.ts): the
 * one scan gathers the graph's facts and filters, and the matches are described after it. Its output
 * must be the two-pass output, byte for byte: --summary's rows, --enrich's lines, the ambiguity
 * warnings in order, the bad records and the counts, whatever the chunk boundaries and the workers.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSummary } from '../../src/output/summary';
import type { GraphDescription } from '../../src/query/identity-passes';
import { checkedOf, compileQuery, type QuerySpec } from '../../src/query/query';
import { emptyStats } from '../../src/query/stats';
import { summaryOptionsFrom, summarySpecOf, type SummarySpec } from '../../src/query/summary-plan';
import { scanLocalWithIdentity } from '../../src/scan/identity-scan';
import { SPOOL_PREFIX } from '../../src/scan/one-pass-scan';
import { sharedDataset } from '../support/datasets';
import { REPO } from '../support/run-ctq';
import { syntheticEvents } from '../support/synthetic-events';

const WORKER = new URL('../../dist/scan-worker.js', import.meta.url);
const FIXTURES = join(REPO, 'fixtures');
const DATASETS = sharedDataset();

const MATCHES = [null, '$.readOnly == false', '$.errorCode == "AccessDenied"'];

let dir = '';
let generated = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctq-one-pass-'));
  // Synthetic events, with the cases the one pass reads apart from the rest: damaged lines (ruled out
  // by the literal or not), two records on one line, an event with its own `_ctq`, lookup-events' wrapper.
  const lines = syntheticEvents({ count: 3000, seed: 7, accessDeniedRate: 0.2 }).map((event) => JSON.stringify(event));
  const [a, b, c] = [lines[10]!, lines[11]!, lines[12]!];
  lines.splice(100, 0, `${a}${b}`, '{"eventVersion":"1.08","readOnly":false,"userIdentity":{"type":"IAMUser"', '{"eventVersion":"1.08",');
  lines.splice(200, 0, JSON.stringify({ ...(JSON.parse(c) as object), readOnly: false, _ctq: 'mine' }));
  lines.splice(300, 0, JSON.stringify({ EventId: 'x', CloudTrailEvent: c }));
  generated = join(dir, 'generated.ndjson');
  writeFileSync(generated, `${lines.join('\n')}\n`);
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Run {
  readonly output: string;
  readonly warnings: readonly string[];
  readonly bad: readonly string[];
  readonly stats: string;
}

interface Variant {
  readonly onePass: boolean;
  readonly workerUrl: URL | null;
  readonly workers?: number;
  readonly chunkBytes?: number;
  readonly spoolDir?: string;
}

async function run(input: string, match: string | null, description: GraphDescription, variant: Variant): Promise<Run> {
  const spec: QuerySpec = { actions: ['*:*'], matches: match === null ? [] : [match], window: { fromMs: null, toMs: null } };
  const compiled = compileQuery(spec);
  if (!compiled.ok) throw new Error(compiled.message);
  const stats = emptyStats();
  const summary = description.kind === 'summary' ? createSummary(summaryOptionsFrom(description.summary)) : null;
  let output = '';
  const warnings: string[] = [];
  const bad: string[] = [];
  await scanLocalWithIdentity({
    inputs: [input],
    query: checkedOf(compiled.query),
    enrich: description.kind === 'enrich',
    ...(description.kind === 'summary' ? { summary: description.summary, summaryWithoutGraph: true } : {}),
    onePass: variant.onePass ? description : null,
    stats,
    workerUrl: variant.workerUrl,
    ...(variant.workers !== undefined ? { workers: variant.workers } : {}),
    parallelAfterMs: 0,
    ...(variant.chunkBytes !== undefined ? { chunkBytes: variant.chunkBytes } : {}),
    ...(variant.spoolDir !== undefined ? { spoolDir: variant.spoolDir } : {}),
    write: (matches) => {
      if (matches.summary !== null) summary!.merge(matches.summary);
      else output += matches.bytes !== undefined ? Buffer.from(matches.bytes).toString('utf8') : matches.text;
    },
    onBad: (origin, message) => bad.push(`${origin.source}:${origin.line}: ${message}`),
    onWarning: (message) => warnings.push(message),
  });
  return { output: summary !== null ? JSON.stringify(summary.rows()) : output, warnings, bad, stats: JSON.stringify(stats) };
}

function summaryOf(groupBy: string | null): GraphDescription {
  const made = summarySpecOf({ groupBy, byRule: false });
  if (!made.ok) throw new Error(made.message);
  const summary: SummarySpec = made.spec;
  return { kind: 'summary', summary };
}

const DESCRIPTIONS: [string, GraphDescription][] = [
  ['--summary', summaryOf(null)],
  ['--summary --group-by', summaryOf('$.recipientAccountId,$.userIdentity.type')],
  ['--enrich', { kind: 'enrich' }],
];

const workersBuilt = existsSync(fileURLToPath(WORKER));

async function expectSameAsTwoPasses(input: string, variants: readonly Variant[]): Promise<void> {
  for (const [name, description] of DESCRIPTIONS) {
    for (const match of MATCHES) {
      // Compared at the same chunk size: a boundary inside a multi-line document moves what either reads.
      const wants = new Map<number | undefined, Run>();
      for (const variant of variants) {
        const want = wants.get(variant.chunkBytes) ?? (await run(input, match, description, { onePass: false, workerUrl: null, ...(variant.chunkBytes !== undefined ? { chunkBytes: variant.chunkBytes } : {}) }));
        wants.set(variant.chunkBytes, want);
        const got = await run(input, match, description, variant);
        const label = `${name} ${match ?? '(no --match)'}, ${JSON.stringify({ ...variant, workerUrl: variant.workerUrl !== null })}`;
        expect(got.output, label).toBe(want.output);
        expect(got.warnings, label).toEqual(want.warnings);
        expect(got.bad, label).toEqual(want.bad);
        expect(got.stats, label).toBe(want.stats);
      }
    }
  }
}

const ONE_PASS_VARIANTS: Variant[] = [
  { onePass: true, workerUrl: null },
  { onePass: true, workerUrl: null, chunkBytes: 4096 },
  ...(workersBuilt
    ? [
        { onePass: true, workerUrl: WORKER, workers: 1, chunkBytes: 65536 },
        { onePass: true, workerUrl: WORKER, workers: 2, chunkBytes: 16384 },
      ]
    : []),
];

describe('one pass gives the two passes\' output', () => {
  it('over fixtures/', async () => {
    await expectSameAsTwoPasses(FIXTURES, ONE_PASS_VARIANTS);
  }, 120_000);

  it('over generated events with damage, an own _ctq and a lookup-events item, chunk boundaries moved', async () => {
    const output = await run(generated, '$.readOnly == false', { kind: 'enrich' }, { onePass: true, workerUrl: null });
    expect(output.output).toContain('"_ctq":{"session"');
    expect(output.bad.length).toBeGreaterThan(0);
    await expectSameAsTwoPasses(generated, [...ONE_PASS_VARIANTS, { onePass: true, workerUrl: null, chunkBytes: 1000 }]);
  }, 120_000);

  it.skipIf(!existsSync(DATASETS))(`over ../shared/datasets${existsSync(DATASETS) ? '' : ' (skipped: absent)'}`, async () => {
    await expectSameAsTwoPasses(DATASETS, ONE_PASS_VARIANTS.filter((variant) => variant.chunkBytes !== 4096));
  }, 300_000);
});

describe('the --enrich spool', () => {
  it('is removed after the run', async () => {
    const spoolDir = mkdtempSync(join(dir, 'spool-'));
    const got = await run(generated, null, { kind: 'enrich' }, { onePass: true, workerUrl: null, spoolDir });
    expect(got.output.length).toBeGreaterThan(0);
    expect(readdirSync(spoolDir)).toEqual([]);
  });

  it('is removed when writing fails', async () => {
    const spoolDir = mkdtempSync(join(dir, 'spool-'));
    const compiled = compileQuery({ actions: ['*:*'], matches: [], window: { fromMs: null, toMs: null } });
    if (!compiled.ok) throw new Error(compiled.message);
    let spooled: string[] = [];
    const failing = scanLocalWithIdentity({
      inputs: [generated],
      query: checkedOf(compiled.query),
      enrich: true,
      onePass: { kind: 'enrich' },
      spoolDir,
      stats: emptyStats(),
      write: () => {
        spooled = readdirSync(spoolDir).filter((name) => name.startsWith(SPOOL_PREFIX));
        throw new Error('stdout closed');
      },
      onBad: () => {},
      onWarning: () => {},
    });
    await expect(failing).rejects.toThrow('stdout closed');
    expect(spooled.length).toBe(1);
    expect(readdirSync(spoolDir)).toEqual([]);
  });

  it('is removed when the run is stopped', async () => {
    const spoolDir = mkdtempSync(join(dir, 'spool-'));
    const controller = new AbortController();
    const got = await scanLocalWithIdentity({
      inputs: [generated],
      query: checkedOf((compileQuery({ actions: ['*:*'], matches: [], window: { fromMs: null, toMs: null } }) as { ok: true; query: never }).query),
      enrich: true,
      onePass: { kind: 'enrich' },
      spoolDir,
      chunkBytes: 4096,
      stats: emptyStats(),
      signal: controller.signal,
      write: () => {},
      onBad: () => controller.abort(),
      onWarning: () => {},
    });
    expect(got).toBeUndefined();
    expect(controller.signal.aborted).toBe(true);
    expect(readdirSync(spoolDir)).toEqual([]);
  });
});
