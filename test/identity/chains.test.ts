import { describe, expect, it } from 'vitest';
import { sessionKeyOf } from '../../src/identity';
import { buildGraph, byId, chainIds, loadFixture, sortedIds } from './support';

describe('role chaining (assume-role-chain.ndjson)', () => {
  const events = loadFixture('assume-role-chain.ndjson');
  const graph = buildGraph(events);

  it("chainOf(origin AKIA key) is the whole tree grown from that key and nothing else", () => {
    expect(chainIds(graph, events, 'AKIAALICELONGTERM001')).toEqual(sortedIds(1, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
  });

  it('chainOf(leaf ASIA key) is the leaf activity plus the hops that explain it', () => {
    expect(chainIds(graph, events, 'ASIADEPLOYSESSION001')).toEqual(sortedIds(1, [2, 4, 5, 6, 7]));
  });

  it('chainOf(middle session) covers its descendants but not its siblings or its parent activity', () => {
    expect(chainIds(graph, events, 'ASIAADMINSESSION0001')).toEqual(sortedIds(1, [2, 3, 4, 5, 6, 7, 10]));
  });

  it('a session ARN, a role ARN and a session key name the same chain as the key', () => {
    const byKey = chainIds(graph, events, 'ASIADEPLOYSESSION001');
    expect(chainIds(graph, events, 'arn:aws:sts::111122223333:assumed-role/Deploy/deploy')).toEqual(byKey);
    expect(chainIds(graph, events, 'arn:aws:iam::111122223333:role/Deploy')).toEqual(byKey);
    const key = graph.sessionOf(byId(events, sortedIds(1, [5])[0]!));
    expect(key).not.toBeNull();
    expect(chainIds(graph, events, key!)).toEqual(byKey);
    // The key-less record's own key, as session() gives it without the graph, names the same session.
    expect(chainIds(graph, events, sessionKeyOf(byId(events, sortedIds(1, [6])[0]!))!)).toEqual(byKey);
  });

  it('enrichment names the chain origin first with the hop that created each session', () => {
    const enrichment = graph.enrichment(byId(events, sortedIds(1, [5])[0]!));
    expect(enrichment?.confidence).toBe('high');
    expect(enrichment?.chain.map((link) => link.via)).toEqual([null, sortedIds(1, [2])[0], sortedIds(1, [4])[0]]);
    expect(enrichment?.chain[0]?.session).toBe('iam-user:arn:aws:iam::111122223333:user/alice#AKIAALICELONGTERM001');
    expect(enrichment?.chain[2]?.session).toBe(
      'assumed-role:arn:aws:sts::111122223333:assumed-role/Deploy/deploy@2019-10-02T10:05:00Z#ASIADEPLOYSESSION001',
    );
  });

  it('keysOfChain lists the access keys and hop events of the chain', () => {
    const result = graph.keysOfChain('ASIADEPLOYSESSION001');
    if (!result.ok) throw new Error(result.message);
    const { keys } = result;
    expect(keys.accessKeyIds).toEqual(['AKIAALICELONGTERM001', 'ASIAADMINSESSION0001', 'ASIADEPLOYSESSION001']);
    expect(keys.hopEventIds).toEqual(sortedIds(1, [2, 4]));
  });

  it('a malformed chainOf argument is refused with a message saying what is expected', () => {
    const result = graph.chainMatcher('alice');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/access key ID .*session key.*ARN/);
  });

  it('an unknown but well-formed key matches nothing and reports no targets', () => {
    const result = graph.chainMatcher('ASIANOSUCHKEY0000001');
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.targets).toEqual([]);
      expect(events.filter(result.matches)).toEqual([]);
    }
  });
});

