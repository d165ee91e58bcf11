/**
 * `--workers 1` and `--workers 4` give the same bytes (issue 9, "Behaviour unchanged"), on 5 000
 * generated events (test/support/synthetic-events.ts): a gzipped trail tree of ~300 files, 25
 * gzipped NDJSON files and 4.3 MB of plain NDJSON. A preloaded probe (worker-probe.cjs) counts the
 * workers started and the chunks handed to them.
 *
 * Starting is not scanning: the pool hands out chunks only once every worker has compiled the
 * query. On the shared project machine that took ~0.5 s after the start, and the main thread
 * finished a 5 000-event tree first, with four idle workers (a 20 000-event tree gave them 0 to 235
 * chunks from run to run). So the tests that need workers let the probe start the pool early (a
 * fast clock for ctq's "100 ms of scanning" rule) and hold each file opened until the workers are
 * ready, as a slow disk would: the workers then scan, every run (checked with this branch's reader
 * and with wip/reader's). A plain NDJSON file is opened once and streamed in 1 MB slices, so holding
 * opens cannot help there; gzipped NDJSON files carry the NDJSON parser into the workers instead.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCtq, type CtqResult } from '../support/run-ctq';
import { syntheticEvents } from '../support/synthetic-events';
import { WORKER_PROBE, writeShapes, type EventShapes } from './support';

let dir = '';
let shapes: EventShapes;
let runs = 0;

interface Counted {
  readonly started: number;
  readonly posted: number;
  /** Chunk messages sent to workers doing each task (query, identity-facts, identity-query, summary-query, one-pass). */
  readonly postedFor: Readonly<Record<string, number>>;
}

function counted(log: string): Counted {
  // No file: no worker started, so the counter wrote nothing.
  const lines = existsSync(log) ? readFileSync(log, 'utf8').split('\n') : [];
  const postedFor: Record<string, number> = {};
  for (const line of lines) if (line.startsWith('post:')) postedFor[line.slice(5)] = (postedFor[line.slice(5)] ?? 0) + 1;
  return { started: lines.filter((l) => l === 'start').length, posted: lines.filter((l) => l === 'post').length, postedFor };
}

/** Runs ctq with the worker probe; returns its result and what the probe saw. */
async function withProbe(args: readonly string[], readsWaitForWorkers: boolean): Promise<{ result: CtqResult } & Counted> {
  const log = join(dir, `workers-${runs++}.log`);
  const env = {
    NODE_OPTIONS: `--require ${WORKER_PROBE}`,
    CTQ_TEST_WORKER_LOG: log,
    CTQ_TEST_READS_WAIT_FOR_WORKERS: readsWaitForWorkers ? '1' : '0',
  };
  return { result: await runCtq(args, { env }), ...counted(log) };
}

async function compareWorkers(
  args: readonly string[],
  readsWaitForWorkers = false,
): Promise<{ one: CtqResult; many: CtqResult } & Counted> {
  const single = await withProbe([...args, '--workers', '1', '--stats'], readsWaitForWorkers);
  const many = await withProbe([...args, '--workers', '4', '--stats'], readsWaitForWorkers);
  expect(single.result.code).toBe(0);
  expect(many.result.code).toBe(0);
  expect(single.started).toBe(0);
  // Output stays in input order whatever thread scanned a chunk: the same bytes, not only the same set.
  expect(many.result.stdout).toBe(single.result.stdout);
  expect(many.result.stderr).toBe(single.result.stderr);
  return { one: single.result, many: many.result, started: many.started, posted: many.posted, postedFor: many.postedFor };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctq-modes-workers-'));
  shapes = writeShapes(dir, syntheticEvents({ count: 5000, seed: 9 }));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('--workers 1 and --workers 4 give the same output', () => {
  it('on a gzipped trail tree, with chunks really handed to the workers (file reads wait for them)', async () => {
    const { one, started, posted } = await compareWorkers(['*:*', '--input', shapes.tree, '--match', '$.readOnly == false'], true);
    expect(one.stdout).not.toBe('');
    expect(started).toBe(4);
    expect(posted).toBeGreaterThan(0);
  });

  it('on the same events as gzipped NDJSON files, with chunks really handed to the workers', async () => {
    const { one, started, posted } = await compareWorkers(['*:*', '--input', shapes.gzippedNdjson, '--match', '$.readOnly == false'], true);
    expect(one.stdout).not.toBe('');
    expect(started).toBe(4);
    expect(posted).toBeGreaterThan(0);
  });

  it('on a selective query (the literal pre-filter path)', async () => {
    const { one } = await compareWorkers(['s3:*', 'iam:*', '--input', shapes.ndjson, '--match', '$.errorCode == "AccessDenied"']);
    expect(one.stdout).not.toBe('');
  });

  it('on a two-pass identity query with --enrich', async () => {
    const { one } = await compareWorkers(['*:*', '--input', shapes.tree, '--match', '$.eventSource == "iam.amazonaws.com"', '--enrich']);
    expect(one.stdout).toContain('"_ctq":');
  });

  // Both passes of an identity query whose predicate reads the graph run on every core, on the same
  // workers (started once): pass two's task rebuilds the graph from pass one's facts, and the
  // enrichment the workers write is the main thread's, byte for byte.
  it('on a two-pass identity query, with both passes really handed to the workers', async () => {
    const { one, started, postedFor } = await compareWorkers(['*:*', '--input', shapes.tree, '--match', '$.readOnly == false and session() != null', '--enrich'], true);
    expect(one.stdout).toContain('"_ctq":');
    expect(started).toBe(4);
    expect(postedFor['identity-facts']).toBeGreaterThan(0);
    expect(postedFor['identity-query']).toBeGreaterThan(0);
  });

  // --enrich whose predicate reads no graph takes one pass (query/identity-passes.ts): the workers gather
  // the facts and hand back lines with session references; the main thread enriches them after the scan.
  it('on a one-pass --enrich, with the pass really handed to the workers', async () => {
    const { one, started, postedFor } = await compareWorkers(['*:*', '--input', shapes.tree, '--match', '$.readOnly == false', '--enrich'], true);
    expect(one.stdout).toContain('"_ctq":');
    expect(started).toBe(4);
    expect(postedFor['one-pass']).toBeGreaterThan(0);
    expect(postedFor['identity-facts']).toBeUndefined();
  });

  // --summary alone: the workers fold their matches into pieces of the summary and the main thread
  // merges them in input order, so the rows must be the single thread's, byte for byte, in every format.
  // When only the session counts read the graph, one pass does it all (one-pass): the pieces name sessions
  // by reference and the main thread resolves them after the scan; grouped by session(), pass two's
  // workers rebuild the graph (identity-query).
  it('on --summary, with its matches really folded on the workers, in NDJSON, table and JSON', async () => {
    const runs: [string[], string][] = [
      [[], 'one-pass'],
      [['--format', 'table'], 'one-pass'],
      [['--format', 'json', '--group-by', 'session(),$.awsRegion'], 'identity-query'],
    ];
    for (const [extra, task] of runs) {
      const { one, started, postedFor } = await compareWorkers(['*:*', '--input', shapes.tree, '--match', '$.readOnly == false', '--summary', ...extra], true);
      expect(one.stdout).toMatch(extra.includes('table') ? /^api +count/ : /"occurrences":/);
      expect(started).toBe(4);
      expect(postedFor[task], extra.join(' ')).toBeGreaterThan(0);
    }
  });
});
