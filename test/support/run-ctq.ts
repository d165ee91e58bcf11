/** Runs the built `ctq` executable as a user would (bin/ctq, the launcher npm links), capturing everything. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
/** The launcher: from the startup snapshot when the build wrote one for this node (test/cli/launcher.test.ts). */
export const CTQ = fileURLToPath(new URL('../../bin/ctq', import.meta.url));
/** The same program as ES modules, what the launcher falls back to. */
export const CTQ_MODULES = fileURLToPath(new URL('../../bin/ctq.js', import.meta.url));

export interface CtqResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCtq(
  args: readonly string[],
  options: { stdin?: string | Buffer; env?: NodeJS.ProcessEnv; cwd?: string; modules?: boolean } = {},
): Promise<CtqResult> {
  return new Promise((resolve, reject) => {
    const [command, commandArgs] = options.modules === true ? [process.execPath, [CTQ_MODULES, ...args]] : [CTQ, args];
    const child = spawn(command, commandArgs, {
      cwd: options.cwd ?? REPO,
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
    );
    if (options.stdin !== undefined) child.stdin.end(options.stdin);
    else child.stdin.end();
  });
}

/** Parses NDJSON output strictly: every line must be one JSON object. */
export function ndjson(text: string): Record<string, unknown>[] {
  if (text === '') return [];
  if (!text.endsWith('\n')) throw new Error('NDJSON output does not end with a newline');
  return text
    .slice(0, -1)
    .split('\n')
    .map((line, i) => {
      const value: unknown = JSON.parse(line);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`line ${i + 1} is not an object`);
      return value as Record<string, unknown>;
    });
}
