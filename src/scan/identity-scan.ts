/**
 * The two-pass scan for queries that ask about identity (`session()`, `chainOf()`, `--enrich`,
 * `--summary`'s session counts). Pass one builds the identity graph — sessions and hops only, never
 * the events — so the answer does not depend on the order events arrive in; pass two filters. Both
 * passes read through the one local pipeline (`local-scan.ts`). Pass one runs on every core (workers
 * gather each chunk's sessions and hops as plain data; this thread merges them). Pass two applies
 * the query's literal pre-filter and runs on every core too: each worker rebuilds the graph from
 * the merged facts, sent once when it starts.
 * Stdin cannot be read twice, so it is spooled to a temporary file first.
 *
 * A query whose predicate reads no graph (it only describes the matches) takes one pass instead
 * (one-pass-scan.ts), when the plan says so (`onePass`).
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { IdentityGraphBuilder, type IdentityGraph } from '../identity';
import type { CheckedQuery } from '../query/checked-query';
import type { SummarySpec } from '../query/summary-spec';
import { emptyStats, type RunStats } from '../query/stats';
import { STDIN, type Discovery, type InputSpec, type ReadOrder, type ReadPlanner } from '../sources/local';
import type { Loss, Origin } from '../sources/source-item';
import { scanLocal, type ScannedMatches } from './local-scan';
import { scanInOnePass } from './one-pass-scan';
import { scanPoolFor, type ScanPool } from './scan-pool';
import type { GraphDescription } from '../query/identity-passes';

export interface IdentityScanOptions {
  readonly inputs: readonly InputSpec[];
  /** The order pass two reads files in (see `ReadOrder`); pass one builds a graph that does not depend on it, in path order. */
  readonly order?: ReadOrder;
  /** The query, checked (against identity functions): this thread and each worker compile it against their graph. */
  readonly query: CheckedQuery;
  readonly enrich: boolean;
  readonly stdin?: Readable;
  readonly stats: RunStats;
  /** Pass two hands over the events it parsed (see `LocalScanOptions.keepEvents`). */
  readonly keepEvents?: boolean;
  /** `--summary` as the only stage after the scan: pass two folds matches into pieces of it (see `IdentityQuery.summary`). */
  readonly summary?: SummarySpec;
  /** With `summary`: nothing but its session counts reads the graph (see `IdentityQuery.summaryWithoutGraph`). */
  readonly summaryWithoutGraph?: boolean;
  /** Pass two's matches, with the graph they were filtered against. */
  write(matches: ScannedMatches, graph: IdentityGraph): Promise<void> | void;
  onBad(origin: Origin, message: string, loss: Loss): void;
  onDiscovery?(discovery: Discovery): void;
  onWarning(message: string): void;
  /** For incremental runs: what pass two reads of each file (pass one always reads everything: chains reach back). */
  readonly planner?: ReadPlanner;
  /** Told when pass one is done (progress, warnings about the graph); matches carry the graph themselves. */
  onGraph?(graph: IdentityGraph): void;
  readonly signal?: AbortSignal;
  /** Read once, both building the graph and filtering (see query/identity-passes.ts); `summary`, `enrich` and `planner` are then unused. */
  readonly onePass?: GraphDescription | null;
  /** Where one-pass `--enrich` makes its spool's directory (default: the system's temporary directory). */
  readonly spoolDir?: string;
  /** Chunk size (default: the reader's); tests vary it to move chunk boundaries. */
  readonly chunkBytes?: number;
  /** The bundled worker script, for both passes; null (or absent) reads on this thread only. */
  readonly workerUrl?: URL | null;
  readonly workers?: number;
  /** See `LocalScanOptions.parallelAfterMs` (tests use 0), for both passes. */
  readonly parallelAfterMs?: number;
}

export async function scanLocalWithIdentity(options: IdentityScanOptions): Promise<void> {
  if (options.onePass) return scanInOnePass(options, options.onePass);
  const spool = options.inputs.includes(STDIN) ? await mkdtemp(join(tmpdir(), 'ctq-stdin-')) : null;
  try {
    const inputs = spool === null ? options.inputs : await spoolStdin(options.inputs, spool, options.stdin ?? process.stdin);
    const displayName = (source: string) => (spool !== null && source.startsWith(spool) ? STDIN : source);
    // One pool for both passes: each worker loads the bundle once, then takes pass two's task.
    const pool = scanPoolFor(options.workerUrl ?? null, options.workers, { kind: 'identity-facts' });
    try {
      await bothPasses(inputs, options, displayName, pool);
    } finally {
      await pool?.close();
    }
  } finally {
    if (spool !== null) await rm(spool, { recursive: true, force: true });
  }
}

async function bothPasses(
  inputs: readonly InputSpec[],
  options: IdentityScanOptions,
  displayName: (source: string) => string,
  pool: ScanPool | null,
): Promise<void> {
  const { signal } = options;
  // Without a pool, neither pass has workers (`workerUrl: null` below keeps scanLocal from starting its own).
  const workers = pool !== null ? { pool, ...(options.parallelAfterMs !== undefined ? { parallelAfterMs: options.parallelAfterMs } : {}) } : {};
  const builder = new IdentityGraphBuilder();
  // Pass one: every event, never a line out; damage is reported by pass two, which reads it again.
  await scanLocal({
    inputs,
    filter: { identityFacts: (facts) => builder.addFacts(facts) },
    workerUrl: null,
    ...workers,
    ...(options.chunkBytes ? { chunkBytes: options.chunkBytes } : {}),
    stats: emptyStats(),
    write: () => {},
    onBad: () => {},
    onWarning: options.onWarning,
    ...(signal ? { signal } : {}),
  });
  if (signal?.aborted) return;
  const graph = builder.finish();
  options.onGraph?.(graph);
  await scanLocal({
    inputs,
    ...(options.order !== undefined ? { order: options.order } : {}),
    filter: {
      identityQuery: {
        graph,
        facts: builder.facts(),
        query: options.query,
        enrich: options.enrich,
        ...(options.summary !== undefined ? { summary: options.summary, summaryWithoutGraph: options.summaryWithoutGraph === true } : {}),
      },
      onWarning: options.onWarning,
    },
    workerUrl: null,
    ...workers,
    ...(options.chunkBytes ? { chunkBytes: options.chunkBytes } : {}),
    stats: options.stats,
    ...(options.keepEvents ? { keepEvents: true } : {}),
    write: (matches) => options.write(matches, graph),
    onWarning: options.onWarning,
    onBad: (origin, message, loss) => options.onBad({ ...origin, source: displayName(origin.source) }, message, loss),
    ...(options.onDiscovery ? { onDiscovery: options.onDiscovery } : {}),
    ...(options.planner ? { planner: options.planner } : {}),
    ...(signal ? { signal } : {}),
  });
}

async function spoolStdin(inputs: readonly InputSpec[], dir: string, stdin: Readable): Promise<InputSpec[]> {
  const file = join(dir, 'stdin');
  await pipeline(stdin, createWriteStream(file));
  return inputs.map((input) => (input === STDIN ? file : input));
}
