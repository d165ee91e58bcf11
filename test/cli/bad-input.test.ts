/** Damaged input is reported with its place, counted, and never hides the good events around it. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ndjson, runCtq } from '../support/run-ctq';

const events = readFileSync('fixtures/events.ndjson', 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as Record<string, unknown>);
const idsOf = (slice: Record<string, unknown>[]) => slice.map((e) => String(e.eventID));

describe('bad input', () => {
  it('reports each bad NDJSON line as file:line and keeps the rest', async () => {
    const result = await runCtq(['*:*', '--input', 'fixtures/bad/damaged-lines.ndjson', '--stats']);
    expect(result.code).toBe(0);
    const want = idsOf(events.slice(0, 10).filter((_, i) => i !== 3 && i !== 6));
    expect(ndjson(result.stdout).map((e) => String(e.eventID))).toEqual(want);
    expect(result.stderr).toMatch(/fixtures\/bad\/damaged-lines\.ndjson:4: damaged record/);
    expect(result.stderr).toMatch(/fixtures\/bad\/damaged-lines\.ndjson:7: damaged record/);
    expect(result.stderr).toMatch(/skipped 2 bad records/);
    const stats = JSON.parse(result.stderr.trim().split('\n').at(-1)!);
    expect(stats).toMatchObject({ eventsScanned: 8, matched: 8, badRecords: 2 });
  });

  it('still reports a truncated line that a literal pre-filter would have skipped', async () => {
    const result = await runCtq(['*:*', '--input', 'fixtures/bad/damaged-lines.ndjson', '--match', '$.errorCode == "NoSuchCodeAnywhere"']);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/damaged-lines\.ndjson:4/);
  });

  it('recovers what precedes the damage in truncated and corrupt gzips and a truncated trail document', async () => {
    const result = await runCtq(['*:*', '--input', 'fixtures/bad', '--stats']);
    expect(result.code).toBe(0);
    const out = ndjson(result.stdout).map((e) => String(e.eventID));
    expect(result.stderr).toMatch(/truncated-gzip\.json\.gz.*(unexpected end of file|truncated)/);
    expect(result.stderr).toMatch(/corrupt-gzip\.json\.gz.*(corrupt gzip|invalid|incorrect)/i);
    expect(result.stderr).toMatch(/truncated-trail\.json:\d+: .*truncated/);
    // Everything written is a whole, unaltered event from the file it came from.
    const truncatedGzipIds = idsOf(events.slice(10, 20));
    const truncatedTrailIds = idsOf(events.slice(30, 35));
    const fromTruncatedGzip = out.filter((id) => truncatedGzipIds.includes(id));
    const fromTruncatedTrail = out.filter((id) => truncatedTrailIds.includes(id));
    expect(fromTruncatedGzip.length).toBeGreaterThan(0);
    expect(fromTruncatedGzip.length).toBeLessThan(10);
    expect(fromTruncatedTrail).toEqual(truncatedTrailIds.slice(0, fromTruncatedTrail.length));
    expect(fromTruncatedTrail.length).toBeGreaterThanOrEqual(3);
    const stats = JSON.parse(result.stderr.trim().split('\n').at(-1)!);
    expect(stats.badRecords).toBeGreaterThanOrEqual(5);
    expect(stats.matched).toBe(out.length);
  });

  it('makes bad input fatal under --strict', async () => {
    const result = await runCtq(['*:*', '--input', 'fixtures/bad/damaged-lines.ndjson', '--strict']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/damaged-lines\.ndjson:4/);
    expect(result.stderr).toMatch(/--strict/);
  });

  // A whole-looking line (`{…}`) with a comma missing, and without the literal: a pre-filter passed over it
  // unparsed, so its damage went unsaid and the run exited 0 under --strict. Strict parses every record;
  // without --strict the line cannot match and is passed over.
  it('finds damage in records the literal rules out under --strict', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctq-strict-'));
    try {
      const input = join(dir, 'events.ndjson');
      const lines = readFileSync('fixtures/events.ndjson', 'utf8').trimEnd().split('\n').slice(0, 5);
      lines.splice(3, 0, '{"eventVersion":"1.08" "eventName":"Broken"}');
      writeFileSync(input, lines.join('\n') + '\n');
      const args = ['*:*', '--input', input, '--match', '$.recipientAccountId == "111122223333"', '--stats'];
      const strict = await runCtq([...args, '--strict']);
      expect(strict.code).toBe(1);
      expect(strict.stderr).toContain(`${input}:4: damaged record`);
      const lenient = await runCtq(args);
      expect(lenient.code).toBe(0);
      expect(ndjson(lenient.stdout)).toHaveLength(5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('salvages the real, damaged-as-published Stratus file and reads the other real files', async () => {
    const result = await runCtq(['*:*', '--input', 'fixtures/real/stratus-detonations', '--stats']);
    expect(result.code).toBe(0);
    const out = ndjson(result.stdout);
    // Records follow each other without commas: all are read, the damage is named, nothing counts as skipped.
    expect(result.stderr).toMatch(/aws\.execution\.ec2-user-data\.json:112: missing ',' between records \(every record was read\)/);
    expect(result.stderr).not.toMatch(/skipped/);
    expect(out).toHaveLength(1 + 10 + 3);
    expect(JSON.parse(result.stderr.trim().split('\n').at(-1)!)).toMatchObject({ badRecords: 0, eventsScanned: 14 });
    expect(out.map((e) => e.eventName)).toContain('DeleteTrail');
  });
});

const DATASETS = '../shared/datasets/stratus-detonations';
describe.skipIf(!existsSync(DATASETS))(`shared dataset ${DATASETS}`, () => {
  it('answers a real question: who deleted the trail, and from where', async () => {
    const result = await runCtq(['cloudtrail:Delete*', '--input', DATASETS, '--match', '$.userIdentity.type == "AssumedRole"']);
    expect(result.code).toBe(0);
    const out = ndjson(result.stdout);
    expect(out.length).toBeGreaterThan(0);
    for (const event of out) expect(event.eventSource).toBe('cloudtrail.amazonaws.com');
  });
});
