import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReportSink } from '../../../src/output/report/report-sink';
import { Matches } from '../../../src/output/match-record';
import type { OutputSink } from '../../../src/output/sinks';

describe('ReportSink', () => {
  it('passes events on unchanged, and reports a report it cannot write instead of throwing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctq-report-sink-'));
    try {
      const passed: Matches[] = [];
      const inner: OutputSink = { write: (matches) => void passed.push(matches), finish: async () => undefined };
      const errors: string[] = [];
      const sink = new ReportSink(inner, {
        file: join(dir, 'gone', 'r.html'),
        argv: [],
        now: () => new Date(0),
        onError: (message) => errors.push(message),
      });
      const matches = Matches.ofText('{"eventName":"A"}\n', null);
      await sink.write(matches);
      await sink.finish();
      expect(passed).toEqual([matches]);
      expect(passed[0]!.records.map((record) => record.text)).toEqual(['{"eventName":"A"}']);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/^--report .*gone\/r\.html: cannot write the report: ENOENT/);
      expect(readdirSync(dir)).toEqual([]); // no temporary file left behind
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
