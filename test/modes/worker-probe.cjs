// Preloaded into ctq (NODE_OPTIONS=--require, which Node also runs in worker threads) by
// test/modes/workers.test.ts, logging to $CTQ_TEST_WORKER_LOG:
// - "start" for every worker thread the main thread starts and "post" for every message it sends
//   one, so a test can tell that a scan really handed chunks to workers; each followed by
//   "start:KIND" / "post:KIND", KIND the worker's task (workerData.task.kind: query, identity-facts,
//   identity-query, summary-query), so a test can tell which pass of an identity query ran there; a message that
//   gives a running worker a new task is logged "task:KIND", not as a post;
// - with CTQ_TEST_READS_WAIT_FOR_WORKERS=1, "ready" when a worker reports it has compiled the query,
//   and ctq's main thread is made to wait for that before it opens another file, as if the disk were
//   slow: ctq hands chunks to its pool only once every worker is ready, and without the wait the race
//   between that and the main thread finishing decides whether workers scan anything. A fast clock
//   also starts the pool early (ctq starts it once its main-thread scanning, timed with
//   process.cpuUsage, projects enough work left: see src/scan/worker-payoff.ts), whatever a chunk costs.
// The main thread waits synchronously (Atomics.wait) in fs.createReadStream, fs.readFileSync (small
// files are read whole) and fs/promises open and readFile, every way ctq opens a file today; workers write "ready" themselves, so the wait needs no
// turn of the main thread's event loop. Builtins are patched, then their ESM exports re-synced
// (module.syncBuiltinESMExports), since the bundled ESM ctq imports them by name.
const threads = require('node:worker_threads');
const log = process.env.CTQ_TEST_WORKER_LOG;
const holdReads = process.env.CTQ_TEST_READS_WAIT_FOR_WORKERS === '1';
const fs = require('node:fs');

if (log && !threads.isMainThread && holdReads && threads.parentPort) {
  const port = threads.parentPort;
  const post = port.postMessage.bind(port);
  port.postMessage = (message, transfer) => {
    if (message && message.kind === 'ready') fs.appendFileSync(log, 'ready\n');
    return post(message, transfer);
  };
}

if (log && threads.isMainThread) {
  let started = 0;
  const Original = threads.Worker;
  threads.Worker = class ProbedWorker extends Original {
    constructor(...args) {
      super(...args);
      started++;
      this.probedKind = args[1]?.workerData?.task?.kind ?? 'unknown';
      fs.appendFileSync(log, `start\nstart:${this.probedKind}\n`);
    }
    postMessage(...args) {
      const message = args[0];
      if (message && message.kind === 'task') {
        this.probedKind = message.task.kind;
        fs.appendFileSync(log, `task:${this.probedKind}\n`);
        return super.postMessage(...args);
      }
      fs.appendFileSync(log, `post\npost:${this.probedKind}\n`);
      return super.postMessage(...args);
    }
  };
  if (holdReads) {
    const now = performance.now.bind(performance);
    performance.now = () => now() * 50;
    // ctq times its own scanning in CPU time (the fast clock, again): the pool then starts at once.
    const cpuUsage = process.cpuUsage.bind(process);
    process.cpuUsage = (previous) => {
      const used = cpuUsage(previous);
      return { user: used.user * 50, system: used.system * 50 };
    };
    const sleeper = new Int32Array(new SharedArrayBuffer(4));
    const readyCount = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter((l) => l === 'ready').length : 0);
    const waitForWorkers = () => {
      const deadline = Date.now() + 20_000;
      while (started > 0 && readyCount() < started && Date.now() < deadline) Atomics.wait(sleeper, 0, 0, 5);
    };
    const createReadStream = fs.createReadStream;
    fs.createReadStream = (...args) => {
      waitForWorkers();
      return createReadStream(...args);
    };
    const readFileSync = fs.readFileSync;
    fs.readFileSync = (...args) => {
      // The probe's own reads of its log must not wait for what they are counting.
      if (args[0] !== log) waitForWorkers();
      return readFileSync(...args);
    };
    const promises = require('node:fs/promises');
    for (const name of ['readFile', 'open']) {
      const original = promises[name];
      promises[name] = (...args) => {
        waitForWorkers();
        return original(...args);
      };
    }
  }
  require('node:module').syncBuiltinESMExports();
}