describe('federation (saml-and-web-identity.ndjson)', () => {
  const events = loadFixture('saml-and-web-identity.ndjson');
  const graph = buildGraph(events);

  it('AssumeRoleWithSAML links the SAML user to the role session', () => {
    expect(chainIds(graph, events, 'ASIASAMLSESSION00001')).toEqual(sortedIds(2, [21, 22]));
    expect(chainIds(graph, events, 'saml-user:SampleUkh1i4+ExamplexL/jEvs=:SamlExample')).toEqual(sortedIds(2, [21, 22]));
  });

  it('AssumeRoleWithWebIdentity links the web identity to the role session', () => {
    expect(chainIds(graph, events, 'ASIAWEBSESSION000001')).toEqual(sortedIds(2, [23, 24]));
    const enrichment = graph.enrichment(byId(events, sortedIds(2, [24])[0]!));
    expect(enrichment?.chain[0]?.session).toBe(
      'web-identity-user:accounts.google.com:app-1234.apps.googleusercontent.com:user-5678',
    );
  });
});

describe('GetSessionToken and GetFederationToken (session-and-federation-tokens.ndjson)', () => {
  const events = loadFixture('session-and-federation-tokens.ndjson');
  const graph = buildGraph(events);

  it('federated sessions with the same name and second but different issuers stay apart', () => {
    expect(chainIds(graph, events, 'AKIACAROLLONGTERM001')).toEqual(sortedIds(3, [31, 32, 33, 34]));
    expect(chainIds(graph, events, 'AKIAROOTLONGTERM0001')).toEqual(sortedIds(3, [35, 36]));
    const a = graph.sessionOf(byId(events, sortedIds(3, [34])[0]!));
    const b = graph.sessionOf(byId(events, sortedIds(3, [36])[0]!));
    expect(a).not.toEqual(b);
    expect(a).toBe(
      'federated-user:arn:aws:sts::111122223333:federated-user/partner~arn:aws:iam::111122223333:user/carol@2024-02-10T14:00:00Z#ASIAFEDERATED0000001',
    );
  });

  it("GetSessionToken's session is a session of the same IAM user, descending from the long-term key", () => {
    expect(chainIds(graph, events, 'ASIACAROLSESSION0001')).toEqual(sortedIds(3, [31, 32]));
  });
});

describe('cross-account AssumeRole (cross-account-assume-role.ndjson)', () => {
  const all = loadFixture('cross-account-assume-role.ndjson');
  const [callerCopy, roleAccountCopy] = sortedIds(5, [62, 63]);
  const without = (dropped: string) => all.filter((event) => event['eventID'] !== dropped);

  it('with both copies, the two records are one hop and both are in the chain', () => {
    const graph = buildGraph(all);
    expect(chainIds(graph, all, 'AKIAERINLONGTERM0001')).toEqual(sortedIds(5, [61, 62, 63, 64, 65]));
    expect(chainIds(graph, all, 'ASIAEC2DEVSESSION001')).toEqual(sortedIds(5, [62, 63, 64, 65]));
    const enrichment = graph.enrichment(byId(all, sortedIds(5, [64])[0]!));
    expect(enrichment?.chain.map((link) => link.via)).toEqual([null, callerCopy]);
    expect(graph.warnings()).toEqual([]);
  });

  it("with the caller's copy only, the role session still descends from the user's key", () => {
    const events = without(roleAccountCopy!);
    const graph = buildGraph(events);
    expect(chainIds(graph, events, 'AKIAERINLONGTERM0001')).toEqual(sortedIds(5, [61, 62, 64, 65]));
  });

  it("with the role account's copy only, the session descends from the calling account's principal", () => {
    const events = without(callerCopy!);
    const graph = buildGraph(events);
    expect(chainIds(graph, events, 'ASIAEC2DEVSESSION001')).toEqual(sortedIds(5, [63, 64, 65]));
    expect(chainIds(graph, events, 'AKIAERINLONGTERM0001')).toEqual(sortedIds(5, [61]));
    const enrichment = graph.enrichment(byId(events, sortedIds(5, [64])[0]!));
    expect(enrichment?.chain[0]).toEqual({ session: 'aws-account:777788889999/AIDAERINEXAMPLE00001', via: null });
  });
});
