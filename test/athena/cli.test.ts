/**
 * `--engine athena` and `ctq athena-ddl` on the command line, in-process (no AWS is called: --explain
 * and the DDL need none, and usage errors stop before anything runs), plus one spawned run of the
 * built binary for the subcommand.
 */
import { describe, expect, test } from 'vitest';
import { runInProcess } from './run-in-process';
import { parseHive, parseTrino } from './sql-grammar';
import { runCtq } from '../support/run-ctq';

const ctq = (args: string[]) => runInProcess(args, { now: Date.parse('2025-12-10T12:00:00Z') });

const ATHENA = ['--engine', 'athena', '--athena-table', 'cloudtrail.org_trail', '--work-group', 'ir'];

describe('ctq --engine athena --explain', () => {
  test('prints the SQL and the estimated partitions, calls nothing, writes nothing to stdout', async () => {
    const result = await ctq(['iam:*', 'sts:AssumeRole*', ...ATHENA, '--from', '2025-12-01', '--to', '2025-12-02T23:59:59Z', '--regions', 'us-east-1,eu-west-1', '--accounts', '111122223333', '--match', '$.userIdentity.accessKeyId == "AKIA…"', '--explain']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('partitions: 3 days × 1 account × 2 regions = 6 partitions');
    const sql = result.stderr.split('\n').filter((line) => line.startsWith('    ')).map((line) => line.slice(4)).join('\n');
    expect(sql).toMatch(/^SELECT DISTINCT "\$path", eventid\nFROM "cloudtrail"\."org_trail"\nWHERE /);
    expect(sql).toContain("useridentity.accesskeyid = 'AKIA…'");
    expect(sql).toContain(`"account" IN ('111122223333')`);
    expect(parseTrino(sql)).toMatchObject({ errors: [], statements: 1 });
  });

  test('an open window is estimated up to now', async () => {
    const result = await ctq(['iam:*', ...ATHENA, '--from', '2025-12-08', '--explain']);
    expect(result.stderr).toContain('partitions: 4 days × every account of the projection × every region of the projection');
  });

  test('chainOf() explains its rounds', async () => {
    const result = await ctq(['*:*', ...ATHENA, '--match', 'chainOf("arn:aws:iam::111122223333:role/admin")', '--enrich', '--explain']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('chainOf(): rounds over these partitions');
    expect(result.stderr).toContain("eventname IN ('AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity', 'GetSessionToken', 'GetFederationToken', 'ConsoleLogin', 'SwitchRole')");
  });
});

describe('usage errors (exit 2, nothing on stdout)', () => {
  test.each([
    [['iam:*', '--engine', 'athena'], '--engine athena needs --athena-table'],
    [['iam:*', '--athena-table', 't'], '--athena-table applies to --engine athena'],
    [['iam:*', '--work-group', 'ir'], '--work-group applies to --engine athena'],
    [['iam:*', ...ATHENA, '--input', 'fixtures/events.ndjson'], 'not --input'],
    [['iam:*', ...ATHENA, '--state', '/tmp/x.state'], '--state and --follow are not available'],
    [['iam:*', '--engine', 'athena', '--athena-table', 'db.t; DROP'], "--athena-table: 'db.t; DROP' is not a table name"],
    [['iam:*', ...ATHENA, '--query-execution-context', 'Database=ct,Color=red'], "unknown key 'Color'"],
    [['iam:*', ...ATHENA, '--result-configuration', 'OutputLocation=/tmp'], 'must be an s3:// location'],
    [['iam:*', ...ATHENA, '--accounts', '12'], "--accounts: '12' is not a 12-digit account ID"],
    [['iam:*', ...ATHENA, '--max-scan-gb', '0'], '--max-scan-gb expects a positive number'],
    [['iam:*', '--engine', 'local'], '--engine local reads --input files'],
    [['iam:*', '--delivery-margin', '48'], '--delivery-margin applies to --engine athena'],
  ])('%j', async (args, message) => {
    const result = await ctq(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
  });

  test('the AWS CLI spellings are accepted: shorthand and JSON', async () => {
    const shorthand = await ctq(['iam:*', ...ATHENA, '--query-execution-context', 'Database=cloudtrail,Catalog=AwsDataCatalog', '--result-configuration', 'OutputLocation=s3://results/', '--explain']);
    const json = await ctq(['iam:*', ...ATHENA, '--query-execution-context', '{"Database":"cloudtrail"}', '--result-configuration', '{"OutputLocation":"s3://results/"}', '--explain']);
    expect(shorthand.code).toBe(0);
    expect(json.code).toBe(0);
  });
});

describe('ctq athena-ddl', () => {
  test('prints the organisation table; not taken for an IAM action', async () => {
    const result = await ctq(['athena-ddl', '--bucket', 'org-trail', '--org', 'o-abc123', '--accounts', '111122223333,444455556666', '--regions', 'us-east-1,eu-west-1', '--start', '2024/01/01', '--table', 'cloudtrail.org_trail']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^CREATE EXTERNAL TABLE `cloudtrail`\.`org_trail` \(/);
    expect(parseHive(result.stdout)).toMatchObject({ errors: [], statements: 1 });
  });

  test('--regions all lists every region of the partition', async () => {
    const result = await ctq(['athena-ddl', '--bucket', 'org-trail', '--accounts', '111122223333', '--regions', 'all', '--start', '2024/01/01']);
    expect(result.code).toBe(0);
    const regions = /'projection\.region\.values' = '([^']+)'/.exec(result.stdout)![1]!.split(',');
    expect(regions).toEqual(expect.arrayContaining(['us-east-1', 'eu-west-1', 'ap-southeast-2']));
    expect(regions.length).toBeGreaterThan(20);
    expect(result.stdout).toContain("LOCATION 's3://org-trail/AWSLogs/'");
  });

  test('bad values are usage errors naming the flag', async () => {
    const result = await ctq(['athena-ddl', '--bucket', 'org-trail', '--accounts', '1111', '--regions', 'all', '--start', '2024/01/01']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe("ctq athena-ddl: --accounts: '1111' is not a 12-digit account ID\n");
  });

  test('the built binary runs it and shows its help', async () => {
    const help = await runCtq(['athena-ddl', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--org <id>');
    const main = await runCtq(['--help']);
    expect(main.stdout).toContain('--engine <engine>');
    expect(main.stdout).toContain('ctq athena-ddl');
  });
});
