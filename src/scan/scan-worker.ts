/** A scan worker: sets up its task once (compiles the query), then scans the chunks it is sent. */
import { parentPort, workerData } from 'node:worker_threads';
import { takeFilterFaults } from '../language';
import { compileQuery } from '../query/query';
import { summaryOptionsFrom } from '../query/summary-plan';
import { IdentityGraphBuilder } from '../identity';
import { identityFactsFilter, identityQueryFilter, queryFilter, scanPackedChunk, summaryByReferenceFilter, type ChunkResult, type RecordFilter } from './chunk-scan';
import type { WorkerMessage, WorkerReply, WorkerSetup } from './scan-protocol';

const setup = workerData as WorkerSetup;
/** The filter, or why the query did not compile here (every chunk is then answered with that). */
let filter = filterFor(setup);

function filterFor({ task }: WorkerSetup): RecordFilter | string {
  if (task.kind === 'identity-facts') return identityFactsFilter();
  if (task.kind === 'identity-query') {
    const builder = new IdentityGraphBuilder();
    builder.addFacts(task.facts);
    return identityQueryFilter(builder.finish(), task.spec, task.enrich, task.summary !== null ? summaryOptionsFrom(task.summary) : null);
  }
  const compiled = compileQuery(task.spec);
  if (!compiled.ok) return compiled.message;
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
      for (const chunk of request.chunks) results.push(await scanPackedChunk(chunk, current));
      reply = { kind: 'result', seq: request.seq, results, filterFaults: takeFilterFaults() };
    } catch (error) {
      reply = { kind: 'failed', seq: request.seq, message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    }
  }
  port.postMessage(reply);
});
