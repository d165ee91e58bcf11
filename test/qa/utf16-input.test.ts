/**
 * Windows PowerShell 5.1 writes redirected output as UTF-16LE with a byte order mark
 * (`aws cloudtrail lookup-events > events.json`: `>` is Out-File, whose default there is "Unicode", UTF-16LE), and
 * such files travel in incident hand-overs. They used to be one bad record, "not a JSON file". They are
 * read as text in that encoding, from a file and from stdin; UTF-16BE too.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ndjson, runCtq } from '../support/run-ctq';
import { scratchDir } from '../support/scratch';

const RECORDS = ['a', 'b'].map((id) => ({ eventVersion: '1.08', eventTime: '2024-05-01T10:00:00Z', eventSource: 's3.amazonaws.com', eventName: 'GetObject', userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::111122223333:user/${id}é` }, eventID: id }));
/** As the AWS CLI prints it (four-space indent), with Windows line ends. */
const TEXT = JSON.stringify({ Events: RECORDS.map((r) => ({ EventId: r.eventID, EventName: r.eventName, CloudTrailEvent: JSON.stringify(r) })) }, null, 4).replace(/\n/g, '\r\n') + '\r\n';

function utf16(encoding: 'le' | 'be'): Buffer {
  const le = Buffer.from('\ufeff' + TEXT, 'utf16le');
  return encoding === 'le' ? le : le.swap16();
}

describe('UTF-16 input with a byte order mark', () => {
  it.each(['le', 'be'] as const)('UTF-16%s from a file', async (encoding) => {
    const file = join(scratchDir('ctq-qa-utf16-'), 'events.json');
    writeFileSync(file, utf16(encoding));
    const r = await runCtq(['*:*', '--input', file, '--stats']);
    expect(r.code).toBe(0);
    expect(ndjson(r.stdout)).toEqual(RECORDS);
    expect(JSON.parse(r.stderr.trim())).toMatchObject({ eventsScanned: 2, badRecords: 0 });
  });

  it('UTF-16LE from stdin', async () => {
    const r = await runCtq(['*:*', '--input', '-'], { stdin: utf16('le') });
    expect(r.code).toBe(0);
    expect(ndjson(r.stdout).map((e) => e['eventID'])).toEqual(['a', 'b']);
  });
});
