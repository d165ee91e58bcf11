/** Messages between the local scan and its worker threads. */
import type { IdentityFacts } from '../identity';
import type { FilterFault } from '../language';
import type { Chunk } from '../sources/local/chunks';
import type { ChunkResult } from './chunk-scan';
import type { CheckedQuery } from '../query/checked-query';
import type { GraphDescription } from '../query/identity-passes';
import type { SummarySpec } from '../query/summary-spec';

/**
 * What a worker does with each chunk: filter it with a query, gather the identity graph's facts
 * (pass one), or filter it with an identity query (pass two). Pass two's worker rebuilds the graph
 * from every fact pass one gathered (plain data, sent once at setup; it grows with sessions and
 * hops, not events): the graph itself holds maps and closures a message cannot carry. Queries go
 * as their checked ASTs, so a worker never loads the parser (see language/runtime.ts).
 */
export type ScanTask =
  | { readonly kind: 'query'; readonly query: CheckedQuery }
  | { readonly kind: 'identity-facts' }
  /** `summary`: fold matches into pieces of this summary instead of sending them back (see chunk-scan.ts, `MatchFold`). */
  | { readonly kind: 'identity-query'; readonly query: CheckedQuery; readonly enrich: boolean; readonly facts: IdentityFacts; readonly summary: SummarySpec | null }
  /** Pass two of a `--summary` that needs no graph on the worker: sessions come back as references (chunk-scan.ts). */
  | { readonly kind: 'summary-query'; readonly query: CheckedQuery; readonly summary: SummarySpec }
  /** An identity query in one pass (query/identity-passes.ts): the plain query, the graph's facts, matches described later. */
  | { readonly kind: 'one-pass'; readonly query: CheckedQuery; readonly description: GraphDescription };

export interface WorkerSetup {
  readonly task: ScanTask;
}

/**
 * Chunks scanned in one message, answered with one result each, in order. Usually one chunk; small
 * whole gzips (trail files) go several to a message, so a tree of thousands costs a few messages.
 */
export interface ChunkRequest {
  readonly kind: 'chunks';
  readonly seq: number;
  readonly chunks: readonly Chunk[];
}

/** What a worker is sent: chunks to scan, or a new task for the chunks after (no reply; a task that does not compile fails those chunks). */
export type WorkerMessage = ChunkRequest | { readonly kind: 'task'; readonly task: ScanTask };

export type WorkerReply =
  /** Sent once, after the worker has compiled the query: from then on it is worth sending chunks to. */
  | { readonly kind: 'ready' }
  /** `filterFaults`: JSONPath filters that threw in the worker while scanning the chunk (see language/path-query.ts). */
  | { readonly kind: 'result'; readonly seq: number; readonly results: readonly ChunkResult[]; readonly filterFaults: readonly FilterFault[] }
  | { readonly kind: 'failed'; readonly seq: number; readonly message: string };
