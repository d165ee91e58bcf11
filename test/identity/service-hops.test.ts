/**
 * Role credentials issued by AWS services (EC2 instance profiles, Lambda execution roles): the
 * AssumeRole record is signed by the service and its responseElements carry `credentials` but no
 * `assumedRoleUser` (stolen-instance-credentials.ndjson, see fixtures/identity/README.md).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../src/language/json';
import { buildGraph, byId, chainIds, loadFixture, sortedIds } from './support';

const one = (n: number) => sortedIds(9, [n])[0]!;
const INSTANCE_SESSION =
  'assumed-role:arn:aws:sts::111122223333:assumed-role/WebServerRole/i-0a1b2c3d4e5f67890@2024-09-12T08:00:05Z#ASIAWEBSERVERINST001';

describe('stolen EC2 instance credentials (stolen-instance-credentials.ndjson)', () => {
  const events = loadFixture('stolen-instance-credentials.ndjson');
  const graph = buildGraph(events);

  it('chainOf(instance key) is the instance session from inside and outside, its descendants, and the AssumeRole that issued it', () => {
    // 102 issued the key; 103–104 from the instance, 107–110 from outside, 111 by the role it assumed.
    expect(chainIds(graph, events, 'ASIAWEBSERVERINST001')).toEqual(sortedIds(9, [102, 103, 104, 107, 108, 109, 110, 111]));
  });

  it('the rotated key of the same instance is another session with its own hop', () => {
    expect(chainIds(graph, events, 'ASIAWEBSERVERINST002')).toEqual(sortedIds(9, [105, 106]));
  });

  it('chainOf(role ARN) covers every session of the role: both instances, both keys, and all their hops', () => {
    expect(chainIds(graph, events, 'arn:aws:iam::111122223333:role/WebServerRole')).toEqual(
      sortedIds(9, [102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113]),
    );
  });

  it('chainOf(instance session ARN) covers that instance only', () => {
    expect(chainIds(graph, events, 'arn:aws:sts::111122223333:assumed-role/WebServerRole/i-0ffe1d2c3b4a59687')).toEqual(
      sortedIds(9, [112, 113]),
    );
  });

  it('a role under a path (Lambda service-role/) is named by its full ARN', () => {
    expect(chainIds(graph, events, 'arn:aws:iam::111122223333:role/service-role/thumbnailer-role-x1y2z3')).toEqual(
      sortedIds(9, [114, 115]),
    );
  });

  it('enrichment starts at the issuing service and names the AssumeRole as via', () => {
    const outside = graph.enrichment(byId(events, one(108)));
    expect(outside).toEqual({
      session: INSTANCE_SESSION,
      chain: [
        { session: 'aws-service:ec2.amazonaws.com', via: null },
        { session: INSTANCE_SESSION, via: one(102) },
      ],
      confidence: 'high',
    });
    const lambda = graph.enrichment(byId(events, one(115)));
    expect(lambda?.chain.map((link) => [link.session.split('@')[0], link.via])).toEqual([
      ['aws-service:lambda.amazonaws.com', null],
      ['assumed-role:arn:aws:sts::111122223333:assumed-role/thumbnailer-role-x1y2z3/thumbnailer', one(114)],
    ]);
  });

  it('a role chained from stolen instance credentials keeps the service at the origin', () => {
    const admin = graph.enrichment(byId(events, one(111)));
    expect(admin?.chain.map((link) => link.via)).toEqual([null, one(102), one(110)]);
    expect(admin?.chain[0]?.session).toBe('aws-service:ec2.amazonaws.com');
    expect(graph.warnings()).toEqual([]);
  });

  it('without any record of the session, the service hop alone still defines it', () => {
    const hopOnly = events.filter((event) => event['eventID'] === one(112));
    const alone = buildGraph(hopOnly);
    expect(chainIds(alone, hopOnly, 'ASIAWEBSERVERINST003')).toEqual([one(112)]);
  });

  it('a service AssumeRole without a usable roleArn or roleSessionName is not a hop', () => {
    const hop = structuredClone(byId(events, one(102)));
    hop['requestParameters'] = { roleArn: 'arn:aws:iam::111122223333:user/not-a-role', roleSessionName: 'x' };
    const broken = [hop, ...events.filter((event) => event['eventID'] !== one(102))];
    expect(chainIds(buildGraph(broken), broken, 'ASIAWEBSERVERINST001')).not.toContain(one(102));
  });
});

describe('the other AssumeRole* hops without assumedRoleUser (saml-and-web-identity.ndjson)', () => {
  const events = loadFixture('saml-and-web-identity.ndjson');

  it.each([
    [21, 22, 'ASIASAMLSESSION00001'],
    [23, 24, 'ASIAWEBSESSION000001'],
  ])('hop %i still issues the session its call %i uses, named from roleArn and roleSessionName', (hop, call, key) => {
    const stripped = events.map((event) => {
      if (event['eventID'] !== sortedIds(2, [hop])[0]) return event;
      const copy = structuredClone(event);
      delete (copy['responseElements'] as Record<string, unknown>)['assumedRoleUser'];
      return copy;
    });
    expect(chainIds(buildGraph(stripped), stripped, key)).toEqual(sortedIds(2, [hop, call]));
  });
});

describe('real stolen instance credentials (fixtures/real/stratus-detonation-logs)', () => {
  const REAL = new URL('../../fixtures/real/stratus-detonation-logs/ec2-steal-instance-credentials.instance-role.json', import.meta.url);
  const records = JSON.parse(readFileSync(REAL, 'utf8')) as JsonObject[];
  const identity = records[0]!['userIdentity'] as JsonObject;
  const context = identity['sessionContext'] as JsonObject;
  // The published log lacks the AssumeRole by ec2.amazonaws.com; build it from the records' own
  // fields, in the shape of the fixture's hop 102 (role from sessionIssuer, session name from the ARN,
  // the key, and creationDate as eventTime).
  const hop: JsonObject = {
    ...structuredClone(byId(loadFixture('stolen-instance-credentials.ndjson'), one(102))),
    eventID: 'constructed-ec2-assume-role',
    eventTime: (context['attributes'] as JsonObject)['creationDate']!,
    requestParameters: {
      roleArn: (context['sessionIssuer'] as JsonObject)['arn']!,
      roleSessionName: String(identity['arn']).split('/').at(-1)!,
    },
    responseElements: { credentials: { accessKeyId: identity['accessKeyId']!, expiration: 'Aug 2, 2024, 2:55:52 PM' } },
  };
  const events = [hop, ...records];
  const graph = buildGraph(events);

  it('the session derived from roleArn and roleSessionName is exactly the one the real records name', () => {
    const matcher = graph.chainMatcher('ASIAP5CT9NN8EYVU1FXV');
    expect(matcher.ok && events.filter(matcher.matches).length).toBe(3);
    for (const record of records) {
      expect(graph.enrichment(record).chain).toEqual([
        { session: 'aws-service:ec2.amazonaws.com', via: null },
        { session: graph.sessionOf(record), via: 'constructed-ec2-assume-role' },
      ]);
    }
  });

  it('chainOf(the role ARN) covers the real records and the hop', () => {
    expect(chainIds(graph, events, 'arn:aws:iam::017622104382:role/stratus-red-team-ec2-steal-credentials-role')).toEqual(
      [...records.map((record) => String(record['eventID'])), 'constructed-ec2-assume-role'].sort(),
    );
  });
});

describe('GetFederationToken without federatedUser (session-and-federation-tokens.ndjson)', () => {
  const events = loadFixture('session-and-federation-tokens.ndjson');

  it('names the federated user from requestParameters.name in the caller’s account, issued by the caller', () => {
    const stripped = events.map((event) => {
      if (event['eventName'] !== 'GetFederationToken') return event;
      const copy = structuredClone(event);
      delete (copy['responseElements'] as Record<string, unknown>)['federatedUser'];
      return copy;
    });
    const graph = buildGraph(stripped);
    expect(chainIds(graph, stripped, 'ASIAFEDERATED0000001')).toEqual(sortedIds(3, [33, 34]));
    expect(chainIds(graph, stripped, 'ASIAFEDERATED0000002')).toEqual(sortedIds(3, [35, 36]));
    expect(graph.enrichment(byId(stripped, sortedIds(3, [34])[0]!)).chain[0]!.session).toBe(
      'iam-user:arn:aws:iam::111122223333:user/carol#AKIACAROLLONGTERM001',
    );
  });
});
