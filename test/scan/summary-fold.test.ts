/**
 * `--summary` alone after the scan: pass two folds its matches into pieces of the summary where it finds
 * them (on the workers, and on this thread for the chunks it scans itself) and hands over the pieces, not
 * the matches' text. Merged in input order they give the rows of the summary over the text, byte for byte.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdentityGraph } from '../../src/identity';
import { matchRecords } from '../../src/output/match-record';
import { createSummary } from '../../src/output/summary';
import { checkedOf, compileQuery, type QuerySpec } from '../../src/query/query';
import { emptyStats } from '../../src/query/stats';
import { groupingReadsGraph, summaryOptionsFrom, summarySpecOf, type SummarySpec } from '../../src/query/summary-plan';
import { scanLocalWithIdentity } from '../../src/scan/identity-scan';
import { syntheticEvents } from '../support/synthetic-events';
import { writeShapes, type EventShapes } from '../modes/support';

const WORKER = new URL('../../dist/scan-worker.js', import.meta.url);

let dir = '';
let shapes: EventShapes;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctq-summary-fold-'));
  shapes = writeShapes(dir, syntheticEvents({ count: 6000, seed: 21, accessDeniedRate: 0.2 }));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const QUERY: QuerySpec = { actions: ['*:*'], matches: ['$.readOnly == false or $.errorCode != null'], window: { fromMs: null, toMs: null } };

interface Scanned {
  readonly rows: string;
  /** Batches handed over as text (unfolded) and as pieces. */
  readonly texts: number;
  readonly pieces: number;
}

/** `fold`: 'graph' folds against the graph on every thread; 'reference' folds without it, sessions resolved here. */
async function summaryOf(input: string, spec: SummarySpec, fold: false | 'graph' | 'reference', workerUrl: URL | null): Promise<Scanned> {
  const compiled = compileQuery(QUERY);
  if (!compiled.ok) throw new Error(compiled.message);
  const summary = createSummary(summaryOptionsFrom(spec));
  let texts = 0;
  let pieces = 0;
  await scanLocalWithIdentity({
    inputs: [input],
    query: checkedOf(compiled.query),
    enrich: false,
    stats: emptyStats(),
    workerUrl,
    workers: 2,
    parallelAfterMs: 0,
    ...(fold !== false ? { summary: spec, summaryWithoutGraph: fold === 'reference' } : {}),
    write: (matches, graph: IdentityGraph) => {
      if (matches.summary !== null) {
        expect(matches.text).toBe('');
        pieces++;
        summary.merge(matches.summary);
        return;
      }
      texts++;
      for (const record of matchRecords(matches.text)) summary.add(record.event, graph);
    },
    onBad: () => {},
    onWarning: () => {},
  });
  return { rows: JSON.stringify(summary.rows()), texts, pieces };
}

function specOf(groupBy: string | null): SummarySpec {
  const made = summarySpecOf({ groupBy, byRule: false });
  if (!made.ok) throw new Error(made.message);
  return made.spec;
}

const SPECS: [string, SummarySpec][] = [
  ['by API', specOf(null)],
  ['by account and identity type', specOf('$.recipientAccountId,$.userIdentity.type')],
  ['by session() and account', specOf('session(),$.recipientAccountId')],
];

describe.skipIf(!existsSync(fileURLToPath(WORKER)))('pass two folds --summary into pieces', () => {
  for (const [name, spec] of SPECS) {
    for (const shape of ['ndjson', 'tree'] as const) {
      it(`${name}, ${shape}: the merged pieces are the summary of the text, with and without workers`, async () => {
        const input = shapes[shape];
        const want = await summaryOf(input, spec, false, null);
        expect(want.texts).toBeGreaterThan(0);
        expect(JSON.parse(want.rows).length).toBeGreaterThan(1);
        // Sessions by reference only when the grouping does not read the graph (as the plan decides).
        const folds = groupingReadsGraph(spec) ? (['graph'] as const) : (['graph', 'reference'] as const);
        for (const fold of folds) {
          for (const workerUrl of [null, WORKER]) {
            const folded = await summaryOf(input, spec, fold, workerUrl);
            expect(folded.texts).toBe(0);
            expect(folded.pieces).toBeGreaterThan(0);
            expect(folded.rows, `${fold}, ${workerUrl === null ? 'this thread' : 'workers'}`).toBe(want.rows);
          }
        }
      });
    }
  }
});
