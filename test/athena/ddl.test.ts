/**
 * `ctq athena-ddl`'s statement: golden text for an organisation trail and a single-account trail,
 * checked against the AWS-documented CloudTrail table (SerDe, input format, projection) and parsed
 * with the real Hive grammar (Athena DDL is Hive DDL).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { athenaDdl, checkDdlOptions, type DdlOptions } from '../../src/athena-sql';
import { parseHive } from './sql-grammar';

const golden = (name: string) => readFileSync(new URL(`golden/${name}`, import.meta.url), 'utf8');

const ORGANIZATION: DdlOptions = {
  table: 'cloudtrail.org_trail',
  bucket: 'org-trail',
  prefix: '',
  organizationId: 'o-abc123',
  accounts: ['111122223333', '444455556666'],
  regions: ['us-east-1', 'eu-west-1'],
  start: '2024/01/01',
};
const SINGLE: DdlOptions = {
  table: 'trail',
  bucket: 'my-trail-bucket',
  prefix: 'team/logs',
  organizationId: null,
  accounts: ['111122223333'],
  regions: ['eu-central-1'],
  start: '2025/06/30',
};

describe('athena-ddl', () => {
  test('organisation trail (golden)', () => {
    expect(athenaDdl(ORGANIZATION)).toBe(golden('ddl-organization.sql'));
  });

  test('single-account trail with a key prefix (golden)', () => {
    expect(athenaDdl(SINGLE)).toBe(golden('ddl-single-account.sql'));
  });

  test('uses the SerDe and input format AWS documents for CloudTrail, and projects account, region and date', () => {
    const ddl = athenaDdl(ORGANIZATION);
    expect(ddl).toContain("ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'");
    expect(ddl).toContain("STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'");
    expect(ddl).toContain("'storage.location.template' = 's3://org-trail/AWSLogs/o-abc123/${account}/CloudTrail/${region}/${timestamp}'");
    expect(ddl).toContain("'projection.timestamp.format' = 'yyyy/MM/dd'");
    expect(athenaDdl(SINGLE)).toContain("LOCATION 's3://my-trail-bucket/team/logs/AWSLogs/'");
  });

  test.each([ORGANIZATION, SINGLE])('parses as one statement with the Hive grammar (%#)', (options) => {
    expect(parseHive(athenaDdl(options))).toMatchObject({ errors: [], statements: 1 });
  });

  test('refuses values that are not what they claim before they reach DDL text', () => {
    expect(checkDdlOptions({ ...SINGLE, bucket: "b'; DROP" })).toMatchObject({ ok: false, message: expect.stringContaining('--bucket') });
    expect(checkDdlOptions({ ...SINGLE, accounts: ['1111'] })).toMatchObject({ ok: false, message: expect.stringContaining('--accounts') });
    expect(checkDdlOptions({ ...SINGLE, regions: ['moon-1'] })).toMatchObject({ ok: false, message: expect.stringContaining('--regions') });
    expect(checkDdlOptions({ ...SINGLE, start: '2024-01-01' })).toMatchObject({ ok: false, message: expect.stringContaining('--start') });
    expect(checkDdlOptions({ ...SINGLE, organizationId: 'org-1' })).toMatchObject({ ok: false, message: expect.stringContaining('--org') });
    expect(checkDdlOptions({ ...SINGLE, table: 'a.b.c' })).toMatchObject({ ok: false, message: expect.stringContaining('--table') });
    expect(checkDdlOptions({ ...SINGLE, prefix: "x'/" })).toMatchObject({ ok: false, message: expect.stringContaining('--prefix') });
    expect(checkDdlOptions({ ...SINGLE, prefix: "it's" })).toMatchObject({ ok: false, message: expect.stringContaining('--prefix') });
    expect(checkDdlOptions({ ...SINGLE, prefix: 'a\\b' })).toMatchObject({ ok: false, message: expect.stringContaining('--prefix') });
    expect(checkDdlOptions({ ...SINGLE, prefix: 'logs/(2024)*' })).toMatchObject({ ok: true });
    expect(checkDdlOptions(ORGANIZATION)).toMatchObject({ ok: true });
  });
});
