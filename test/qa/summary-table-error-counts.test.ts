/**
 * The summary table's `errors:` line must show each error code with its count, or fold it into `N more`:
 * a code cut short without its count reads as a different code and hides how often it happened.
 */
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../src/language/json';
import { formatSummaryTable } from '../../src/output/summary-table';

function rowWithErrors(errorCodes: Record<string, number>): JsonObject {
  const occurrences = Object.values(errorCodes).reduce((a, b) => a + b, 0);
  return {
    eventSource: 's3.amazonaws.com',
    eventName: 'GetObject',
    occurrences,
    successes: 0,
    failures: occurrences,
    errorCodes,
    firstSeen: '2024-01-01T00:00:00Z',
    lastSeen: '2024-01-01T00:00:29Z',
    regions: ['us-east-1'],
    sessions: 1,
    readOnly: true,
    sensitive: false,
    identities: { 'arn:aws:iam::111122223333:user/alice': occurrences },
  };
}

function errorsLine(errorCodes: Record<string, number>, width: number): string {
  const lines = formatSummaryTable([rowWithErrors(errorCodes)], { width });
  const line = lines.find((l) => l.trimStart().startsWith('errors: '));
  expect(line).toBeDefined();
  return line!.trimStart().slice('errors: '.length);
}

describe('summary table errors line', () => {
  const codes = {
    AccessDenied: 6,
    'Client.UnauthorizedOperation': 6,
    InvalidRequestWithAnUnusuallyLongName: 5,
    NoSuchKey: 4,
    ThrottlingException: 3,
  };

  for (const width of [60, 80, 100, 120]) {
    it(`every error code is shown whole with its count, or counted in 'N more' (width ${width})`, () => {
      const items = errorsLine(codes, width).split(', ');
      let shown = 0;
      let more = 0;
      for (const item of items) {
        const m = /^(\d+) more$/.exec(item);
        if (m !== null) {
          more += Number(m[1]);
          continue;
        }
        const counted = /^(.+) (\d+)$/.exec(item);
        expect(counted, `item '${item}' has no count`).not.toBeNull();
        expect(codes[counted![1] as keyof typeof codes], `item '${item}' is not a whole error code`).toBe(Number(counted![2]));
        shown++;
      }
      expect(shown).toBeGreaterThan(0);
      expect(shown + more).toBe(Object.keys(codes).length);
    });
  }

  it('a single error code longer than the line keeps its count', () => {
    const name = 'Some.Extremely.Long.Error.Code.That.Does.Not.Fit.On.Any.Reasonable.Terminal.Line';
    const line = errorsLine({ [name]: 7 }, 60);
    expect(line).toMatch(/ 7$/);
  });
});
