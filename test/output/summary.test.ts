import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../src/language/json';
import { createSummary, SUMMARY_FIELDS, SUMMARY_LIMITS, type GroupKey } from '../../src/output/summary';
import { isSensitiveReadOnly, SENSITIVE_READ_ONLY } from '../../src/output/summary-sensitive';
import { formatSummaryTable } from '../../src/output/summary-table';
import { displayWidth } from '../../src/output/terminal-safe';
import { parseActions, serviceInfo } from '../../src/selection';
import { knownNames } from '../../src/selection/action-names';

/**
 * A small incident: a role lists and reads secrets from two sessions, tries IAM writes that an SCP denies, and
 * modifies an instance attribute. Shapes follow the CloudTrail record contents page.
 */
function event(fields: Partial<Record<string, unknown>>): JsonObject {
  return {
    eventVersion: '1.08',
    eventType: 'AwsApiCall',
    awsRegion: 'us-east-1',
    ...fields,
  } as JsonObject;
}

const DENY =
  'User: arn:aws:sts::123456789012:assumed-role/attacker/s1 is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::123456789012:user/backdoor with an explicit deny in a service control policy';

const EVENTS: JsonObject[] = [
  event({ eventSource: 'secretsmanager.amazonaws.com', eventName: 'ListSecrets', eventTime: '2024-05-01T10:00:00Z', readOnly: true, session: 's1', requestParameters: { filters: [{ key: 'name', values: ['prod'] }], maxResults: 100 } }),
  event({ eventSource: 'secretsmanager.amazonaws.com', eventName: 'GetSecretValue', eventTime: '2024-05-01T10:01:00Z', readOnly: true, session: 's1', requestParameters: { secretId: 'prod/db' }, resources: [{ ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf', accountId: '123456789012' }] }),
  event({ eventSource: 'secretsmanager.amazonaws.com', eventName: 'GetSecretValue', eventTime: '2024-05-01T10:02:00Z', readOnly: true, session: 's1', requestParameters: { secretId: 'prod/api' } }),
  event({ eventSource: 'secretsmanager.amazonaws.com', eventName: 'GetSecretValue', eventTime: '2024-05-01T09:59:00Z', readOnly: true, session: 's2', awsRegion: 'eu-west-1', errorCode: 'AccessDeniedException', errorMessage: 'User: arn:aws:sts::123456789012:assumed-role/attacker/s2 is not authorized to perform: secretsmanager:GetSecretValue on resource: prod/hr because no identity-based policy allows the secretsmanager:GetSecretValue action' }),
  event({ eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', eventTime: '2024-05-01T10:05:00Z', readOnly: false, session: 's1', errorCode: 'AccessDenied', errorMessage: DENY, requestParameters: { userName: 'backdoor' } }),
  event({ eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', eventTime: '2024-05-01T10:06:00Z', readOnly: false, session: 's1', errorCode: 'AccessDenied', errorMessage: DENY, requestParameters: { userName: 'backdoor2' } }),
  event({ eventSource: 'ec2.amazonaws.com', eventName: 'ModifyInstanceAttribute', eventTime: '2024-05-01T10:10:00Z', readOnly: false, session: 's2', requestParameters: { instanceId: 'i-0123', userData: '<sensitiveDataRemoved>' } }),
  event({ eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances', eventTime: '2024-05-01T10:11:00Z', readOnly: true, session: null, requestParameters: { filterSet: { items: [{ name: 'tag:env', valueSet: { items: [{ value: 'prod' }] } }] }, maxResults: 5 } }),
];

const sessionOf = (e: JsonObject): string | null => (typeof e['session'] === 'string' ? e['session'] : null);

function summarize(events: readonly JsonObject[], groupBy?: readonly GroupKey[]): JsonObject[] {
  const summary = createSummary(groupBy === undefined ? { sessionOf } : { sessionOf, groupBy });
  for (const e of events) summary.add(e);
  return summary.rows();
}

/** The same numbers computed the slow way, one filter per group, to check the streaming aggregator against. */
function naive(events: readonly JsonObject[], source: string, name: string) {
  const mine = events.filter((e) => e['eventSource'] === source && e['eventName'] === name);
  const failed = mine.filter((e) => typeof e['errorCode'] === 'string');
  const times = mine.map((e) => String(e['eventTime'])).sort();
  const codes: Record<string, number> = {};
  for (const e of failed) codes[String(e['errorCode'])] = (codes[String(e['errorCode'])] ?? 0) + 1;
  return {
    occurrences: mine.length,
    successes: mine.length - failed.length,
    failures: failed.length,
    errorCodes: codes,
    firstSeen: times[0],
    lastSeen: times[times.length - 1],
    regions: [...new Set(mine.map((e) => String(e['awsRegion'])))].sort(),
    sessions: new Set(mine.map(sessionOf).filter((s) => s !== null)).size,
  };
}

describe('createSummary', () => {
  it('makes one row per eventSource + eventName with the counts a naive count gives', () => {
    const rows = summarize(EVENTS);
    const pairs = new Set(EVENTS.map((e) => `${e['eventSource']} ${e['eventName']}`));
    expect(rows).toHaveLength(pairs.size);
    for (const row of rows) {
      expect(row).toMatchObject(naive(EVENTS, String(row['eventSource']), String(row['eventName'])));
    }
  });

  it('gives the row keys in the documented order', () => {
    for (const row of summarize(EVENTS)) {
      expect(Object.keys(row)).toEqual(['eventSource', 'eventName', ...SUMMARY_FIELDS]);
    }
  });

  it('sorts writes first, then by occurrences descending', () => {
    const order = summarize(EVENTS).map((r) => `${r['eventName']}:${r['readOnly']}:${r['occurrences']}`);
    expect(order).toEqual([
      'CreateUser:false:2',
      'ModifyInstanceAttribute:false:1',
      'GetSecretValue:true:3',
      'DescribeInstances:true:1',
      'ListSecrets:true:1',
    ]);
  });

  it('samples the filter part of read-only calls and the whole parameters of writes', () => {
    const rows = summarize(EVENTS);
    const byName = (name: string) => rows.find((r) => r['eventName'] === name);
    expect(byName('DescribeInstances')?.['sampleRequestParameters']).toEqual({
      filterSet: { items: [{ name: 'tag:env', valueSet: { items: [{ value: 'prod' }] } }] },
    });
    expect(byName('ListSecrets')?.['sampleRequestParameters']).toEqual({ filters: [{ key: 'name', values: ['prod'] }] });
    expect(byName('GetSecretValue')?.['sampleRequestParameters']).toEqual({ secretId: 'prod/db' });
    expect(byName('CreateUser')?.['sampleRequestParameters']).toEqual({ userName: 'backdoor' });
  });

  it('marks sensitive read-only calls', () => {
    const rows = summarize(EVENTS);
    const sensitive = rows.filter((r) => r['sensitive'] === true).map((r) => r['eventName']);
    expect(sensitive.sort()).toEqual(['GetSecretValue', 'ListSecrets']);
  });

  it('reads the denied target out of access-denied messages', () => {
    const rows = summarize(EVENTS);
    expect(rows.find((r) => r['eventName'] === 'CreateUser')?.['deniedTarget']).toBe(
      'iam:CreateUser on arn:aws:iam::123456789012:user/backdoor (explicit deny in service control policy)',
    );
    const get = rows.find((r) => r['eventName'] === 'GetSecretValue');
    expect(get?.['deniedTarget']).toBe('secretsmanager:GetSecretValue on prod/hr (no identity-based policy allows it)');
    expect(get?.['sampleErrorMessage']).toContain('prod/hr');
    expect(get?.['sampleResources']).toEqual(['arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf']);
    expect(get?.['errorCodes']).toEqual({ AccessDeniedException: 1 });
  });

  it('puts custom group keys first and mixes read and write into readOnly false', () => {
    const bySession: GroupKey[] = [{ name: 'session', of: (e) => e['session'] ?? null }];
    const rows = summarize(EVENTS, bySession);
    expect(rows.map((r) => Object.keys(r)[0])).toEqual(rows.map(() => 'session'));
    const s1 = rows.find((r) => r['session'] === 's1');
    expect(s1).toMatchObject({ occurrences: 5, failures: 2, readOnly: false, sensitive: true, sessions: 1 });
    expect(Object.keys(s1 ?? {})).toEqual(['session', ...SUMMARY_FIELDS]);
    const none = rows.find((r) => r['session'] === null);
    expect(none).toMatchObject({ occurrences: 1, sessions: 0, readOnly: true });
  });

  it('refuses a group key named like a summary field', () => {
    expect(() => createSummary({ sessionOf, groupBy: [{ name: 'occurrences', of: () => 1 }] })).toThrow(/occurrences/);
  });

  it('keeps memory bounded: error codes, resources and samples are capped', () => {
    const summary = createSummary({ sessionOf });
    for (let i = 0; i < 200; i++) {
      summary.add(
        event({
          eventSource: 's3.amazonaws.com',
          eventName: 'PutObject',
          eventTime: `2024-05-01T10:00:${String(i % 60).padStart(2, '0')}Z`,
          errorCode: `Code${i}`,
          errorMessage: 'x'.repeat(5000),
          requestParameters: { key: 'y'.repeat(5000) },
          resources: [{ ARN: `arn:aws:s3:::bucket/${i}` }],
          session: `s${i}`,
        }),
      );
    }
    const [row] = summary.rows();
    const codes = row?.['errorCodes'] as Record<string, number>;
    expect(Object.keys(codes)).toHaveLength(SUMMARY_LIMITS.errorCodes + 1);
    expect(Object.values(codes).reduce((a, b) => a + b, 0)).toBe(200);
    expect(codes['(other)']).toBe(200 - SUMMARY_LIMITS.errorCodes);
    expect(row?.['sampleResources']).toHaveLength(SUMMARY_LIMITS.sampleResources);
    expect(String(row?.['sampleErrorMessage']).length).toBeLessThanOrEqual(SUMMARY_LIMITS.sampleChars);
    expect(typeof row?.['sampleRequestParameters']).toBe('string');
    expect(String(row?.['sampleRequestParameters']).length).toBeLessThanOrEqual(SUMMARY_LIMITS.sampleChars);
    expect(row?.['sessions']).toBe(200);
  });

  it('treats readOnly given as a string like the boolean, and unknown as null', () => {
    const rows = summarize([
      event({ eventSource: 'a.amazonaws.com', eventName: 'X', readOnly: 'true' }),
      event({ eventSource: 'b.amazonaws.com', eventName: 'Y' }),
    ]);
    expect(rows.map((r) => [r['eventName'], r['readOnly']])).toEqual([
      ['Y', null],
      ['X', true],
    ]);
  });
});

describe('the sensitive read-only list', () => {
  it('parses as IAM actions without warnings and gives a reason for each', () => {
    const parsed = parseActions(SENSITIVE_READ_ONLY.map((e) => e.action));
    expect(parsed.ok && parsed.warnings).toEqual([]);
    for (const entry of SENSITIVE_READ_ONLY) expect(entry.why.length).toBeGreaterThan(20);
  });

  it('matches the calls named in it, with globs and versioned event names', () => {
    expect(isSensitiveReadOnly('ssm.amazonaws.com', 'GetParametersByPath')).toBe(true);
    expect(isSensitiveReadOnly('lambda.amazonaws.com', 'GetFunction20150331v2')).toBe(true);
    expect(isSensitiveReadOnly('sts.amazonaws.com', 'GetCallerIdentity')).toBe(true);
    expect(isSensitiveReadOnly('ssm.amazonaws.com', 'PutParameter')).toBe(false);
    expect(isSensitiveReadOnly('ec2.amazonaws.com', 'DescribeInstances')).toBe(false);
  });

  it('matches as the list parsed against the IAM reference would, on every name its services know', () => {
    const checked = parseActions(SENSITIVE_READ_ONLY.map((e) => e.action));
    if (!checked.ok) throw new Error(checked.message);
    const services = [...new Set(SENSITIVE_READ_ONLY.map((e) => e.action.slice(0, e.action.indexOf(':'))))];
    let sensitive = 0;
    let compared = 0;
    for (const service of services) {
      const names = [...(knownNames(service) ?? []), 'GetFunction20150331v2', 'getsecretvalue', 'ListObjects', 'Decrypt'];
      for (const source of [...serviceInfo(service).eventSources, 'EC2.AMAZONAWS.COM', 'other.amazonaws.com']) {
        for (const name of names) {
          const want = checked.selection.matches(source, name);
          expect(isSensitiveReadOnly(source, name), `${source} ${name}`).toBe(want);
          if (want) sensitive++;
          compared++;
        }
      }
    }
    expect(isSensitiveReadOnly(null, 'GetSecretValue')).toBe(checked.selection.matches(null, 'GetSecretValue'));
    expect(sensitive).toBeGreaterThan(SENSITIVE_READ_ONLY.length);
    expect(compared).toBeGreaterThan(1000);
  });
});

describe('formatSummaryTable', () => {
  const rowLines = (lines: readonly string[], api: string): string[] => {
    const start = lines.findIndex((l) => l.startsWith(api));
    const end = lines.findIndex((l, i) => i > start && !l.startsWith(' '));
    return lines.slice(start, end);
  };

  it('shows kind, every error code with its count, the denied targets and who, within the width', () => {
    const lines = formatSummaryTable(summarize(EVENTS), { width: 400 });
    expect(lines[0]?.startsWith('api')).toBe(true);
    const createUser = rowLines(lines, 'iam:CreateUser').join('\n');
    expect(createUser).toContain('write');
    expect(createUser).toContain('errors: AccessDenied 2');
    expect(createUser).toContain('denied: iam:CreateUser on arn:aws:iam::123456789012:user/backdoor');
    expect(rowLines(lines, 'secretsmanager:GetSecretValue')[0]).toContain('read!');
    for (const width of [200, 80, 40]) {
      for (const line of formatSummaryTable(summarize(EVENTS), { width })) expect(displayWidth(line)).toBeLessThanOrEqual(width);
    }
  });

  it('at 80 columns keeps the API readable, drops columns whole and says which, and still shows first and last seen', () => {
    const notes: string[] = [];
    const lines = formatSummaryTable(summarize(EVENTS), { width: 80, onNote: (m) => notes.push(m) });
    expect(lines.some((l) => l.startsWith('secretsmanager:GetSecretValue '))).toBe(true);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/not shown for lack of width: .*firstSeen/);
    expect(rowLines(lines, 'secretsmanager:GetSecretValue')).toContain('    seen 2024-05-01T09:59:00Z to 2024-05-01T10:02:00Z');
    // No column is cut to a stub: every header shown is whole.
    expect(lines[0]!.split(/\s+/)).toEqual(['api', 'count', 'failed', 'kind', 'identities']);
  });

  it('lists every error code and says how many more denied targets and identities there are', () => {
    const many: JsonObject[] = [];
    for (let i = 0; i < 6; i++) {
      many.push(
        event({
          eventSource: 's3.amazonaws.com',
          eventName: 'GetObject',
          eventTime: '2024-05-01T10:00:00Z',
          readOnly: true,
          errorCode: `Code${i}`,
          userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::123456789012:assumed-role/admin/user-${i}` },
          errorMessage: `User: arn:aws:sts::123456789012:assumed-role/admin/user-${i} is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::bucket-${i}/key because no identity-based policy allows the s3:GetObject action`,
        }),
      );
    }
    const lines = rowLines(formatSummaryTable(summarize(many), { width: 200 }), 's3:GetObject');
    const errors = lines.find((l) => l.includes('errors:'))!;
    for (let i = 0; i < 6; i++) expect(errors).toContain(`Code${i} 1`);
    expect(lines.filter((l) => l.includes('s3:GetObject on arn:aws:s3:::bucket-'))).toHaveLength(3);
    expect(lines.filter((l) => l.includes('3 more'))).toHaveLength(2); // denied targets, identities
    expect(lines[0]).toMatch(/read! +6  2024/); // six identities
  });

  it('shortens identities from the left so rows that differ only at the end stay different', () => {
    const rows = summarize(
      ['alice', 'bob'].map((name) =>
        event({
          eventSource: 'iam.amazonaws.com',
          eventName: `Get${name}`,
          eventTime: '2024-05-01T10:00:00Z',
          userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::123456789012:assumed-role/a-very-long-administrator-role-name/${name}` },
        }),
      ),
    );
    const by = formatSummaryTable(rows, { width: 50 }).filter((l) => l.includes('by:'));
    expect(by).toEqual(['    by: …ry-long-administrator-role-name/alice (1)', '    by: …very-long-administrator-role-name/bob (1)']);
  });

  it('explains the markers it uses in a legend', () => {
    const lines = formatSummaryTable(summarize(EVENTS), { width: 120 });
    expect(lines.some((l) => /^kind: +write /.test(l))).toBe(true);
    expect(lines.some((l) => /^ +read! +read-only, but it can return secrets/.test(l))).toBe(true);
    expect(lines.some((l) => /^ +\? +CloudTrail did not say/.test(l))).toBe(false); // not used, not explained
  });
});
