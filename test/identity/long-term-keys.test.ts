/**
 * An `AKIA…` key with a `sessionContext.attributes.creationDate` (long-term-key-with-creation-date.ndjson).
 * The rule (grammar/identity.md, "Long-term keys and creationDate"): the key ID says what signed the
 * request, so an AKIA record is the long-term key's session whatever its sessionContext says, except
 * when the record says it came from the console, which signs with temporary credentials only.
 */
import { describe, expect, it } from 'vitest';
import { sessionKeyOf } from '../../src/identity';
import { buildGraph, byId, chainIds, loadFixture, sortedIds } from './support';

const one = (n: number) => sortedIds(10, [n])[0]!;
const LONG_TERM = 'iam-user:arn:aws:iam::444455556666:user/JaneDoe#AKIAJANEDOELONGTERM1';
const CONSOLE = 'iam-user:arn:aws:iam::444455556666:user/JaneDoe@2014-07-15T21:39:40Z#console';

describe('AKIA keys that carry a creationDate', () => {
  const events = loadFixture('long-term-key-with-creation-date.ndjson');
  const graph = buildGraph(events);

  it('a long-term key is one session with or without a creationDate, whatever the date', () => {
    for (const n of [124, 125, 126]) expect(sessionKeyOf(byId(events, one(n)))).toBe(LONG_TERM);
    expect(chainIds(graph, events, 'AKIAJANEDOELONGTERM1')).toEqual(sortedIds(10, [124, 125, 126]));
  });

  it("the IAM guide's console example (AKIA placeholder, creationDate, invokedBy signin) is the console session", () => {
    expect(sessionKeyOf(byId(events, one(122)))).toBe(CONSOLE);
    expect(graph.sessionOf(byId(events, one(122)))).toBe(CONSOLE);
    expect(graph.sessionOf(byId(events, one(123)))).toBe(CONSOLE);
    expect(graph.enrichment(byId(events, one(122))).chain.map((link) => link.via)).toEqual([null, one(121)]);
  });

  it('chainOf the console example key selects the whole console session and its sign-in', () => {
    expect(chainIds(graph, events, 'AKIAI44QH8DHBEXAMPLE')).toEqual(sortedIds(10, [121, 122, 123]));
  });
});
