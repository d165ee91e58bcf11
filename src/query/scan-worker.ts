/** A scan worker: compiles the query once, then filters the chunks it is sent. */
import { parentPort, workerData } from 'node:worker_threads';
import { takeFilterFaults } from '../language';
import { scanPackedChunk } from './chunk-scan';
import { compileQuery } from './query';
import type { ChunkRequest, WorkerReply, WorkerSetup } from './scan-protocol';

const setup = workerData as WorkerSetup;
const compiled = compileQuery(setup.spec);
const port = parentPort;
if (port === null) throw new Error('scan-worker must run as a worker thread');

port.postMessage({ kind: 'ready' } satisfies WorkerReply);

port.on('message', async (request: ChunkRequest) => {
  let reply: WorkerReply;
  if (!compiled.ok) {
    reply = { kind: 'failed', seq: request.seq, message: compiled.message };
  } else {
    try {
      const result = await scanPackedChunk(request.chunk, compiled.query);
      reply = { kind: 'result', seq: request.seq, result, filterFaults: takeFilterFaults() };
    } catch (error) {
      reply = { kind: 'failed', seq: request.seq, message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    }
  }
  port.postMessage(reply);
});
