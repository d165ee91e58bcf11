/**
 * `--from`/`--to` read times as the expression language's ordering operators do (language/ordering.ts):
 * an ISO 8601 instant, a time without a zone being UTC, a day that exists. They used `Date.parse`,
 * which rolls `2024-02-30` over to March 1st without a word and reads a zone-less `eventTime` in the
 * machine's local time zone, so the same query over the same file answered differently under another
 * `TZ`, and differently from `--match '$.eventTime >= …'`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ndjson, runCtq } from '../support/run-ctq';
import { scratchDir } from '../support/scratch';

function input(times: Record<string, string>): string {
  const file = join(scratchDir('ctq-qa-time-'), 'events.ndjson');
  const lines = Object.entries(times).map(([id, eventTime]) => JSON.stringify({ eventVersion: '1.08', eventTime, eventSource: 's3.amazonaws.com', eventName: 'GetObject', eventID: id }));
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

const ids = (stdout: string): string[] => ndjson(stdout).map((e) => String(e['eventID']));

describe('--from and --to', () => {
  it.each(['2024-02-30', '2023-02-29T10:00:00Z', '2024-04-31 10:00:00', '2024-05-01T10:00:00+25:00'])('refuse a day or zone that does not exist (%s)', async (time) => {
    const r = await runCtq(['*:*', '--input', input({ a: '2024-05-01T10:00:00Z' }), '--from', time]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--from: cannot read '${time}' as a time`);
    expect(r.stdout).toBe('');
  });

  it('still take a leap day, a date alone, a spaced UTC time and an offset', async () => {
    const file = input({ leap: '2024-02-29T12:00:00Z', may: '2024-05-01T10:00:00Z' });
    expect(ids((await runCtq(['*:*', '--input', file, '--from', '2024-02-29', '--to', '2024-02-29 23:59:59'])).stdout)).toEqual(['leap']);
    expect(ids((await runCtq(['*:*', '--input', file, '--from', '2024-05-01T12:00:00+02:00'])).stdout)).toEqual(['may']);
  });

  it.each(['UTC', 'America/New_York', 'Asia/Tokyo'])('read an eventTime without a zone as UTC, as --match does, whatever TZ is (%s)', async (tz) => {
    const file = input({ zoneless: '2024-05-01T10:00:00', zulu: '2024-05-01T10:00:00Z', late: '2024-05-01T12:00:00' });
    const window = await runCtq(['*:*', '--input', file, '--from', '2024-05-01T09:00:00Z', '--to', '2024-05-01T11:00:00Z'], { env: { TZ: tz } });
    const match = await runCtq(['*:*', '--input', file, '--match', '$.eventTime >= "2024-05-01T09:00:00Z" and $.eventTime <= "2024-05-01T11:00:00Z"'], { env: { TZ: tz } });
    expect(ids(window.stdout)).toEqual(['zoneless', 'zulu']);
    expect(ids(window.stdout)).toEqual(ids(match.stdout));
  });
});
