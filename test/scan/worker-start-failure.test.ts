/**
 * Workers that fail to start cost speed, never events: chunks go to workers only once all of them are
 * ready, so the calling thread scans everything, and the run says so (it did not use every core). A
 * startup snapshot once loaded worker_threads at build time and every worker died at start, silently.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileQuery } from '../../src/query/query';
import { emptyStats } from '../../src/query/stats';
import { scanLocal } from '../../src/scan/local-scan';
import { ScanPool } from '../../src/scan/scan-pool';

const INPUT = fileURLToPath(new URL('../../fixtures/events.ndjson', import.meta.url));
const WORKER = new URL('../../dist/scan-worker.js', import.meta.url);

async function scan(workerUrl: URL | null): Promise<{ text: string; warnings: string[]; events: number }> {
  const compiled = compileQuery({ actions: ['*:*'], matches: [], window: { fromMs: null, toMs: null } });
  if (!compiled.ok) throw new Error(compiled.message);
  const pool = workerUrl === null ? null : new ScanPool(workerUrl, { kind: 'identity-facts' }, 2);
  let text = '';
  const warnings: string[] = [];
  const stats = emptyStats();
  try {
    await scanLocal({
      inputs: [INPUT],
      filter: { query: compiled.query },
      workerUrl: null,
      ...(pool !== null ? { pool } : {}),
      // Workers start at once, before the calling thread has read anything.
      parallelAfterMs: 0,
      chunkBytes: 4096,
      stats,
      write: async (matches) => {
        text += matches.text;
        // The first piece waits until the workers have answered, ready or failed (a small input is
        // otherwise scanned before they do, and there is then nothing to say).
        await pool?.whenReady(20_000);
      },
      onBad: () => {},
      onWarning: (message) => warnings.push(message),
    });
  } finally {
    await pool?.close();
  }
  return { text, warnings, events: stats.eventsScanned };
}

describe('worker threads that fail to start', () => {
  it('leave every event to the calling thread, and the run says the scan used one thread', async () => {
    const alone = await scan(null);
    const failing = await scan(new URL('data:text/javascript,throw new Error("no worker today")'));
    expect(failing.text).toBe(alone.text);
    expect(failing.events).toBe(alone.events);
    expect(alone.events).toBeGreaterThan(0);
    expect(failing.warnings).toEqual(['worker threads did not start (no worker today): the scan ran on one thread']);
  });

  it.runIf(existsSync(fileURLToPath(WORKER)))('are not reported when they start (the built worker)', async () => {
    const working = await scan(WORKER);
    expect(working.warnings).toEqual([]);
    expect(working.text).toBe((await scan(null)).text);
  });
});
