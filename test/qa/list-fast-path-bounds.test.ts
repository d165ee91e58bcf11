/**
 * The fast path through a list takes a record to run up to the next `,{"eventVersion"` and, when a
 * `--match` literal is not in that span, passes over it unparsed. When a list's last record is followed by
 * more values on its line (`cat` of an `aws … --output json` array and a trail file; a trail file and an
 * event), the next `,{"eventVersion"` is the second record of the next document: the span crossed the
 * list's end, reading went on inside the other document as if in the first list, and what followed was
 * reported as "not JSON records" and lost, matches included. Only a span that crosses no record start
 * outside `,{` is one record.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ndjson, runCtq } from '../support/run-ctq';
import { scratchDir } from '../support/scratch';

const record = (id: string, type = 'IAMUser') => ({ eventVersion: '1.09', userIdentity: { type }, eventTime: '2024-05-01T10:00:00Z', eventSource: 's3.amazonaws.com', eventName: 'GetObject', eventID: id });

async function run(text: string): Promise<{ ids: string[]; scanned: number; stderr: string }> {
  const file = join(scratchDir('ctq-qa-span-'), 'events.json');
  writeFileSync(file, text);
  const r = await runCtq(['*:*', '--input', file, '--workers', '1', '--stats', '--match', '$.userIdentity.type == "AWSAccount"']);
  expect(r.code).toBe(0);
  const lines = r.stderr.trim().split('\n');
  return { ids: ndjson(r.stdout).map((e) => String(e['eventID'])), scanned: (JSON.parse(lines.at(-1)!) as { eventsScanned: number }).eventsScanned, stderr: lines.slice(0, -1).join('\n') };
}

describe('a list record span never crosses the list', () => {
  it('a pretty-printed array, then a trail document and a matching event on the same line', async () => {
    const text = JSON.stringify([record('x1'), record('x2')], null, 1).replace(/\n/g, '\r\n') + ' ' + JSON.stringify({ Records: [record('r1'), record('r2')] }) + JSON.stringify(record('m', 'AWSAccount')) + '\n';
    expect(await run(text)).toEqual({ ids: ['m'], scanned: 5, stderr: '' });
  });

  it('trail files concatenated without newlines (cat of CloudTrail log files)', async () => {
    const doc = (ids: string[]) => JSON.stringify({ Records: ids.map((id) => record(id)) });
    const text = doc(['a1', 'a2']) + doc(['b1', 'b2', 'b3']) + JSON.stringify({ Records: [record('c1', 'AWSAccount'), record('c2')] });
    expect(await run(text)).toEqual({ ids: ['c1'], scanned: 7, stderr: '' });
  });
});
