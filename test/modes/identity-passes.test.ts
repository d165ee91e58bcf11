/**
 * A plain scan and a two-pass identity scan of the same query give the same answer (issue 9,
 * "Behaviour unchanged"). `X and session() != "impossible"` selects what `X` selects, but needs the
 * identity graph, so ctq reads the input twice through its identity path; `--enrich` does too, and
 * with `_ctq` removed its events are the plain scan's. Compared on every fixture and on the real
 * datasets in ../shared/datasets (skipped when absent), with stderr (bad records, notes, --stats).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCtq } from '../support/run-ctq';
import { syntheticEvents } from '../support/synthetic-events';
import { DATASETS, datasetRecords, label } from './support';

const X = '$.readOnly == false or $.errorCode != null';

const INPUTS: readonly string[] = [
  'fixtures/events.ndjson',
  'fixtures/AWSLogs',
  'fixtures/lookup-events.json',
  'fixtures/identity',
  'fixtures/real',
  'fixtures/bad',
  join(DATASETS, 'stratus-detonation-logs'),
  join(DATASETS, 'stratus-detonations'),
  join(DATASETS, 'plaso-lookup-events'),
];

/** A JSON line with `_ctq` taken out, in one serialization, so enriched and plain lines compare. */
function withoutCtq(line: string): string {
  const { _ctq: _, ...event } = JSON.parse(line) as Record<string, unknown>;
  return JSON.stringify(event);
}

function lines(stdout: string): string[] {
  return stdout === '' ? [] : stdout.replace(/\n$/, '').split('\n');
}

async function expectSameAnswer(input: string): Promise<void> {
  const [plain, twoPass, enriched] = await Promise.all([
    runCtq(['*:*', '--input', input, '--match', X, '--stats']),
    runCtq(['*:*', '--input', input, '--match', `(${X}) and session() != "impossible"`, '--stats']),
    runCtq(['*:*', '--input', input, '--match', X, '--enrich', '--stats']),
  ]);
  expect(plain.code).toBe(0);
  expect(lines(plain.stdout).length).toBeGreaterThan(0);
  expect(twoPass.stdout).toBe(plain.stdout);
  expect(twoPass.stderr).toBe(plain.stderr);
  expect(twoPass.code).toBe(plain.code);
  const enrichedLines = lines(enriched.stdout);
  for (const line of enrichedLines) expect(line).toContain('"_ctq":');
  expect(enrichedLines.map(withoutCtq)).toEqual(lines(plain.stdout).map(withoutCtq));
  expect(enriched.stderr).toBe(plain.stderr);
  expect(enriched.code).toBe(plain.code);
}

describe('a plain scan and a two-pass identity scan give the same answer', () => {
  for (const input of INPUTS) {
    it.skipIf(!existsSync(input))(`on ${label(input)}${existsSync(input) ? '' : ' (absent: skipped)'}`, async () => {
      await expectSameAnswer(input);
    });
  }

  const stratus = datasetRecords('stratus-detonation-logs');
  const dir = mkdtempSync(join(tmpdir(), 'ctq-modes-passes-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('on 3 000 generated events (many sessions, keys and identity types)', async () => {
    const generated = join(dir, 'generated.ndjson');
    writeFileSync(generated, syntheticEvents({ count: 3000, seed: 3 }).map((event) => `${JSON.stringify(event)}\n`).join(''));
    await expectSameAnswer(generated);
  });

  // Most tools write JSON with a space after ':' and ','; the plain scan passes each line's bytes
  // through, and so must the identity path.
  it.skipIf(stratus.length === 0)('on the real Stratus records as NDJSON written with spaces', async () => {
    const spaced = join(dir, 'spaced.ndjson');
    writeFileSync(spaced, stratus.map((record) => `${JSON.stringify(record, null, 1).replace(/\n */g, ' ')}\n`).join(''));
    await expectSameAnswer(spaced);
  });
});
