/** Runs ctq in-process (no child process): the fast way to test flags and output. */
import { PassThrough, Readable } from 'node:stream';
import { run } from '../../src/cli/run';

export interface InProcessResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runInProcess(args: readonly string[], options: { now?: number; env?: NodeJS.ProcessEnv } = {}): Promise<InProcessResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (b: Buffer) => out.push(b));
  stderr.on('data', (b: Buffer) => err.push(b));
  const code = await run(args, {
    stdin: Readable.from([]),
    stdout,
    stderr,
    env: options.env ?? {},
    now: () => options.now ?? Date.now(),
    workerUrl: null,
  });
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

export function lines(text: string): Record<string, unknown>[] {
  return text === '' ? [] : text.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
}
