// Preloaded into ctq (NODE_OPTIONS=--require) by test/modes/workers.test.ts. In ctq's main thread:
// - appends to $CTQ_TEST_WORKER_LOG a line "start" for every worker thread started and "post" for
//   every message sent to one, so a test can tell that a scan really handed chunks to workers;
// - with CTQ_TEST_READS_WAIT_FOR_WORKERS=1, makes each whole-file read (fs/promises readFile, how
//   ctq reads trail files) wait while started workers are not all ready, as a slow disk would. ctq
//   hands chunks to its pool only once every worker has compiled the query; without the wait, the
//   race between that and the main thread finishing decides whether workers scan anything.
// It wraps node:worker_threads' Worker and node:fs/promises' readFile, then re-syncs the builtins'
// ESM exports (module.syncBuiltinESMExports), through which the bundled ESM ctq imports them.
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
    const promises = require('node:fs/promises');
    const readFile = promises.readFile;
    promises.readFile = async (...args) => {
      while (started > 0 && ready < started) await new Promise((resolve) => setTimeout(resolve, 5));
      return readFile(...args);
    };
  }
  require('node:module').syncBuiltinESMExports();
}
