import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../src/language/json';
import { buildGraph, byId, loadFixture, sortedIds } from './support';

const one = (scenario: number, n: number) => sortedIds(scenario, [n])[0]!;
const clone = (event: JsonObject, changes: (copy: JsonObject) => void): JsonObject => {
  const copy = structuredClone(event) as JsonObject;
  changes(copy);
  return copy;
};
const identityOf = (event: JsonObject) => event['userIdentity'] as JsonObject;
const credentialsOf = (event: JsonObject) => (event['responseElements'] as JsonObject)['credentials'] as JsonObject;

describe('a key-less record that fits several sessions', () => {
  // Two sessions of Shared/worker created in the same second with different keys, and a record of
  // one of them without an access key: it cannot be told which.
  const base = loadFixture('colliding-key.ndjson');
  const second = clone(byId(base, one(7, 82)), (copy) => {
    credentialsOf(copy)['accessKeyId'] = 'ASIASECONDKEY0000001';
  });
  const secondUse = clone(byId(base, one(7, 83)), (copy) => {
    copy['eventID'] = 'use-of-second-key';
    identityOf(copy)['accessKeyId'] = 'ASIASECONDKEY0000001';
  });
  const keyless = clone(byId(base, one(7, 84)), (copy) => {
    copy['eventID'] = 'keyless';
    identityOf(copy)['accessKeyId'] = '';
  });
  const events = [byId(base, one(7, 81)), second, byId(base, one(7, 83)), secondUse, keyless];
  const graph = buildGraph(events);

  it('keeps the two keyed sessions apart, with no ambiguity between them', () => {
    expect(graph.sessionOf(byId(events, one(7, 83)))).not.toBe(graph.sessionOf(secondUse));
    expect(graph.enrichment(secondUse)?.confidence).toBe('high');
  });

  it('attributes the key-less record to both, marks it ambiguous and warns once', () => {
    const heidi = graph.chainMatcher('AKIAHEIDILONGTERM001');
    const ivan = graph.chainMatcher('AKIAIVANLONGTERM0001');
    expect(heidi.ok && heidi.matches(keyless)).toBe(true);
    expect(ivan.ok && ivan.matches(keyless)).toBe(true);
    expect(ivan.ok && ivan.matches(byId(events, one(7, 83)))).toBe(false);
    const enrichment = graph.enrichment(keyless);
    expect(enrichment?.confidence).toBe('ambiguous');
    expect(enrichment?.candidates).toHaveLength(2);
    expect(graph.warnings()).toHaveLength(1);
    expect(graph.warnings()[0]).toContain('without an access key');
  });
});

describe('hops whose sessions have no records', () => {
  it('two sessions a hop alone defines in the same second, with different keys, stay two sessions', () => {
    const base = loadFixture('colliding-key.ndjson');
    const other = clone(byId(base, one(7, 82)), (copy) => {
      credentialsOf(copy)['accessKeyId'] = 'ASIASECONDKEY0000001';
    });
    const keyless = clone(byId(base, one(7, 83)), (copy) => {
      delete identityOf(copy)['accessKeyId'];
    });
    const graph = buildGraph([byId(base, one(7, 81)), other]);
    // A record without a key, from that second, could be either session.
    expect(graph.enrichment(keyless)?.candidates).toHaveLength(2);
    const first = graph.keysOfChain('ASIACOLLIDINGKEY0001');
    const second = graph.keysOfChain('ASIASECONDKEY0000001');
    if (!first.ok || !second.ok) throw new Error('well-formed keys were refused');
    expect(first.keys.hopEventIds).toEqual([one(7, 81)]);
    expect(second.keys.hopEventIds).toEqual([one(7, 82)]);
    expect(first.keys.sessions).toContain(
      'assumed-role:arn:aws:sts::111122223333:assumed-role/Shared/worker@2024-06-01T12:00:00Z#ASIACOLLIDINGKEY0001',
    );
    expect(graph.warnings()).toEqual([]);
  });
});

