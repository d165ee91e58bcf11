/**
 * `--summary`'s options from plain data: the group keys (`--group-by`'s JSONPaths, or the rule a match
 * is for) and how an event's session is found. The plan checks them; a scan worker builds the same
 * options from the same spec, so it can fold its matches into pieces of the summary itself (see
 * output/summary.ts, `SummaryPartial`) rather than send them back as text to be parsed again.
 */
import type { IdentityGraph } from '../identity';
import { identityFunctions } from '../identity';
import { compileValueReader, renderExpressionError } from '../language';
import { FUNCTION_SIGNATURES, type FunctionImplementation, type FunctionImplementations } from '../language/functions';
import type { JsonObject, JsonValue } from '../language/json';
import { sessionIn } from '../output/match-record';
import type { GroupKey, SummaryOptions } from '../output/summary';
import { TERMINAL } from '../output/terminal-safe';
import { RULE_GROUP_KEYS } from '../rules/summary-by-rule';
import { splitTopLevel } from './split-list';

/** What `--summary` groups by, as plain data a worker can be sent. */
export interface SummarySpec {
  /** `--group-by`'s text, or null for the default grouping. */
  readonly groupBy: string | null;
  /** Without `--group-by`, a run with rules has a row per rule. */
  readonly byRule: boolean;
}

export type SummaryOptionsResult =
  | { readonly ok: true; readonly options: SummaryOptions }
  /** `terminalSafe`: rendered for a terminal already (a path with its caret). */
  | { readonly ok: false; readonly message: string; readonly terminalSafe: boolean };

export function summaryOptionsOf(spec: SummarySpec): SummaryOptionsResult {
  const groupBy = spec.groupBy !== null ? parseGroupBy(spec.groupBy) : spec.byRule ? [...RULE_GROUP_KEYS] : [];
  if (!Array.isArray(groupBy)) return groupBy;
  return {
    ok: true,
    options: Object.freeze({ sessionOf: (event: JsonObject, graph: IdentityGraph | null) => sessionIn(graph, event), groupBy: Object.freeze(groupBy) }),
  };
}

/** The grouping reads the identity graph (`session()` in a `--group-by` path). */
export function groupingReadsGraph(spec: SummarySpec): boolean {
  if (spec.groupBy === null) return false;
  // A path that compiles without the identity functions calls none of them.
  return splitTopLevel(spec.groupBy).some((path) => !compileValueReader(path, new Map()).ok);
}

/** The options of a spec the plan has checked (what a scan thread builds them from); a bug if it does not compile. */
export function summaryOptionsFrom(spec: SummarySpec): SummaryOptions {
  const made = summaryOptionsOf(spec);
  if (!made.ok) throw new Error(`--summary failed to compile after it was checked: ${made.message}`);
  return made.options;
}

/**
 * The identity functions that yield a value (`session()`), answered by `graph` (the event alone when null), as in
 * --match. A group key is checked before any event is read and compiled once per graph it meets.
 */
function graphValueFunctions(graph: IdentityGraph | null): FunctionImplementations {
  const functions = identityFunctions(graph);
  const names = [...functions.keys()].filter((name) => FUNCTION_SIGNATURES.get(name)?.returns === 'string-or-null');
  return new Map(names.map((name): [string, FunctionImplementation] => [name, functions.get(name)!]));
}

function parseGroupBy(text: string): GroupKey[] | { readonly ok: false; readonly message: string; readonly terminalSafe: boolean } {
  const keys: GroupKey[] = [];
  for (const path of splitTopLevel(text)) {
    const checked = compileValueReader(path, graphValueFunctions(null));
    if (!checked.ok) return { ok: false, message: renderExpressionError(path, checked.error, '--group-by', TERMINAL), terminalSafe: true };
    // One graph per round (--follow builds a new one each time): only the latest reader is kept.
    let current: { readonly graph: IdentityGraph | null; readonly read: (event: JsonObject) => JsonValue } = { graph: null, read: checked.read };
    const readerFor = (graph: IdentityGraph | null): ((event: JsonObject) => JsonValue) => {
      if (current.graph !== graph) {
        const compiled = compileValueReader(path, graphValueFunctions(graph));
        if (!compiled.ok) throw new Error(`--group-by ${path} failed to compile after it was checked`);
        current = { graph, read: compiled.read };
      }
      return current.read;
    };
    keys.push({ name: path, of: (event, graph) => readerFor(graph)(event) });
  }
  if (keys.length === 0) return { ok: false, message: '--group-by: expected one or more comma-separated JSONPaths (or session())', terminalSafe: false };
  return keys;
}
