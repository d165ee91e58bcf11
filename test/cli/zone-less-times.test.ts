/**
 * A time without a zone is UTC everywhere (language/ordering.ts, `timestampInstant`), never the machine's
 * zone: the identity picture's order and the report's timeline read event and session-creation times too,
 * through `Date.parse` until this test (a zone-less time moved five hours under TZ=America/New_York and the
 * graph's sessions changed places).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCtq } from '../support/run-ctq';

let dir = '';
let input = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctq-zone-less-'));
  input = join(dir, 'events.ndjson');
  // The identity scenarios, every other event's time without its zone.
  const folder = join(REPO, 'fixtures', 'identity');
  const lines = readdirSync(folder)
    .filter((name) => name.endsWith('.ndjson'))
    .sort()
    .flatMap((name) => readFileSync(join(folder, name), 'utf8').trimEnd().split('\n'));
  writeFileSync(input, lines.map((line, i) => (i % 2 === 1 ? line.replace(/("eventTime":"[^"]*)Z"/, '$1"') : line)).join('\n') + '\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('zone-less times under any machine zone', () => {
  it('give the same identity picture and report as under UTC', async () => {
    expect(readFileSync(input, 'utf8')).toMatch(/"eventTime":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d"/);
    const outputs: string[] = [];
    for (const zone of ['UTC', 'America/New_York', 'Asia/Kolkata']) {
      const report = join(dir, 'report.html');
      const dot = await runCtq(['*:*', '--input', input, '--format', 'dot'], { env: { TZ: zone } });
      const html = await runCtq(['*:*', '--input', input, '--report', report], { env: { TZ: zone } });
      expect(dot.code).toBe(0);
      expect(html.code).toBe(0);
      // The report says when it was generated.
      outputs.push(dot.stdout + readFileSync(report, 'utf8').replace(/generated \d{4}-\d\d-\d\dT[\d:.]+Z/, 'generated T'));
    }
    expect(outputs[0]).toContain('digraph');
    expect(outputs[1]).toBe(outputs[0]);
    expect(outputs[2]).toBe(outputs[0]);
  });
});
