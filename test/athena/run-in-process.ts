/** ctq's `run()` in-process, capturing what it writes (the Athena SDK client can then be mocked). */
import { PassThrough } from 'node:stream';
import { run } from '../../src/cli/run';

export interface InProcessRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runInProcess(args: readonly string[], options: { now?: number; signal?: AbortSignal; env?: NodeJS.ProcessEnv } = {}): Promise<InProcessRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (b: Buffer) => (out += b.toString()));
  stderr.on('data', (b: Buffer) => (err += b.toString()));
  const now = options.now;
  const code = await run(args, {
    stdin: new PassThrough(),
    stdout,
    stderr,
    env: options.env ?? {},
    now: () => now ?? Date.now(),
    workerUrl: null,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { code, stdout: out, stderr: err };
}