describe('sessions an AWS service created', () => {
  it("an instance profile's session descends from the service, the chain's origin", () => {
    const chain = loadFixture('assume-role-chain.ndjson');
    const hop = clone(byId(chain, one(1, 2)), (copy) => {
      copy['userIdentity'] = { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' };
    });
    const graph = buildGraph([hop, byId(chain, one(1, 3))]);
    const enrichment = graph.enrichment(byId(chain, one(1, 3)));
    expect(enrichment?.chain[0]).toEqual({ session: 'aws-service:ec2.amazonaws.com', via: null });
    expect(enrichment?.chain[1]?.via).toBe(one(1, 2));
    expect(enrichment?.confidence).toBe('high');
  });
});

describe('events the first pass did not see', () => {
  it('still get their own session and a one-element chain', () => {
    const chain = loadFixture('assume-role-chain.ndjson');
    const graph = buildGraph(chain.slice(0, 2));
    const unseen = byId(chain, one(1, 11));
    expect(graph.sessionOf(unseen)).toBe('iam-user:arn:aws:iam::111122223333:user/bob#AKIABOBLONGTERM00001');
    expect(graph.enrichment(unseen)).toEqual({
      session: 'iam-user:arn:aws:iam::111122223333:user/bob#AKIABOBLONGTERM00001',
      chain: [{ session: 'iam-user:arn:aws:iam::111122223333:user/bob#AKIABOBLONGTERM00001', via: null }],
      confidence: 'high',
    });
  });

  it('a failed AssumeRole creates no session', () => {
    const chain = loadFixture('assume-role-chain.ndjson');
    const failed = clone(byId(chain, one(1, 2)), (copy) => {
      copy['errorCode'] = 'AccessDenied';
      copy['responseElements'] = null;
    });
    const graph = buildGraph([failed, byId(chain, one(1, 3))]);
    const matcher = graph.chainMatcher('AKIAALICELONGTERM001');
    expect(matcher.ok && matcher.matches(byId(chain, one(1, 3)))).toBe(false);
  });
});

describe('a recycled key in a record without creationDate (recycled-key.ndjson)', () => {
  // frank's and grace's Ops/ops sessions received the same key twelve hours apart; each hop says when
  // its credentials expire (one hour later). A record of that key without a sessionContext is told
  // apart by which credentials were live when it was made.
  const events = loadFixture('recycled-key.ndjson');
  const graph = buildGraph(events);
  const undated = (at: string) =>
    clone(byId(events, one(6, 74)), (copy) => {
      copy['eventID'] = `undated-${at}`;
      copy['eventTime'] = at;
      delete identityOf(copy)['sessionContext'];
    });
  const sessionOfCall = (n: number) => graph.sessionOf(byId(events, one(6, n)));

  it('belongs to the session whose credentials were live at its eventTime', () => {
    expect(graph.sessionOf(undated('2024-05-01T20:30:00Z'))).toBe(sessionOfCall(74));
    expect(graph.enrichment(undated('2024-05-01T20:30:00Z')).confidence).toBe('high');
    expect(graph.sessionOf(undated('2024-05-01T08:30:00Z'))).toBe(sessionOfCall(72));
    const grace = graph.chainMatcher('AKIAGRACELONGTERM001');
    expect(grace.ok && grace.matches(undated('2024-05-01T20:30:00Z'))).toBe(true);
    expect(grace.ok && grace.matches(undated('2024-05-01T08:30:00Z'))).toBe(false);
  });

  it('stays attributed to both when neither was live', () => {
    const enrichment = graph.enrichment(undated('2024-05-01T12:00:00Z'));
    expect(enrichment.confidence).toBe('ambiguous');
    expect(enrichment.candidates).toEqual([sessionOfCall(72), sessionOfCall(74)].sort());
  });
});
