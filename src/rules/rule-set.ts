/**
 * Many rules compiled into one test per event: the query a `--rules`/`--sigma` run scans with. An event
 * is kept when at least one rule matches it, and is written once with the ids of every rule that did.
 */
import {
  compileExpr,
  literalNeedles,
  needleStrength,
  type Expr,
  type FunctionImplementations,
  type JsonObject,
  type LiteralNeedles,
  type RecordPrefilter,
} from '../language/runtime';
import { parseActions, type ActionSelection } from '../selection';
import { topLevelMembersRead } from './members-read';
import { gatedRule, recordGate } from './record-gate';
import type { RuleSpec } from './rule';

export interface CompiledRule {
  readonly spec: RuleSpec;
  readonly selection: ActionSelection;
  readonly expressions: readonly Expr[];
  /** Whether the rule matches `event`: its actions select it and every match expression holds. */
  test(event: JsonObject): boolean;
  /** The match expressions alone, for a caller that knows the actions select the event. */
  holds(event: JsonObject): boolean;
}

export interface RuleSet {
  readonly rules: readonly CompiledRule[];
  /**
   * Literals one of which an event's raw text must contain for any rule to match, or null. Sound: a
   * rule with no required literal makes the whole set null.
   */
  readonly literal: LiteralNeedles | null;
  /**
   * A per-record gate on the raw bytes (record-gate.ts): the rules an event's eventSource and eventName
   * select, each with its own literal, instead of every rule's literal at once. Null when it could
   * rule nothing out.
   */
  readonly gate: RecordPrefilter | null;
  /** The rules that match `event`, in rule order (the same array for repeated calls on one event). */
  matching(event: JsonObject): readonly CompiledRule[];
}

/**
 * A rule whose expressions were parsed and checked (compile-rule.ts), as plain data: what a scan
 * worker is sent and compiles without the parser.
 */
export interface CheckedRule {
  readonly spec: RuleSpec;
  readonly expressions: readonly Expr[];
}

/** A rule whose actions parse and whose expressions were checked with these functions → its test. */
export function ruleOf(spec: RuleSpec, selection: ActionSelection, expressions: readonly Expr[], functions: FunctionImplementations): CompiledRule {
  const predicates = expressions.map((expr) => compileExpr(expr, functions));
  const holds = (event: JsonObject): boolean => {
    for (const predicate of predicates) if (!predicate(event)) return false;
    return true;
  };
  const test = (event: JsonObject): boolean => selection.matches(event.eventSource, event.eventName) && holds(event);
  return { spec, selection, expressions, test, holds };
}

/** Rules checked already (on another thread, say) compiled into one set; a rule whose actions fail here is a bug. */
export function checkedRuleSet(rules: readonly CheckedRule[], functions: FunctionImplementations): RuleSet {
  return makeRuleSet(
    rules.map(({ spec, expressions }) => {
      const parsed = parseActions(spec.actions);
      if (!parsed.ok) throw new Error(`rule '${spec.id}' failed to compile after it was checked (actions)`);
      return ruleOf(spec, parsed.selection, expressions, functions);
    }),
  );
}

export function makeRuleSet(rules: readonly CompiledRule[]): RuleSet {
  const candidatesOf = candidateIndex(rules);
  let lastEvent: JsonObject | null = null;
  let lastMatches: readonly CompiledRule[] = [];
  const none: readonly CompiledRule[] = [];
  return {
    rules,
    literal: unionOfNeedles(rules),
    gate: recordGate(rules.map((rule) => gatedRule(rule.selection, strongestNeedles(rule), topLevelMembersRead(rule.expressions), rule.holds))),
    matching(event) {
      // The scan asks once to decide and once to annotate: the second answer is the first.
      if (event === lastEvent) return lastMatches;
      let found: CompiledRule[] | null = null;
      for (const rule of candidatesOf(event.eventSource)) if (rule.test(event)) (found ??= []).push(rule);
      lastEvent = event;
      lastMatches = found ?? none;
      return lastMatches;
    },
  };
}

/**
 * The rules worth testing on an event, by its eventSource: a rule whose every action names a service
 * (`iam:*`, `s3:GetObject`) can only match the event sources of those services (its selection checks
 * exactly that), so 50 rules over a dozen services cost a handful of tests per event, not 50. Rules
 * with a service glob or `*:*` are tested on every event. Rule order is kept.
 */
function candidateIndex(rules: readonly CompiledRule[]): (eventSource: unknown) => readonly CompiledRule[] {
  const always: number[] = [];
  const bySource = new Map<string, number[]>();
  rules.forEach((rule, index) => {
    const actions = rule.selection.actions;
    if (actions.length === 0 || actions.some((a) => a.matchesAll || !a.sourcesComplete || a.eventSources.length === 0)) {
      always.push(index);
      return;
    }
    for (const source of new Set(actions.flatMap((a) => a.eventSources))) bySource.set(source, [...(bySource.get(source) ?? []), index]);
  });
  const anySource = always.map((i) => rules[i]!);
  const merged = new Map<string, readonly CompiledRule[]>();
  return (eventSource) => {
    if (typeof eventSource !== 'string') return anySource;
    const source = eventSource.toLowerCase();
    let candidates = merged.get(source);
    if (candidates === undefined) {
      const indexes = [...(bySource.get(source) ?? []), ...always].sort((a, b) => a - b);
      candidates = indexes.map((i) => rules[i]!);
      // Event sources come from the input: keep the cache bounded whatever it holds.
      if (merged.size < 10_000) merged.set(source, candidates);
    }
    return candidates;
  };
}

/**
 * Past this many needles the search costs as much as parsing every line (each needle is one native
 * search through the input: 23 needles took as long as parsing 20 MB of NDJSON), so the set steps
 * aside, as the language's own pre-filter does past its limit (prefilter.ts, MAX_NEEDLES).
 */
const MAX_RULE_NEEDLES = 32;

/** An event must hold one literal of SOME rule: the union of each rule's strongest requirement. */
function unionOfNeedles(rules: readonly CompiledRule[]): LiteralNeedles | null {
  if (rules.length === 0) return null;
  const needles = new Set<string>();
  const escapes = new Set<string>();
  for (const rule of rules) {
    const best = strongestNeedles(rule);
    if (best === null) return null;
    best.needles.forEach((n) => needles.add(n));
    best.escapes.forEach((e) => escapes.add(e));
  }
  return needles.size > MAX_RULE_NEEDLES ? null : { needles: [...needles], escapes: [...escapes] };
}

/** The rule's expressions are ANDed: any one's requirement holds for every match; the most selective is kept. */
function strongestNeedles(rule: CompiledRule): LiteralNeedles | null {
  let best: LiteralNeedles | null = null;
  for (const expr of rule.expressions) {
    const found = literalNeedles(expr);
    if (found !== null && (best === null || needleStrength(found) > needleStrength(best))) best = found;
  }
  return best;
}
