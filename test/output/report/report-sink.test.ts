import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReportSink } from '../../../src/output/report/report-sink';
import type { OutputSink } from '../../../src/output/sinks';

describe('ReportSink', () => {
  it('passes events on unchanged, and reports a report it cannot write instead of throwing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctq-report-sink-'));
    try {
      const passed: string[] = [];
      const inner: OutputSink = { write: (text) => void passed.push(text), finish: async () => undefined };
      const errors: string[] = [];
      const sink = new ReportSink(inner, {
        file: join(dir, 'gone', 'r.html'),
        argv: [],
        now: () => new Date(0),
        enrichmentOf: () => null,
        sessionOf: () => null,
        onError: (message) => errors.push(message),
      });
      await sink.write('{"eventName":"A"}\n');
      await sink.finish();
      expect(passed).toEqual(['{"eventName":"A"}\n']);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/^--report .*gone\/r\.html: cannot write the report: ENOENT/);
      expect(readdirSync(dir)).toEqual([]); // no temporary file left behind
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
