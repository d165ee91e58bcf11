import { describe, expect, it } from 'vitest';
import { formatCloudTrailTime, IdentityGraphBuilder, parseCloudTrailTime, parseCredentialExpiration, sessionKeyOf } from '../../src/identity';
import type { JsonObject } from '../../src/language/json';
import { buildGraph, byId, chainIds, loadFixture, sortedIds } from './support';

const one = (scenario: number, n: number) => sortedIds(scenario, [n])[0]!;

describe('creationDate notations', () => {
  it('reads the documented basic notation and the usual extended notation as the same instant', () => {
    expect(parseCloudTrailTime('20131102T010628Z')).toBe(parseCloudTrailTime('2013-11-02T01:06:28Z'));
    expect(formatCloudTrailTime(parseCloudTrailTime('20131102T010628Z')!)).toBe('2013-11-02T01:06:28Z');
  });

  it('refuses impossible dates and other notations', () => {
    expect(parseCloudTrailTime('2019-02-30T00:00:00Z')).toBeNull();
    expect(parseCloudTrailTime('Oct 2, 2019, 11:01:00 AM')).toBeNull();
    expect(parseCloudTrailTime('')).toBeNull();
  });
});

describe('credential expiration', () => {
  it("reads the form CloudTrail writes in responseElements.credentials.expiration, in UTC", () => {
    // IAM cloudtrail-integration.md, role chaining example: eventTime 22:12:29Z, durationSeconds 3600.
    expect(parseCredentialExpiration('Oct 2, 2019, 11:12:29 PM')).toBe(parseCloudTrailTime('2019-10-02T23:12:29Z'));
    expect(parseCredentialExpiration('Jul 18, 2014, 12:07:39 AM')).toBe(parseCloudTrailTime('2014-07-18T00:07:39Z'));
    expect(parseCredentialExpiration('Jul 18, 2014, 12:07:39 PM')).toBe(parseCloudTrailTime('2014-07-18T12:07:39Z'));
    expect(parseCredentialExpiration('2019-10-02T23:12:29Z')).toBe(parseCloudTrailTime('2019-10-02T23:12:29Z'));
  });

  it('refuses impossible dates and other text', () => {
    expect(parseCredentialExpiration('Feb 30, 2019, 1:00:00 AM')).toBeNull();
    expect(parseCredentialExpiration('Feb 3, 2019, 13:00:00 PM')).toBeNull();
    expect(parseCredentialExpiration('tomorrow')).toBeNull();
  });
});

