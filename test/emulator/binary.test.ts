/**
 * The `ctq-emulator` binary as scripts use it: `--port 0`, the URL as the first stdout line, logs on
 * stderr, a clean stop on SIGTERM. Runs the built bundle (`npm run build` first, as `npm test` does).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { syntheticEvents } from '../support/synthetic-events';
import { clientFor, expectedIds, idsOf, lookupAll, writeNdjson } from './harness';

const BIN = new URL('../../bin/ctq-emulator.js', import.meta.url).pathname;

let child: ChildProcess | undefined;
let dir: string | undefined;
afterEach(async () => {
  if (child !== undefined && child.exitCode === null) child.kill('SIGKILL');
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  child = undefined;
  dir = undefined;
});

function firstLine(process: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: process.stdout! });
    lines.once('line', (line) => {
      lines.close();
      resolve(line);
    });
    process.once('exit', (code) => reject(new Error(`ctq-emulator exited (${code}) before printing its URL`)));
  });
}

function exitOf(process: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => process.once('exit', (code) => resolve(code)));
}

describe('ctq-emulator binary', () => {
  it('prints its URL first, serves the data, and stops cleanly on SIGTERM', async () => {
    const records = syntheticEvents({ count: 40, seed: 17, regions: ['us-east-1'] });
    dir = await writeNdjson(records);
    child = spawn(process.execPath, [BIN, '--data', dir, '--port', '0', '--rate', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const url = await firstLine(child);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const events = await lookupAll(clientFor(url, 'us-east-1'), {}, 10);
    expect(idsOf(events).sort()).toEqual(expectedIds(records, () => true));

    const exited = exitOf(child);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/serving 40 events/);
  });

  it('exits non-zero when a --data path does not exist', async () => {
    child = spawn(process.execPath, [BIN, '--data', '/nonexistent/ctq-emulator-data', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await exitOf(child)).toBe(1);
    expect(stderr).toMatch(/cannot read --data \/nonexistent\/ctq-emulator-data/);
  });

  it('exits non-zero with a usage message for a bad flag value', async () => {
    child = spawn(process.execPath, [BIN, '--data', '.', '--error-rate', '2'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await exitOf(child)).not.toBe(0);
    expect(stderr).toMatch(/--error-rate.*fraction between 0 and 1/);
  });
});
