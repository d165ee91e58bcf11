/**
 * The `kind` column's values are markers the legend explains (`write!`, `read!`, …): cut to `writ…` it
 * matches no legend entry and hides whether the `!` (sensitive) was there. It is shown whole or dropped.
 */
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../src/language/json';
import { createSummary, type GroupKey } from '../../src/output/summary';
import { formatSummaryTable, KIND_LEGEND } from '../../src/output/summary-table';

const GROUP_BY: GroupKey[] = [
  { name: '$.userIdentity.arn', of: (e) => (e['userIdentity'] as JsonObject)['arn'] ?? null },
  { name: '$.sourceIPAddress', of: (e) => e['sourceIPAddress'] ?? null },
];

function rows(): JsonObject[] {
  const sensitive = new Set(['PutRolePolicy', 'GetSecretValue']);
  const summary = createSummary({ sessionOf: () => null, groupBy: GROUP_BY, isSensitive: (_, name) => sensitive.has(String(name)) });
  const calls: [string, boolean][] = [
    ['PutRolePolicy', false],
    ['GetSecretValue', true],
    ['ListRoles', true],
  ];
  for (const [i, [eventName, readOnly]] of calls.entries()) {
    summary.add({
      eventTime: `2024-01-01T00:00:0${i}Z`,
      eventSource: eventName === 'GetSecretValue' ? 'secretsmanager.amazonaws.com' : 'iam.amazonaws.com',
      eventName,
      readOnly,
      awsRegion: 'us-east-1',
      // an AWS service calling on the role's behalf logs its name as the source (20 columns)
      sourceIPAddress: i === 2 ? 'lambda.amazonaws.com' : `198.51.100.${150 + i}`,
      userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::111122223333:assumed-role/deploy-role/deploy-session-${i}` },
    });
  }
  return summary.rows();
}

describe('summary table kind column', () => {
  for (const width of [70, 80, 100]) {
    it(`shows each kind marker whole or not at all with two group-by keys (width ${width})`, () => {
      const lines = formatSummaryTable(rows(), { width, groupKeys: GROUP_BY.map((k) => k.name) });
      const header = lines[0]!;
      const at = header.indexOf('kind');
      if (at === -1) return; // dropped, and said so by the caller's note
      const beforeLegend = lines.slice(1, lines.includes('') ? lines.indexOf('') : lines.length);
      const tableLines = beforeLegend.filter((line) => !line.startsWith(' '));
      expect(tableLines.length).toBe(3);
      for (const line of tableLines) {
        const marker = line.slice(at).split(/\s+/)[0]!;
        expect(Object.keys(KIND_LEGEND), `kind cell '${marker}' in: ${line}`).toContain(marker);
      }
    });
  }
});
