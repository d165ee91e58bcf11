/** Messages between the local scan and its worker threads. */
import type { FilterFault } from '../language';
import type { Chunk } from '../sources/local/chunks';
import type { ChunkResult } from './chunk-scan';
import type { QuerySpec } from './query';

export interface WorkerSetup {
  readonly spec: QuerySpec;
}

export interface ChunkRequest {
  readonly seq: number;
  readonly chunk: Chunk;
}

export type WorkerReply =
  /** Sent once, after the worker has compiled the query: from then on it is worth sending chunks to. */
  | { readonly kind: 'ready' }
  /** `filterFaults`: JSONPath filters that threw in the worker while scanning the chunk (see language/path-query.ts). */
  | { readonly kind: 'result'; readonly seq: number; readonly result: ChunkResult; readonly filterFaults: readonly FilterFault[] }
  | { readonly kind: 'failed'; readonly seq: number; readonly message: string };
