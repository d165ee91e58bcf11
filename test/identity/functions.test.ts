import { describe, expect, it } from 'vitest';
import { ChainArgumentError, identityFunctions, sessionKeyOf } from '../../src/identity';
import { FUNCTION_SIGNATURES } from '../../src/language/functions';
import { buildGraph, byId, loadFixture, sortedIds } from './support';

const events = loadFixture('assume-role-chain.ndjson');

describe('identityFunctions', () => {
  it('without a graph supplies session() only, computed from the event alone', () => {
    const functions = identityFunctions(null);
    expect([...functions.keys()]).toEqual(['session']);
    const event = byId(events, sortedIds(1, [6])[0]!);
    expect(functions.get('session')!(event, [])).toBe(sessionKeyOf(event));
  });

  it('with a graph supplies every identity function the language declares', () => {
    const functions = identityFunctions(buildGraph(events));
    // The value functions (lower, cidr, …) are built into the language; the identity ones are supplied here.
    for (const [name, signature] of FUNCTION_SIGNATURES) expect(functions.has(name)).toBe(!signature.builtin);
  });

  it('with a graph, session() joins a key-less record to its session', () => {
    const session = identityFunctions(buildGraph(events)).get('session')!;
    expect(session(byId(events, sortedIds(1, [6])[0]!), [])).toBe(session(byId(events, sortedIds(1, [5])[0]!), []));
  });

  it('chainOf(x) is a boolean per event', () => {
    const chainOf = identityFunctions(buildGraph(events)).get('chainOf')!;
    const selected = events.filter((event) => chainOf(event, ['ASIADEPLOYSESSION001']) === true);
    expect(selected.map((event) => event['eventID']).sort()).toEqual(sortedIds(1, [2, 4, 5, 6, 7]));
  });

  it('chainOf with an argument that is no key, session key or ARN throws a ChainArgumentError', () => {
    const chainOf = identityFunctions(buildGraph(events)).get('chainOf')!;
    expect(() => chainOf(events[0]!, ['alice'])).toThrow(ChainArgumentError);
  });
});
