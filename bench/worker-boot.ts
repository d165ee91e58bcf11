/**
 * What starting one scan worker costs: from `new Worker` to its 'ready' message (it has loaded
 * dist/scan-worker.js and compiled the query), and the CPU the process spent meanwhile (this thread
 * only waits, so that is the worker's). Workers start one at a time, alternating with an empty
 * worker (Node's own start, the floor nothing in ctq can lower), and the medians are printed.
 *   npm run build && node scripts/run-ts.mjs bench/worker-boot.ts [--runs 9]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { checkedOf, compileQuery } from '../src/query/query';
import type { WorkerSetup } from '../src/scan/scan-protocol';
import { median } from './timing';

const at = process.argv.indexOf('--runs');
const runs = at >= 0 ? Number(process.argv[at + 1]) : 9;

const compiled = compileQuery({ actions: ['*:*'], matches: ['$.errorCode == "AccessDenied"'], window: { fromMs: null, toMs: null } });
if (!compiled.ok) throw new Error(compiled.message);
const setup: WorkerSetup = { task: { kind: 'query', query: checkedOf(compiled.query) } };

const dir = mkdtempSync(join(tmpdir(), 'ctq-worker-boot-'));
const empty = join(dir, 'empty-worker.mjs');
writeFileSync(empty, "import { parentPort } from 'node:worker_threads'; parentPort.postMessage({ kind: 'ready' });\n");

async function bootOnce(url: URL): Promise<{ readyMs: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const worker = new Worker(url, { workerData: setup });
  await new Promise<void>((ready, fail) => {
    worker.on('message', (message: { kind: string }) => message.kind === 'ready' && ready());
    worker.on('error', fail);
  });
  const readyMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  await worker.terminate();
  return { readyMs, cpuMs: (used.user + used.system) / 1000 };
}

const scanWorker: { readyMs: number; cpuMs: number }[] = [];
const floor: { readyMs: number; cpuMs: number }[] = [];
try {
  for (let i = 0; i < runs; i++) {
    scanWorker.push(await bootOnce(pathToFileURL(resolve('dist/scan-worker.js'))));
    floor.push(await bootOnce(pathToFileURL(empty)));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const line = (name: string, rows: readonly { readyMs: number; cpuMs: number }[]) =>
  `${name}: ready after ${median(rows.map((r) => r.readyMs)).toFixed(0)} ms, ${median(rows.map((r) => r.cpuMs)).toFixed(0)} ms of CPU (median of ${rows.length})`;
console.log(line('scan worker ', scanWorker));
console.log(line('empty worker', floor));
