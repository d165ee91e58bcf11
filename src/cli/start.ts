/**
 * The `ctq` process around one run: signals abort it, its exit code becomes the process's. Shared by the
 * two ways the executable starts (main.ts as ES modules, snapshot-main.ts from a V8 startup snapshot).
 */
import { run } from './run';

export async function startCli(argv: readonly string[], workerUrl: URL): Promise<void> {
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  process.exitCode = await run(argv, {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    now: () => Date.now(),
    workerUrl,
    signal: controller.signal,
  });
  // Stdin may still be open (ctq read only files); nothing else should keep the process alive.
  process.stdin.unref?.();
}
