/** Loading identity fixtures and asking the graph questions by eventID, for the identity tests. */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isJsonObject, type JsonObject } from '../../src/language/json';
import { IdentityGraphBuilder, type IdentityGraph } from '../../src/identity';

const FIXTURES = fileURLToPath(new URL('../../fixtures/identity/', import.meta.url));

/** Every scenario file in fixtures/identity, sorted. */
export const FIXTURE_NAMES: readonly string[] = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.ndjson'))
  .sort();

export function loadFixture(name: string): JsonObject[] {
  return readFileSync(FIXTURES + name, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const value: unknown = JSON.parse(line);
      if (!isJsonObject(value)) throw new Error(`${name}: not an object: ${line}`);
      return value;
    });
}

export function buildGraph(events: readonly JsonObject[]): IdentityGraph {
  const builder = new IdentityGraphBuilder();
  for (const event of events) builder.add(event);
  return builder.finish();
}

export function eventId(event: JsonObject): string {
  const id = event['eventID'];
  if (typeof id !== 'string') throw new Error('fixture event without eventID');
  return id;
}

/** eventID of fixture event number n of scenario s (the fixtures number their events that way). */
export function id(scenario: number, n: number): string {
  return `${scenario.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString().padStart(12, '0')}`;
}

/** The eventIDs chainOf(x) selects, sorted. */
export function chainIds(graph: IdentityGraph, events: readonly JsonObject[], x: string): string[] {
  const matcher = graph.chainMatcher(x);
  if (!matcher.ok) throw new Error(matcher.message);
  return events.filter(matcher.matches).map(eventId).sort();
}

export function sortedIds(scenario: number, ns: readonly number[]): string[] {
  return ns.map((n) => id(scenario, n)).sort();
}

/** Deterministic Fisher–Yates with a small LCG, so a failing seed can be replayed. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export function byId(events: readonly JsonObject[], wanted: string): JsonObject {
  const found = events.find((event) => eventId(event) === wanted);
  if (!found) throw new Error(`no event ${wanted}`);
  return found;
}
