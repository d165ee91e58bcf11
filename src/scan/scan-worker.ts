/** A scan worker: compiles the query once, then filters the chunks it is sent. */
import { parentPort, workerData } from 'node:worker_threads';
import { compileQuery } from '../query/query';
import { queryFilter, scanPackedChunk } from './chunk-scan';
import type { ChunkRequest, WorkerReply, WorkerSetup } from './scan-protocol';

const setup = workerData as WorkerSetup;
const compiled = compileQuery(setup.spec);
/** The filter, or why the query did not compile here (every chunk is then answered with that). */
const filter = compiled.ok ? queryFilter(compiled.query) : compiled.message;
const port = parentPort;
if (port === null) throw new Error('scan-worker must run as a worker thread');

port.postMessage({ kind: 'ready' } satisfies WorkerReply);

port.on('message', async (request: ChunkRequest) => {
  let reply: WorkerReply;
  if (typeof filter === 'string') {
    reply = { kind: 'failed', seq: request.seq, message: filter };
  } else {
    try {
      reply = { kind: 'result', seq: request.seq, result: await scanPackedChunk(request.chunk, filter) };
    } catch (error) {
      reply = { kind: 'failed', seq: request.seq, message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    }
  }
  port.postMessage(reply);
});
