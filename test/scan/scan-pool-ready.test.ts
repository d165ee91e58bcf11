/**
 * A one-pass scan waits for its workers before reading (local-scan.ts): the wait must end when they are
 * ready, and also when one stops or never answers, so a broken worker cannot hang the run.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ScanPool } from '../../src/scan/scan-pool';

const dir = mkdtempSync(join(tmpdir(), 'ctq-pool-'));
function workerScript(name: string, body: string): URL {
  const file = join(dir, name);
  writeFileSync(file, `import { parentPort } from 'node:worker_threads';\n${body}\n`);
  return pathToFileURL(file);
}

/** Whether the pool's workers were all ready when the wait ended (a wait that never ends fails the test by its timeout). */
async function readyAfterWait(pool: ScanPool, timeoutMs: number): Promise<boolean> {
  pool.warmUp();
  await pool.whenReady(timeoutMs);
  return pool.ready;
}

describe('ScanPool.whenReady', () => {
  it('resolves once every worker says it is ready', async () => {
    const pool = new ScanPool(workerScript('ready.mjs', "parentPort.postMessage({ kind: 'ready' }); setInterval(() => {}, 1000);"), { kind: 'identity-facts' }, 2);
    try {
      expect(await readyAfterWait(pool, 60_000)).toBe(true);
    } finally {
      await pool.close();
    }
  });

  it('resolves when a worker stops before it is ready', async () => {
    const pool = new ScanPool(workerScript('exits.mjs', 'process.exit(0);'), { kind: 'identity-facts' }, 2);
    try {
      expect(await readyAfterWait(pool, 60_000)).toBe(false);
    } finally {
      await pool.close();
    }
  });

  it('gives up after its time bound when a worker never answers', async () => {
    const pool = new ScanPool(workerScript('silent.mjs', 'setInterval(() => {}, 1000);'), { kind: 'identity-facts' }, 2);
    try {
      expect(await readyAfterWait(pool, 300)).toBe(false);
    } finally {
      await pool.close();
    }
  });
});
