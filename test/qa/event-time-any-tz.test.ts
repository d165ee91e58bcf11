/**
 * `eventTime` is read one way everywhere: as the ordering operators and the time window read it
 * (language/ordering.ts), a time without a zone being UTC. Thresholds and the summary's first/last seen used
 * `Date.parse`, which takes a zone-less time in the machine's zone: the same file gave an alert under
 * `TZ=UTC` and none under another zone, and another firstSeen.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ndjson, runCtq } from '../support/run-ctq';
import { scratchDir } from '../support/scratch';

function input(): string {
  const file = join(scratchDir('ctq-qa-tz-'), 'events.ndjson');
  const times = { zoneless: '2024-05-01T10:00:00', zulu: '2024-05-01T10:03:00Z' };
  const lines = Object.entries(times).map(([id, eventTime]) => JSON.stringify({ eventVersion: '1.08', eventTime, eventSource: 's3.amazonaws.com', eventName: 'GetObject', userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/a' }, eventID: id }));
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

describe.each(['UTC', 'America/New_York'])('eventTime without a zone, TZ=%s', (tz) => {
  it('counts both events in one five-minute window', async () => {
    const r = await runCtq(['*:*', '--input', input(), '--count-by', '$.userIdentity.arn', '--threshold', '2', '--window', '5m'], { env: { TZ: tz } });
    expect(ndjson(r.stdout).map((alert) => alert['count'])).toEqual([2]);
  });

  it('takes the zone-less event as the first seen', async () => {
    const r = await runCtq(['*:*', '--input', input(), '--summary'], { env: { TZ: tz } });
    expect(ndjson(r.stdout)[0]).toMatchObject({ firstSeen: '2024-05-01T10:00:00', lastSeen: '2024-05-01T10:03:00Z' });
  });
});
