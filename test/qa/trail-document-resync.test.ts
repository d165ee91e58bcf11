/**
 * A trail file is one JSON document (`{"Records":[…]}`, CloudTrail log file examples:
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html); exports
 * such as the Stratus Red Team detonation logs are one JSON array, pretty-printed, keys sorted (awsRegion
 * first). When one record inside is damaged, every valid record after it must still be read (issue 13:
 * "Salvage must resynchronise on the next record").
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ndjson, runCtq } from '../support/run-ctq';
import { scratchDir } from '../support/scratch';

const COUNT = 9;
const DAMAGED = 3;
const VALID = Array.from({ length: COUNT }, (_, i) => `t${i}`).filter((id) => id !== `t${DAMAGED}`);

/** Records as a trail writes them (eventVersion first) or as a key-sorting export does (awsRegion first). */
function record(i: number, order: 'trail' | 'sorted'): Record<string, unknown> {
  const trail = { eventVersion: '1.08', eventTime: '2024-07-31T12:46:41Z', eventSource: 's3.amazonaws.com', eventName: 'GetObject', awsRegion: 'us-east-1', eventID: `t${i}` };
  return order === 'trail' ? trail : Object.fromEntries(Object.entries(trail).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** The document with one comma between two members of record 3 removed (a structural damage). */
function damagedDocument(order: 'trail' | 'sorted', layout: 'records-one-line' | 'array-pretty'): string {
  const records = Array.from({ length: COUNT }, (_, i) => record(i, order));
  const text = layout === 'records-one-line' ? JSON.stringify({ Records: records }) : JSON.stringify(records, null, 3);
  const at = text.indexOf(`"t${DAMAGED}"`);
  const comma = order === 'trail' ? text.lastIndexOf(',', at) : text.indexOf(',', at);
  return text.slice(0, comma) + text.slice(comma + 1);
}

async function idsRead(document: string): Promise<string[]> {
  const file = join(scratchDir('ctq-qa-resync-'), 'trail.json');
  writeFileSync(file, document);
  const r = await runCtq(['*:*', '--input', file, '--workers', '1']);
  expect(r.code).toBe(0);
  expect(r.stderr).toContain(`${file}:`);
  return ndjson(r.stdout).map((event) => String(event['eventID']));
}

describe('one structurally damaged record in a trail document', () => {
  it('a trail-ordered one-line document loses only that record', async () => {
    expect(await idsRead(damagedDocument('trail', 'records-one-line'))).toEqual(VALID);
  });

  // Salvage used to resynchronise only on a record that starts with "eventVersion": with keys sorted as
  // exports write them, everything after the damage was lost (the real aws.execution.ssm-send-command.json
  // with one comma removed in its 4th record gave 5 of 55 valid records). It now also resumes at a record
  // that opens with a first key the list has shown, when a whole record starts there.
  it('a key-sorted one-line document loses only that record', async () => {
    expect(await idsRead(damagedDocument('sorted', 'records-one-line'))).toEqual(VALID);
  });

  it('a key-sorted pretty-printed array (the Stratus export shape) loses only that record', async () => {
    expect(await idsRead(damagedDocument('sorted', 'array-pretty'))).toEqual(VALID);
  });
});
