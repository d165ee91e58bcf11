// Preloaded into ctq (NODE_OPTIONS=--require) by test/modes/workers.test.ts. In ctq's main thread:
// - appends to $CTQ_TEST_WORKER_LOG a line "start" for every worker thread started and "post" for
//   every message sent to one, so a test can tell that a scan really handed chunks to workers;
// - with CTQ_TEST_READS_WAIT_FOR_WORKERS=1, starts ctq's pool early (a fast clock) and makes each
//   file ctq opens (fs/promises readFile and open) wait while started workers are not all ready, as
//   a slow disk would. ctq hands chunks to its pool only once every worker has compiled the query;
//   without this, the race between that and the main thread finishing decides whether workers scan.
// It wraps node:worker_threads' Worker and node:fs/promises' readFile and open, then re-syncs the
// builtins' ESM exports (module.syncBuiltinESMExports), through which the bundled ESM ctq imports them.
const threads = require('node:worker_threads');
if (threads.isMainThread && process.env.CTQ_TEST_WORKER_LOG) {
  const { appendFileSync } = require('node:fs');
  const log = process.env.CTQ_TEST_WORKER_LOG;
  let started = 0;
  let ready = 0;
  const Original = threads.Worker;
  threads.Worker = class ProbedWorker extends Original {
    constructor(...args) {
      super(...args);
      started++;
      appendFileSync(log, 'start\n');
      this.on('message', (message) => {
        if (message && message.kind === 'ready') ready++;
      });
    }
    postMessage(...args) {
      appendFileSync(log, 'post\n');
      return super.postMessage(...args);
    }
  };
  if (process.env.CTQ_TEST_READS_WAIT_FOR_WORKERS === '1') {
    // ctq starts its pool after ~100 ms of scanning on the main thread, timed with performance.now:
    // a clock that runs 50 times faster starts it after the first few chunks, whatever they cost.
    const now = performance.now.bind(performance);
    performance.now = () => now() * 50;
    // Both ways ctq opens a file for reading (readFile; open for a FileHandle) wait while started
    // workers are not all ready. If ctq starts reading files some other way, the workers test says
    // no chunk reached a worker: teach this probe that way too.
    const promises = require('node:fs/promises');
    const workersReady = async () => {
      while (started > 0 && ready < started) await new Promise((resolve) => setTimeout(resolve, 5));
    };
    for (const name of ['readFile', 'open']) {
      const original = promises[name];
      promises[name] = async (...args) => {
        await workersReady();
        return original(...args);
      };
    }
  }
  require('node:module').syncBuiltinESMExports();
}
