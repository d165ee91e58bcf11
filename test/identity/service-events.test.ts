/**
 * Records whose `userIdentity` names no type: AWS service events (`eventType: AwsServiceEvent`)
 * carry only `accountId` and `invokedBy` (CloudTrail user guide, non-api-aws-service-events.md, the
 * KMS RotateKey example; the same shape in plaso's real sample, fixtures/real/plaso-lookup-events).
 * They belong to the service; and every event, even one with no identity at all, is enriched.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sessionKeyOf } from '../../src/identity';
import { isJsonObject, type JsonObject } from '../../src/language/json';
import { buildGraph, byId, FIXTURE_NAMES, loadFixture, sortedIds } from './support';

const PLASO = new URL('../../fixtures/real/plaso-lookup-events/aws_cloudtrail.jsonl', import.meta.url);

/** The CloudTrail records inside LookupEvents output (each is a JSON string in `CloudTrailEvent`). */
function plasoRecords(): JsonObject[] {
  return readFileSync(PLASO, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const record: unknown = JSON.parse(String((JSON.parse(line) as JsonObject)['CloudTrailEvent']));
      if (!isJsonObject(record)) throw new Error('not a record');
      return record;
    });
}

function withIdentity(identity: JsonObject | undefined): JsonObject {
  const event: JsonObject = {
    eventVersion: '1.05',
    eventTime: '2019-06-02T00:06:08Z',
    eventSource: 'kms.amazonaws.com',
    eventName: 'RotateKey',
    eventID: '234f004b-EXAMPLE',
    eventType: 'AwsServiceEvent',
    recipientAccountId: '123456789012',
  };
  if (identity) event['userIdentity'] = identity;
  return event;
}

describe('identities without a type', () => {
  it('the documented AWS service event (only accountId and invokedBy) belongs to the service', () => {
    expect(sessionKeyOf(withIdentity({ accountId: '123456789012', invokedBy: 'AWS Internal' }))).toBe('aws-service:AWS Internal');
  });

  it("the real sample's SharedSnapshotVolumeCreated belongs to ec2.amazonaws.com, and its chain is that service", () => {
    const records = plasoRecords();
    const event = records.find((record) => record['eventName'] === 'SharedSnapshotVolumeCreated')!;
    expect(sessionKeyOf(event)).toBe('aws-service:ec2.amazonaws.com');
    expect(buildGraph(records).enrichment(event)).toEqual({
      session: 'aws-service:ec2.amazonaws.com',
      chain: [{ session: 'aws-service:ec2.amazonaws.com', via: null }],
      confidence: 'high',
    });
  });

  it('an untyped identity without invokedBy is named by what it has (arn, principalId, then accountId)', () => {
    expect(sessionKeyOf(withIdentity({ accountId: '123456789012' }))).toBe('unknown:123456789012');
    expect(sessionKeyOf(withIdentity({ accountId: '123456789012', principalId: 'AIDAEXAMPLE' }))).toBe('unknown:AIDAEXAMPLE');
  });

  it('a typed identity its type cannot name still gets a session from what it has', () => {
    // An IAMUser without arn or userName, an IdentityCenterUser without onBehalfOf.
    expect(sessionKeyOf(withIdentity({ type: 'IAMUser', accountId: '123456789012', principalId: 'AIDAEXAMPLE' }))).toBe(
      'unknown:AIDAEXAMPLE',
    );
    expect(sessionKeyOf(withIdentity({ type: 'IdentityCenterUser', accountId: '123456789012' }))).toBe('unknown:123456789012');
  });
});

describe('enrichment is never null', () => {
  it('an event with no identity at all has no session and an empty chain', () => {
    const events = loadFixture('identity-types.ndjson');
    const noIdentity = byId(events, sortedIds(8, [96])[0]!);
    expect(sessionKeyOf(noIdentity)).toBeNull();
    expect(buildGraph(events).enrichment(noIdentity)).toEqual({ session: null, chain: [], confidence: 'none' });
    expect(buildGraph(events).enrichment(withIdentity({}))).toEqual({ session: null, chain: [], confidence: 'none' });
  });

  it('every fixture event and every real sample record is enriched with a chain', () => {
    const all = [
      ...FIXTURE_NAMES.flatMap(loadFixture),
      ...plasoRecords(),
    ];
    const graph = buildGraph(all);
    for (const event of all) {
      const enrichment = graph.enrichment(event);
      expect(enrichment).not.toBeNull();
      expect(Array.isArray(enrichment!.chain)).toBe(true);
      if (enrichment!.session !== null) expect(enrichment!.chain.at(-1)!.session).toBe(enrichment!.session);
    }
  });
});
