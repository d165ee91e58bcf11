/**
 * Expression-language benchmark, in-process over generated events (no data files):
 *   node scripts/run-ts.mjs bench/language.ts [--events 100000] [--runs 5]
 * Each line compares two ways of asking the same kind of question, measured in the same run:
 * - `in` with 5,000 values against `in` with 5 (a set lookup costs the same), and against the
 *   5,000 `==` joined by `or` that it replaces;
 * - a pattern on RE2 (linear time, what ctq runs) against the same pattern on JavaScript's
 *   backtracking RegExp (what it ran before), and a plain-word pattern on its substring fast path.
 */
import { compileExpression } from '../src/language';
import type { JsonObject } from '../src/language/json';
import { syntheticEvents } from '../test/support/synthetic-events';
import { median } from './timing';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const events = syntheticEvents({ count: option('--events', 100_000), seed: 11 });
const runs = option('--runs', 5);

function predicateOf(text: string): (event: JsonObject) => boolean {
  const compiled = compileExpression(text, new Map());
  if (!compiled.ok) throw new Error(`${text.slice(0, 60)}: ${compiled.error.message}`);
  return compiled.predicate;
}

/** Median milliseconds of one pass of `test` over every event, and how many it accepted. */
function time(test: (event: JsonObject) => boolean): { ms: number; hits: number } {
  const times: number[] = [];
  let hits = 0;
  for (let i = 0; i < runs + 1; i++) {
    const started = performance.now();
    hits = 0;
    for (const event of events) if (test(event)) hits++;
    if (i > 0) times.push(performance.now() - started);
  }
  return { ms: median(times), hits };
}

function compare(what: string, a: { label: string; test: (event: JsonObject) => boolean }, b: { label: string; test: (event: JsonObject) => boolean }): void {
  const ta = time(a.test);
  const tb = time(b.test);
  const perEvent = (ms: number) => `${((ms * 1e6) / events.length).toFixed(0)} ns/event`;
  console.log(`${what}: ${a.label} ${perEvent(ta.ms)}, ${b.label} ${perEvent(tb.ms)} — ${(tb.ms / ta.ms).toFixed(1)}× (same hits: ${ta.hits === tb.hits})`);
}

const names = [...new Set(events.map((event) => String(event.eventName)))];
// The event names that occur come last: an or-chain meets them only after the 5,000 - N others.
const big = [...Array.from({ length: 5000 - names.length }, (_, i) => `NoSuchEvent${i}`), ...names];
const small = names;
console.log(`\nExpression language: ${events.length} events, ${runs} runs, medians (in-process).`);
compare(
  `in, 5,000 values vs ${names.length}`,
  { label: '5,000 values', test: predicateOf(`$.eventName in ${JSON.stringify(big)}`) },
  { label: `${names.length} values`, test: predicateOf(`$.eventName in ${JSON.stringify(small)}`) },
);
compare(
  'in, 5,000 values vs 5,000 == joined by or',
  { label: 'in', test: predicateOf(`$.eventName in ${JSON.stringify(big)}`) },
  { label: 'or-chain', test: predicateOf(big.map((name) => `$.eventName == ${JSON.stringify(name)}`).join(' or ')) },
);
const pattern = '^(Get|List|Describe)[A-Z][a-z]+';
const native = new RegExp(pattern);
compare(
  `regex /${pattern}/`,
  { label: 'RE2 (ctq)', test: predicateOf(`$.eventName regex /${pattern}/`) },
  { label: 'RegExp', test: (event) => typeof event.eventName === 'string' && native.test(event.eventName) },
);
compare(
  'regex "Denied" (plain word: substring fast path)',
  { label: 'ctq', test: predicateOf('$.errorCode regex "Denied"') },
  { label: 'RegExp', test: (event) => typeof event.errorCode === 'string' && /Denied/.test(event.errorCode) },
);
