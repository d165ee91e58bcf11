/**
 * `--summary`'s grouping as plain data a scan worker can be sent, and the summary options built from it there.
 * The `--group-by` paths travel checked (their ASTs, see summary-plan.ts): a worker compiles them without
 * the parser, as it does the query (checked-query.ts).
 */
import type { IdentityGraph } from '../identity';
import { identityFunctions } from '../identity';
import { FUNCTION_SIGNATURES, readerOfOperand, type FunctionImplementation, type FunctionImplementations, type JsonObject, type JsonValue, type Operand } from '../language/runtime';
import { sessionIn } from '../output/match-record';
import type { GroupKey, SummaryOptions } from '../output/summary';
import { RULE_GROUP_KEYS } from '../rules/summary-by-rule';

/** One `--group-by` key: its text (the row key it is shown under) and its checked operand. */
export interface GroupPath {
  readonly name: string;
  readonly operand: Operand;
}

export interface SummarySpec {
  /** The `--group-by` keys, checked; null for the default grouping. */
  readonly groupBy: readonly GroupPath[] | null;
  /** Without `--group-by`, a run with rules has a row per rule. */
  readonly byRule: boolean;
}

/** The summary options of a checked spec, on any thread. */
export function summaryOptionsFrom(spec: SummarySpec): SummaryOptions {
  const groupBy = spec.groupBy !== null ? spec.groupBy.map(groupKeyOf) : spec.byRule ? [...RULE_GROUP_KEYS] : [];
  return Object.freeze({ sessionOf: (event: JsonObject, graph: IdentityGraph | null) => sessionIn(graph, event), groupBy: Object.freeze(groupBy) });
}

/** The grouping reads the identity graph: a key is a call (`session()`; the only calls a key may be, see checkValueReader). */
export function groupingReadsGraph(spec: SummarySpec): boolean {
  return spec.groupBy?.some((path) => path.operand.kind === 'call') === true;
}

/**
 * The identity functions that yield a value (`session()`), answered by `graph` (the event alone when null), as in
 * --match. A group key is checked before any event is read and compiled once per graph it meets.
 */
export function graphValueFunctions(graph: IdentityGraph | null): FunctionImplementations {
  const functions = identityFunctions(graph);
  const names = [...functions.keys()].filter((name) => FUNCTION_SIGNATURES.get(name)?.returns === 'string-or-null');
  return new Map(names.map((name): [string, FunctionImplementation] => [name, functions.get(name)!]));
}

function groupKeyOf({ name, operand }: GroupPath): GroupKey {
  // One graph per round (--follow builds a new one each time): only the latest reader is kept.
  let current: { readonly graph: IdentityGraph | null; readonly read: (event: JsonObject) => JsonValue } | null = null;
  const readerFor = (graph: IdentityGraph | null): ((event: JsonObject) => JsonValue) => {
    if (current === null || current.graph !== graph) current = { graph, read: readerOfOperand(operand, graphValueFunctions(graph)) };
    return current.read;
  };
  return { name, of: (event, graph) => readerFor(graph)(event) };
}