describe('session keys from one event', () => {
  const chain = loadFixture('assume-role-chain.ndjson');

  it('gives the same key to the two creationDate notations of one session', () => {
    const basic = byId(chain, one(1, 5));
    const extended = structuredClone(basic) as JsonObject;
    (((extended['userIdentity'] as JsonObject)['sessionContext'] as JsonObject)['attributes'] as JsonObject)['creationDate'] =
      '2019-10-02T10:05:00Z';
    expect(sessionKeyOf(basic)).toBe(sessionKeyOf(extended));
    expect(sessionKeyOf(basic)).toBe(
      'assumed-role:arn:aws:sts::111122223333:assumed-role/Deploy/deploy@2019-10-02T10:05:00Z#ASIADEPLOYSESSION001',
    );
  });

  it('a long-term key is its own session', () => {
    expect(sessionKeyOf(byId(chain, one(1, 1)))).toBe('iam-user:arn:aws:iam::111122223333:user/alice#AKIAALICELONGTERM001');
  });

  it('an empty or absent accessKeyId never yields a shared empty-key session', () => {
    const empty = sessionKeyOf(byId(chain, one(1, 6)));
    expect(empty).toBe('assumed-role:arn:aws:sts::111122223333:assumed-role/Deploy/deploy@2019-10-02T10:05:00Z#?');
    expect(empty).not.toMatch(/#$/);
  });

  it('with the graph, key-less records join the one keyed session of the same principal and second', () => {
    const graph = buildGraph(chain);
    const keyed = graph.sessionOf(byId(chain, one(1, 5)));
    expect(graph.sessionOf(byId(chain, one(1, 6)))).toBe(keyed);
    expect(graph.sessionOf(byId(chain, one(1, 7)))).toBe(keyed);
  });

  it('one session per identity type, null without an identity', () => {
    const events = loadFixture('identity-types.ndjson');
    const keys = events.map(sessionKeyOf);
    expect(keys).toEqual([
      'aws-service:cloudtrail.amazonaws.com',
      'identity-center-user:arn:aws:identitystore::123456789012:identitystore/d-9067642ac7/544894e8-80c1-707f-60e3-3ba6510dfac1#EXAMPLEVHULjJdTUdPJfofVa1sufHDoj7aYcOYcxFVllWR_Whr1fEXAMPLE',
      'unknown:AIDAUNKNOWNEXAMPLE01',
      'root:arn:aws:iam::123456789012:root#AKIAROOTLONGTERM0002',
      'root:arn:aws:iam::123456789012:root@2024-08-01T00:04:00Z#console',
      null,
      'iam-user:arn:aws:iam::123456789012:user/HIDDEN_DUE_TO_SECURITY_REASONS',
    ]);
  });

  it('the other fixtures give every AWSAccount, SAMLUser and WebIdentityUser record a session', () => {
    const events = [...loadFixture('saml-and-web-identity.ndjson'), ...loadFixture('cross-account-assume-role.ndjson')];
    for (const event of events) expect(sessionKeyOf(event)).not.toBeNull();
  });
});

describe('console sessions (console-switch-role.ndjson)', () => {
  const events = loadFixture('console-switch-role.ndjson');
  const graph = buildGraph(events);
  const session = (n: number) => graph.sessionOf(byId(events, one(4, n)));

  it('calls from one console sign-in in several regions, each with its own key, are one session', () => {
    expect(sessionKeyOf(byId(events, one(4, 42)))).toBe(sessionKeyOf(byId(events, one(4, 43))));
    expect(session(42)).toBe('iam-user:arn:aws:iam::111122223333:user/dave@2024-03-01T09:00:00Z#console');
    expect(session(43)).toBe(session(42));
    // The console's own AssumeRole is signed with yet another key of that session and no console flag.
    expect(session(45)).toBe(session(42));
  });

  it('console records without a creationDate are told apart by their keys, not merged', () => {
    const withoutDate = (n: number) => {
      const copy = structuredClone(byId(events, one(4, n))) as JsonObject;
      delete (copy['userIdentity'] as JsonObject)['sessionContext'];
      return copy;
    };
    expect(sessionKeyOf(withoutDate(42))).toBe('iam-user:arn:aws:iam::111122223333:user/dave@?#ASIADAVECONSOLEUSE01');
    expect(sessionKeyOf(withoutDate(43))).not.toBe(sessionKeyOf(withoutDate(42)));
  });

  it("chainOf accepts the key session() gives without the graph, for a record the graph names otherwise", () => {
    const ownKey = sessionKeyOf(byId(events, one(4, 45)))!;
    expect(ownKey).toBe('iam-user:arn:aws:iam::111122223333:user/dave@2024-03-01T09:00:00Z#ASIADAVEINTERNAL0001');
    expect(chainIds(graph, events, ownKey)).toEqual(chainIds(graph, events, 'ASIADAVECONSOLEUSE01'));
  });

  it('a later sign-in of the same user is another session', () => {
    expect(session(51)).not.toBe(session(42));
  });

  it('the switched-to role session is one session across regions and the SwitchRole record', () => {
    expect(session(49)).toBe(session(48));
    expect(session(47)).toBe(session(48));
    expect(session(48)).toBe('assumed-role:arn:aws:sts::222233334444:assumed-role/Admin/dave@2024-03-01T09:10:00Z#console');
  });

  it("chainOf(a role console key) is the role session, every record of the switch, and the user's sign-in", () => {
    const ids = (x: string) => chainIds(graph, events, x);
    expect(ids('ASIAADMINCONSAPS0001')).toEqual(sortedIds(4, [41, 44, 45, 46, 47, 48, 49]));
    expect(ids('ASIADAVECONSOLEUSE01')).toEqual(sortedIds(4, [41, 42, 43, 44, 45, 46, 47, 48, 49]));
    expect(ids('arn:aws:iam::111122223333:user/dave')).toEqual(sortedIds(4, [41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51]));
  });

  it('the switch is explained without ambiguity: user, console sign-in, SwitchRole', () => {
    const enrichment = graph.enrichment(byId(events, one(4, 49)));
    expect(enrichment).toEqual({
      session: 'assumed-role:arn:aws:sts::222233334444:assumed-role/Admin/dave@2024-03-01T09:10:00Z#console',
      chain: [
        { session: 'iam-user:arn:aws:iam::111122223333:user/dave', via: null },
        { session: 'iam-user:arn:aws:iam::111122223333:user/dave@2024-03-01T09:00:00Z#console', via: one(4, 41) },
        {
          session: 'assumed-role:arn:aws:sts::222233334444:assumed-role/Admin/dave@2024-03-01T09:10:00Z#console',
          via: one(4, 44),
        },
      ],
      confidence: 'high',
    });
    expect(graph.warnings()).toEqual([]);
  });
});

describe('recycled keys (recycled-key.ndjson)', () => {
  const events = loadFixture('recycled-key.ndjson');
  const graph = buildGraph(events);

  it('two sessions that got the same ASIA key at different times stay apart', () => {
    expect(graph.sessionOf(byId(events, one(6, 72)))).not.toBe(graph.sessionOf(byId(events, one(6, 74))));
    const ids = (x: string) => chainIds(graph, events, x);
    expect(ids('AKIAFRANKLONGTERM001')).toEqual(sortedIds(6, [71, 72]));
    expect(ids('AKIAGRACELONGTERM001')).toEqual(sortedIds(6, [73, 74]));
    expect(ids('ASIARECYCLEDKEY00001')).toEqual(sortedIds(6, [71, 72, 73, 74]));
    expect(graph.warnings()).toEqual([]);
  });
});

describe('indistinguishable sessions (colliding-key.ndjson)', () => {
  const events = loadFixture('colliding-key.ndjson');
  const graph = buildGraph(events);
  const ids = (x: string) => chainIds(graph, events, x);

  it("attributes the session's events to every candidate caller", () => {
    expect(ids('AKIAHEIDILONGTERM001')).toEqual(sortedIds(7, [81, 82, 83, 84, 85]));
    expect(ids('AKIAIVANLONGTERM0001')).toEqual(sortedIds(7, [81, 82, 83, 84]));
  });

  it('marks each such event low-confidence and names both candidates', () => {
    for (const n of [83, 84]) {
      const enrichment = graph.enrichment(byId(events, one(7, n)));
      expect(enrichment?.confidence).toBe('ambiguous');
      expect(enrichment?.candidates).toEqual([
        'iam-user:arn:aws:iam::111122223333:user/heidi#AKIAHEIDILONGTERM001',
        'iam-user:arn:aws:iam::111122223333:user/ivan#AKIAIVANLONGTERM0001',
      ]);
    }
    expect(graph.enrichment(byId(events, one(7, 85)))?.confidence).toBe('high');
  });

  it('warns once, naming the key and the candidates and no credential beyond key IDs', () => {
    const warnings = graph.warnings();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('ASIACOLLIDINGKEY0001');
    expect(warnings[0]).toContain('user/heidi#AKIAHEIDILONGTERM001');
    expect(warnings[0]).toContain('user/ivan#AKIAIVANLONGTERM0001');
    expect(warnings[0]).not.toContain('sessionToken');
    expect(warnings[0]).not.toContain('IQoJ');
  });
});

describe('memory', () => {
  it('the builder keeps one entry per session, however many events use it', () => {
    const event = loadFixture('assume-role-chain.ndjson')[2]!;
    const builder = new IdentityGraphBuilder();
    for (let i = 0; i < 10_000; i++) builder.add({ ...event, eventID: `e-${i}` });
    expect(builder.size()).toEqual({ sessions: 1, hops: 0 });
  });
});
