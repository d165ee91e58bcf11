/** The `ctq` executable. */
import { run } from './run';

const controller = new AbortController();
const onSignal = () => controller.abort();
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);

const code = await run(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  now: () => Date.now(),
  workerUrl: new URL('./scan-worker.js', import.meta.url),
  signal: controller.signal,
});
process.exitCode = code;
// Stdin may still be open (ctq read only files); nothing else should keep the process alive.
process.stdin.unref?.();
