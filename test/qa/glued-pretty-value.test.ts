/**
 * CloudTrail writes each trail file as one line without a final newline, and exports often hold one event
 * per file, compact or pretty-printed; `cat *.json` then glues a compact value to a pretty-printed one:
 * `{…}{` at the end of one line, the rest of the second value on the lines after. The README promises any
 * mix of values, with or without whitespace between them. A compact line holding only `{…}` values never
 * spans lines, but a value that opens at the end of such a line does: it used to be reported damaged and
 * lost, with the lines after it skipped as "not JSON records".
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ndjson, runCtq } from '../support/run-ctq';
import { scratchDir } from '../support/scratch';

const record = (id: string) => ({ eventVersion: '1.08', eventTime: '2024-05-01T10:00:00Z', eventSource: 's3.amazonaws.com', eventName: 'GetObject', eventID: id });

async function ids(text: string): Promise<{ ids: string[]; stderr: string }> {
  const file = join(scratchDir('ctq-qa-glued-'), 'events.json');
  writeFileSync(file, text);
  const r = await runCtq(['*:*', '--input', file, '--workers', '1']);
  expect(r.code).toBe(0);
  return { ids: ndjson(r.stdout).map((e) => String(e['eventID'])), stderr: r.stderr };
}

describe('a pretty-printed value glued to the end of a compact line', () => {
  it.each([
    ['record after record', JSON.stringify(record('a')) + JSON.stringify(record('b'), null, 2)],
    ['record after a response with $metadata first', JSON.stringify({ $metadata: {}, Events: [{ EventId: 'a', CloudTrailEvent: JSON.stringify(record('a')) }] }) + '\t' + JSON.stringify(record('b'), null, 2)],
    ['trail document after record, CRLF', JSON.stringify(record('a')) + JSON.stringify({ Records: [record('b')] }, null, 4).replace(/\n/g, '\r\n')],
    ['list after record', JSON.stringify(record('a')) + ' ' + JSON.stringify([record('b')], null, 1)],
  ])('%s', async (_, text) => {
    const read = await ids(`${text}\n${JSON.stringify(record('c'))}\n`);
    expect(read.ids).toEqual(['a', 'b', 'c']);
    expect(read.stderr).toBe('');
  });

  // Inputs are cut into chunks of about a megabyte at places where no value is open: the cut must not
  // fall after such a line either.
  it('every record of many glued pairs, across chunk boundaries', async () => {
    const padded = (id: string) => ({ ...record(id), requestParameters: { pad: 'x'.repeat(400) } });
    const pairs = Array.from({ length: 3000 }, (_, i) => JSON.stringify(padded(`a${i}`)) + JSON.stringify(padded(`b${i}`), null, 2));
    const read = await ids(pairs.join('\n') + '\n');
    expect(read.ids).toEqual(Array.from({ length: 3000 }, (_, i) => [`a${i}`, `b${i}`]).flat());
    expect(read.stderr).toBe('');
  });

  it('a damaged NDJSON line still costs only itself', async () => {
    const read = await ids(`${JSON.stringify(record('a'))}{"eventVersion":"1.08","eventID":\n${JSON.stringify(record('c'))}\n`);
    expect(read.ids).toEqual(['a', 'c']);
    expect(read.stderr).toContain('events.json:1:');
  });
});
