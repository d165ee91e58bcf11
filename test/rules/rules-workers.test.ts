/**
 * Rules travel to the scan's worker threads inside the query spec: a scan that hands its chunks to
 * workers from the first one gives byte for byte the output of the scan on the calling thread.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scanLocal } from '../../src/scan/local-scan';
import { compileQuery } from '../../src/query/query';
import { emptyStats } from '../../src/query/stats';
import { syntheticEvents } from '../support/synthetic-events';

const WORKER = new URL('../../dist/scan-worker.js', import.meta.url);

describe.skipIf(!existsSync(fileURLToPath(WORKER)))('rules in worker threads', () => {
  it('tag the same events with the same rules as the calling thread', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctq-rules-workers-'));
    try {
      const input = join(dir, 'events.ndjson');
      writeFileSync(input, syntheticEvents({ count: 15000, seed: 4, accessDeniedRate: 0.1 }).map((e) => JSON.stringify(e)).join('\n') + '\n');
      const compiled = compileQuery({
        actions: [],
        matches: [],
        window: { fromMs: null, toMs: null },
        rules: [
          { id: 'denied', title: 'Denied', actions: ['*:*'], matches: ['$.errorCode == "AccessDenied"'] },
          { id: 'iam-writes', title: 'IAM writes', actions: ['iam:*'], matches: ['$.readOnly == false'] },
          { id: 'ua', title: 'Boto3', actions: ['*:*'], matches: ['$.userAgent contains~ "boto3"'] },
        ],
      });
      if (!compiled.ok) throw new Error(compiled.message);
      const scan = async (workerUrl: URL | null) => {
        let out = '';
        await scanLocal({ inputs: [input], filter: { query: compiled.query }, workerUrl, workers: 2, parallelAfterMs: 0, stats: emptyStats(), write: ({ text }) => void (out += text), onBad: () => {} });
        return out;
      };
      const here = await scan(null);
      const threaded = await scan(WORKER);
      expect(here.split('\n').length).toBeGreaterThan(500);
      expect(here).toContain('"_ctq":{"rules":["denied"');
      expect(threaded).toBe(here);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
