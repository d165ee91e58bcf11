/**
 * Pass one of identity queries runs on every core: workers gather each chunk's sessions and hops as
 * plain data and the main thread merges them. The merged graph must be the graph of the events.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IdentityFactsGatherer, IdentityGraphBuilder } from '../../src/identity';
import type { JsonObject } from '../../src/language/json';
import { Rng } from '../support/synthetic-events';

const dir = 'fixtures/identity';
const events: JsonObject[] = readdirSync(dir)
  .filter((name) => name.endsWith('.ndjson'))
  .flatMap((name) =>
    readFileSync(join(dir, name), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as JsonObject),
  );

describe('identity facts gathered in pieces', () => {
  it('merge into the same graph as adding every event, however the events are split and ordered', () => {
    const direct = new IdentityGraphBuilder();
    for (const event of events) direct.add(event);
    const want = direct.finish();
    expect(events.length).toBeGreaterThan(20);
    for (let seed = 1; seed <= 10; seed++) {
      const rng = new Rng(seed);
      const merged = new IdentityGraphBuilder();
      const gatherer = new IdentityFactsGatherer();
      // Chunks in any order (workers finish when they finish); facts are plain data (structured clone).
      const chunks: JsonObject[][] = [];
      for (let at = 0; at < events.length; ) {
        const n = 1 + rng.int(7);
        chunks.push(events.slice(at, at + n));
        at += n;
      }
      chunks.sort(() => rng.next() - 0.5);
      for (const chunk of chunks) {
        for (const event of chunk) gatherer.add(event);
        merged.addFacts(structuredClone(gatherer.take()));
      }
      const got = merged.finish();
      for (const event of events) expect(got.enrichment(event), `seed ${seed}`).toEqual(want.enrichment(event));
    }
  });
});

describe("a builder's merged facts", () => {
  // Pass two's workers rebuild the graph from these (sent once, as a structured clone).
  it('rebuild the same graph: every enrichment and warning', () => {
    const original = new IdentityGraphBuilder();
    for (const event of events) original.add(event);
    // The same hop read twice (overlapping inputs) stays one copy through the round trip.
    for (const event of events.slice(0, 10)) original.add(event);
    const want = original.finish();
    const rebuilt = new IdentityGraphBuilder();
    rebuilt.addFacts(structuredClone(original.facts()));
    expect(rebuilt.size()).toEqual(original.size());
    const got = rebuilt.finish();
    expect(got.warnings()).toEqual(want.warnings());
    for (const event of events) expect(got.enrichment(event)).toEqual(want.enrichment(event));
  });
});
