/**
 * A scan worker: sets up its task once (compiles the checked query it is sent), then scans the chunks
 * it is sent. It imports nothing of the parser, the CLI or the output sinks: each worker loads and
 * compiles this bundle (test/scan/worker-bundle.test.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { takeFilterFaults } from '../language/runtime';
import { assembleQuery } from '../query/checked-query';
import { summaryOptionsFrom } from '../query/summary-spec';
import { IdentityGraphBuilder } from '../identity';
import { describingFilter, identityFactsFilter, identityQueryFilter, queryFilter, scanPackedChunk, summaryByReferenceFilter, type ChunkResult, type RecordFilter } from './chunk-scan';
import type { WorkerMessage, WorkerReply, WorkerSetup } from './scan-protocol';
import type { Chunk } from '../sources/local/chunks';

const setup = workerData as WorkerSetup;
/** The filter, or why the query did not compile here (every chunk is then answered with that). */
let filter = filterFor(setup);

function filterFor({ task }: WorkerSetup): RecordFilter | string {
  if (task.kind === 'identity-facts') return identityFactsFilter();
  if (task.kind === 'identity-query') {
    const builder = new IdentityGraphBuilder();
    builder.addFacts(task.facts);
    return identityQueryFilter(builder.finish(), task.query, task.enrich, task.summary !== null ? summaryOptionsFrom(task.summary) : null);
  }
  // Checked on the calling thread already: compiled here without the parser.
  const compiled = assembleQuery(task.query, new Map());
  if (!compiled.ok) return compiled.message;
  if (task.kind === 'one-pass') return describingFilter(compiled.query, task.description);
  return task.kind === 'summary-query' ? summaryByReferenceFilter(compiled.query, summaryOptionsFrom(task.summary)) : queryFilter(compiled.query);
}
const port = parentPort;
if (port === null) throw new Error('scan-worker must run as a worker thread');

port.postMessage({ kind: 'ready' } satisfies WorkerReply);

port.on('message', async (message: WorkerMessage) => {
  if (message.kind === 'task') {
    filter = filterFor({ task: message.task });
    return;
  }
  const request = message;
  // The task the chunks were sent under, whatever message arrives while they inflate.
  const current = filter;
  let reply: WorkerReply;
  if (typeof current === 'string') {
    reply = { kind: 'failed', seq: request.seq, message: current };
  } else {
    try {
      const results: ChunkResult[] = [];
      for (const chunk of request.chunks) results.push(await scanPackedChunk(inOwnMemory(chunk), current));
      reply = { kind: 'result', seq: request.seq, results, filterFaults: takeFilterFaults() };
    } catch (error) {
      reply = { kind: 'failed', seq: request.seq, message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    }
  }
  port.postMessage(reply);
});

/** Memory of this worker's own that chunks in shared memory are copied into, one at a time. */
let scratch = Buffer.alloc(0);

/**
 * A chunk in shared memory (the reader's buffer, sent as it lies), copied into `scratch` first: V8
 * reads shared memory several times slower in the splitter's byte loops (40 MB of NDJSON: 440 ms
 * in place, 165 ms copied first, 150 ms in memory of its own). Chunks are scanned one after
 * another, each before the next message is taken (only a gzip awaits, and it is never shared). A
 * shared chunk lies within one read (1 MiB at most), so the scratch buffer stays that small.
 */
function inOwnMemory(chunk: Chunk): Chunk {
  if (chunk.format !== 'text' || !(chunk.bytes.buffer instanceof SharedArrayBuffer)) return chunk;
  const length = chunk.bytes.byteLength;
  if (scratch.length < length) scratch = Buffer.allocUnsafeSlow(Math.max(length, 2 * scratch.length));
  scratch.set(chunk.bytes);
  return { ...chunk, bytes: scratch.subarray(0, length) };
}
