import { describe, expect, it } from 'vitest';
import { sessionKeyOf } from '../../src/identity';
import type { JsonObject } from '../../src/language/json';
import { buildGraph, eventId, FIXTURE_NAMES, loadFixture, shuffled } from './support';

/** Every answer the graph gives about these events, in a form independent of input order. */
function answers(events: readonly JsonObject[]) {
  const graph = buildGraph(events);
  const sorted = [...events].sort((a, b) => (eventId(a) < eventId(b) ? -1 : 1));
  const arguments_ = new Set<string>();
  for (const event of sorted) {
    const key = sessionKeyOf(event);
    if (key) arguments_.add(key);
    const session = graph.sessionOf(event);
    if (session) arguments_.add(session);
    const accessKey = (event['userIdentity'] as JsonObject | undefined)?.['accessKeyId'];
    if (typeof accessKey === 'string' && accessKey !== '') arguments_.add(accessKey);
  }
  const chains = [...arguments_].sort().map((x) => {
    const matcher = graph.chainMatcher(x);
    return [x, matcher.ok ? sorted.filter(matcher.matches).map(eventId) : matcher.message];
  });
  return {
    sessions: sorted.map((event) => [eventId(event), graph.sessionOf(event)]),
    enrichment: sorted.map((event) => [eventId(event), graph.enrichment(event)]),
    chains,
    warnings: [...graph.warnings()],
  };
}

describe('answers do not depend on input order', () => {
  const all = FIXTURE_NAMES.flatMap(loadFixture);
  for (const [name, events] of [...FIXTURE_NAMES.map((file) => [file, loadFixture(file)] as const), ['all fixtures together', all] as const]) {
    it(`${name}: identical answers for 8 shuffles, including sessions used before their hop`, () => {
      const expected = answers(events);
      // The reversed order puts every session's use before the hop that created it.
      expect(answers([...events].reverse())).toEqual(expected);
      for (let seed = 1; seed <= 8; seed++) expect(answers(shuffled(events, seed * 7919))).toEqual(expected);
    });
  }

  it('the fixtures together still resolve each scenario on its own terms', () => {
    const graph = buildGraph(all);
    const matcher = graph.chainMatcher('ASIADEPLOYSESSION001');
    expect(matcher.ok && all.filter(matcher.matches).length).toBe(5);
    expect(graph.warnings()).toHaveLength(1);
  });
});
