/**
 * The follow-ups found on real data (../shared/datasets, see each SOURCE.md): plaso's LookupEvents
 * sample signs with the anonymised key `0123456789ABCDEFGHIJ`, which has no documented prefix; the
 * Stratus Red Team detonation logs hold an IAM Identity Center role session whose ARN lacks the
 * session-name part (`…:assumed-role/AWSReservedSSOrandom…@gmail.com`), so only
 * `sessionContext.sessionIssuer.arn` ties it to its role.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sessionKeyOf } from '../../src/identity';
import { isJsonObject, type JsonObject } from '../../src/language/json';
import { buildGraph } from './support';
import { sharedDataset } from '../support/datasets';

const PLASO = sharedDataset('plaso-lookup-events', 'aws_cloudtrail.jsonl');
const STRATUS = sharedDataset('stratus-detonation-logs');

/** The CloudTrail records inside LookupEvents results (`CloudTrailEvent` is the record as a JSON string). */
function plasoRecords(): JsonObject[] {
  return readFileSync(PLASO, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(JSON.parse(line).CloudTrailEvent) as unknown)
    .filter(isJsonObject);
}

/** Every record of the detonation logs (each file is a JSON array of records). */
function stratusRecords(): JsonObject[] {
  return readdirSync(STRATUS)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .flatMap((name) => JSON.parse(readFileSync(join(STRATUS, name), 'utf8')) as unknown[])
    .filter(isJsonObject);
}

function chainCount(records: readonly JsonObject[], x: string): number {
  const matcher = buildGraph(records).chainMatcher(x);
  if (!matcher.ok) throw new Error(matcher.message);
  return records.filter(matcher.matches).length;
}

describe.skipIf(!existsSync(PLASO))('plaso LookupEvents sample: a key of no documented prefix', () => {
  const records = existsSync(PLASO) ? plasoRecords() : [];
  const keyed = records.filter((record) => (record['userIdentity'] as JsonObject)['accessKeyId'] === '0123456789ABCDEFGHIJ');

  it('has the five records signed with 0123456789ABCDEFGHIJ', () => {
    expect(keyed).toHaveLength(5);
  });

  it('chainOf the key selects exactly those records', () => {
    expect(chainCount(records, '0123456789ABCDEFGHIJ')).toBe(5);
  });

  it('their sessions are keyed, not written #?', () => {
    for (const record of keyed) expect(sessionKeyOf(record)).not.toMatch(/#\?$/);
  });
});

describe.skipIf(!existsSync(STRATUS))('Stratus detonation logs: a role session ARN without its session name', () => {
  const records = existsSync(STRATUS) ? stratusRecords() : [];
  const ROLE = 'arn:aws:iam::844015365555:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_account-admin_599c9e90e350d2ff';
  const issuerOf = (record: JsonObject): unknown => {
    const context = (record['userIdentity'] as JsonObject)['sessionContext'] as JsonObject | undefined;
    return (context?.['sessionIssuer'] as JsonObject | undefined)?.['arn'];
  };
  const ofRole = records.filter((record) => issuerOf(record) === ROLE);

  it('holds records whose session ARN lacks the session name', () => {
    expect(ofRole).toHaveLength(4);
    for (const record of ofRole) {
      expect((record['userIdentity'] as JsonObject)['arn']).toMatch(/^arn:aws:sts::844015365555:assumed-role\/[^/]+$/);
    }
  });

  it('chainOf(the role ARN) selects them through sessionContext.sessionIssuer.arn', () => {
    expect(chainCount(records, ROLE)).toBe(ofRole.length);
  });

  it('chainOf(another role ARN) still selects its sessions by ARN prefix, with the AssumeRole hops', () => {
    const role = 'arn:aws:iam::457448411975:role/stratus-red-team-ec2-get-password-data-role';
    const sessionPrefix = 'arn:aws:sts::457448411975:assumed-role/stratus-red-team-ec2-get-password-data-role/';
    const bySession = records.filter((record) => String((record['userIdentity'] as JsonObject)['arn']).startsWith(sessionPrefix));
    const hops = records.filter(
      (record) => record['eventName'] === 'AssumeRole' && (record['requestParameters'] as JsonObject | null)?.['roleArn'] === role,
    );
    expect(bySession).toHaveLength(30);
    expect(hops).toHaveLength(2);
    expect(chainCount(records, role)).toBe(bySession.length + hops.length);
  });
});
