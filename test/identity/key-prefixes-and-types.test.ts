/**
 * Keys that are neither AKIA nor ASIA, and the `Role` and `Directory` identity types
 * (key-prefixes-and-types.ndjson; rules in grammar/identity.md, "Access key prefixes" and the type table).
 */
import { describe, expect, it } from 'vitest';
import { accessKeyKind, sessionKeyOf } from '../../src/identity';
import { buildGraph, byId, chainIds, loadFixture, sortedIds } from './support';

const one = (n: number) => sortedIds(12, [n])[0]!;
const KIM = 'arn:aws:iam::123456789012:user/kim';

describe('access key prefixes (IAM "Unique identifiers")', () => {
  it('AKIA is long-term, ASIA and ABIA temporary, ACCA and unlisted keys unknown; principal IDs and names are no key', () => {
    expect(accessKeyKind('AKIAIOSFODNN7EXAMPLE')).toBe('long-term');
    expect(accessKeyKind('ASIAIOSFODNN7EXAMPLE')).toBe('temporary');
    expect(accessKeyKind('ABIAIOSFODNN7EXAMPLE')).toBe('temporary');
    expect(accessKeyKind('ACCAIOSFODNN7EXAMPLE')).toBe('unknown');
    expect(accessKeyKind('0123456789ABCDEFGHIJ')).toBe('unknown');
    const notKeys = ['AIDAJ45Q7YFFAREXAMPLE', 'AROAIDPPEZS35WEXAMPLE', 'alice', 'AKIA', 'ASIAEXAMPLE', '0123456789abcdefghij'];
    for (const notAKey of [...notKeys, 'arn:aws:iam::1:user/a', 'A'.repeat(129)]) expect(accessKeyKind(notAKey)).toBeNull();
  });
});

describe('keys that are neither AKIA nor ASIA are kept, not written ?', () => {
  const events = loadFixture('key-prefixes-and-types.ndjson');
  const graph = buildGraph(events);

  it('a service bearer token (ABIA) with a creationDate is a temporary session keyed by it', () => {
    expect(sessionKeyOf(byId(events, one(131)))).toBe(`iam-user:${KIM}@2024-10-01T09:00:00Z#ABIAKIMBEARERTOKEN01`);
  });

  it('a key of no documented prefix without a creationDate is keyed like a long-term key: one session per key', () => {
    expect(sessionKeyOf(byId(events, one(132)))).toBe(`iam-user:${KIM}#0123456789ABCDEFGHIJ`);
    expect(graph.sessionOf(byId(events, one(133)))).toBe(`iam-user:${KIM}#0123456789ABCDEFGHIJ`);
  });

  it('a role session signed with an ACCA key keeps the key', () => {
    expect(sessionKeyOf(byId(events, one(134)))).toBe(
      'assumed-role:arn:aws:sts::123456789012:assumed-role/Ops/kim@2024-10-01T09:20:00Z#ACCAKIMCONTEXTCRED01',
    );
  });

  it('chainOf accepts each of these keys and selects its session', () => {
    expect(chainIds(graph, events, 'ABIAKIMBEARERTOKEN01')).toEqual(sortedIds(12, [131]));
    expect(chainIds(graph, events, '0123456789ABCDEFGHIJ')).toEqual(sortedIds(12, [132, 133]));
    expect(chainIds(graph, events, 'ACCAKIMCONTEXTCRED01')).toEqual(sortedIds(12, [134]));
    expect(graph.chainMatcher('ACCANOSUCHKEY0000001')).toMatchObject({ ok: true, targets: [] });
    expect(graph.chainMatcher('kim')).toMatchObject({ ok: false });
  });
});

describe('identity types Role and Directory (user identity page, type)', () => {
  const events = loadFixture('key-prefixes-and-types.ndjson');
  const graph = buildGraph(events);

  it('a Role identity is the role, keyed role:<role ARN>', () => {
    expect(sessionKeyOf(byId(events, one(135)))).toBe('role:arn:aws:iam::123456789012:role/Ops');
    expect(graph.enrichment(byId(events, one(135)))).toEqual({
      session: 'role:arn:aws:iam::123456789012:role/Ops',
      chain: [{ session: 'role:arn:aws:iam::123456789012:role/Ops', via: null }],
      confidence: 'high',
    });
  });

  it('a Directory identity is keyed directory:<account>/<principal ID>', () => {
    expect(sessionKeyOf(byId(events, one(136)))).toBe('directory:123456789012/S-1-5-21-1111111111-2222222222-3333333333-1104');
  });

  it("chainOf(the role's ARN) selects the role acting itself and its sessions", () => {
    expect(chainIds(graph, events, 'arn:aws:iam::123456789012:role/Ops')).toEqual(sortedIds(12, [134, 135]));
  });

  it('a session key of either type is a valid chainOf argument', () => {
    expect(chainIds(graph, events, 'role:arn:aws:iam::123456789012:role/Ops')).toEqual(sortedIds(12, [135]));
    expect(chainIds(graph, events, 'directory:123456789012/S-1-5-21-1111111111-2222222222-3333333333-1104')).toEqual(
      sortedIds(12, [136]),
    );
  });
});
