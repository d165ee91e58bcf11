/**
 * A one-pass scan waits for its workers before reading (local-scan.ts): the wait must end when they are
 * ready, and also when one stops or never answers, so a broken worker cannot hang the run.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ScanPool } from '../../src/scan/scan-pool';
import { scratchDir } from '../support/scratch';

const dir = scratchDir('ctq-pool-');
function workerScript(name: string, body: string): URL {
  const file = join(dir, name);
  writeFileSync(file, `import { parentPort } from 'node:worker_threads';\n${body}\n`);
  return pathToFileURL(file);
}

/**
 * Whether a pool of two workers running `body` was ready when its wait ended (a wait that never ends fails the
 * test by its timeout); the pool is closed either way.
 */
async function readyAfterWait(name: string, body: string, timeoutMs: number): Promise<boolean> {
  const pool = new ScanPool(workerScript(name, body), { kind: 'identity-facts' }, 2);
  try {
    pool.warmUp();
    await pool.whenReady(timeoutMs);
    return pool.ready;
  } finally {
    await pool.close();
  }
}

describe('ScanPool.whenReady', () => {
  it('resolves once every worker says it is ready', async () => {
    expect(await readyAfterWait('ready.mjs', "parentPort.postMessage({ kind: 'ready' }); setInterval(() => {}, 1000);", 60_000)).toBe(true);
  });

  it('resolves when a worker stops before it is ready', async () => {
    expect(await readyAfterWait('exits.mjs', 'process.exit(0);', 60_000)).toBe(false);
  });

  it('gives up after its time bound when a worker never answers', async () => {
    expect(await readyAfterWait('silent.mjs', 'setInterval(() => {}, 1000);', 300)).toBe(false);
  });
});
