/**
 * A checked query → the compiled query: the selection, the expressions' predicates, the rules, the
 * literal pre-filter and the output lines. The expressions arrive as ASTs already checked (query.ts
 * parses them): nothing here loads the parser, so a scan worker compiles the copy it is sent.
 */
import { compileExpr, literalNeedles, needleStrength, type Expr, type FunctionImplementations, type JsonObject, type JsonValue, type LiteralNeedles, type RecordPrefilter } from '../language/runtime';
import { MatchRecord } from '../output/match-record';
import { checkedRuleSet, type CheckedRule, type RuleSet } from '../rules/rule-set';
import { parseActions, selectsEveryEvent, type ActionSelection } from '../selection';
import type { QuerySpec } from './query';
import { queryGate } from './record-gates';
import { windowTest } from './time-window';

/** A query whose expressions (and rules' expressions) were parsed and checked: plain data a worker thread is sent. */
export interface CheckedQuery {
  readonly spec: QuerySpec;
  /** The `--match` expressions, in order. */
  readonly expressions: readonly Expr[];
  /** The rules of `spec.rules`, in order, with their expressions. */
  readonly rules: readonly CheckedRule[];
}

/** The checked form of a compiled query: what a worker compiles its copy from. */
export function checkedOf(query: CompiledQuery): CheckedQuery {
  return { spec: query.spec, expressions: query.expressions, rules: query.rules?.rules.map(({ spec, expressions }) => ({ spec, expressions })) ?? [] };
}

export interface CompiledQuery {
  readonly spec: QuerySpec;
  readonly selection: ActionSelection;
  /** The parsed `--match` expressions, in order (for the planner and for identity needs). */
  readonly expressions: readonly Expr[];
  /** Warnings about the query itself (e.g. an unknown service prefix). */
  readonly warnings: readonly string[];
  /**
   * Literals one of which an event's raw JSON must contain to match (the most selective requirement of all
   * the expressions), or null (none, or `parseEveryRecord`).
   */
  readonly literal: LiteralNeedles | null;
  /**
   * A finer pre-filter on the raw bytes of the records the literal lets through, or null likewise: the
   * members the expressions compare, the selection's APIs and a rule set's gate (record-gates.ts).
   */
  readonly gate: RecordPrefilter | null;
  /** The compiled rules, when the spec has some. */
  readonly rules: RuleSet | null;
  test(event: JsonObject): boolean;
  /**
   * Every event matches and is written as recorded: no action but `*:*`, no `--match`, no window, no rules. A
   * scan whose stages read no event then need not parse the records it can take whole from their bytes.
   */
  readonly matchesEveryRecordAsRecorded: boolean;
  /**
   * The output line (no newline) of an event `test` accepted: as recorded, or re-serialized with a `_ctq`
   * member (`extra`, e.g. --enrich's identity, which may be null, plus `rules` and `titles`: the ids and titles of the rules that matched).
   */
  lineOf(event: JsonObject, text: string | null, extra?: JsonObject | null): string;
  /**
   * The same output as a record that holds the event it says (the event itself when written as recorded),
   * for sources that filter on this thread: the stages after the scan then read it without parsing again.
   */
  recordOf(event: JsonObject, text: string | null, extra?: JsonObject | null): MatchRecord;
}

export type QueryCompilation =
  | { readonly ok: true; readonly query: CompiledQuery }
  /** `terminalSafe`: the message was rendered for a terminal already (an expression error with its caret). */
  | { readonly ok: false; readonly message: string; readonly terminalSafe?: boolean };

/**
 * Compiles a checked query with the function implementations it was checked against (a worker's
 * own, for identity functions). `parsedActions`: the actions already parsed by the caller.
 */
export function assembleQuery(checked: CheckedQuery, functions: FunctionImplementations, parsedActions = parseActions(checked.spec.actions)): QueryCompilation {
  const { spec, expressions } = checked;
  if (!parsedActions.ok) return { ok: false, message: parsedActions.message };
  const { selection } = parsedActions;

  const predicates: ((event: JsonObject) => boolean)[] = [];
  let literal: LiteralNeedles | null = null;
  for (const expr of expressions) {
    predicates.push(compileExpr(expr, functions));
    // The expressions are ANDed, so any one requirement is sound: keep the most selective.
    const needles = literalNeedles(expr);
    if (needles !== null && (literal === null || needleStrength(needles) > needleStrength(literal))) literal = needles;
  }

  const rules = checked.rules.length > 0 ? checkedRuleSet(checked.rules, functions) : null;
  if (rules !== null) {
    // Both requirements hold for every match, so either one is a sound pre-filter.
    if (rules.literal !== null && (literal === null || needleStrength(rules.literal) > needleStrength(literal))) literal = rules.literal;
    predicates.push((event) => rules.matching(event).length > 0);
  }
  const inWindow = windowTest(spec.window);
  const test = buildTest(selection, inWindow, predicates);
  /** The `_ctq` member of an event not written as recorded: --enrich's extras, and the rules that matched. */
  const annotation = (event: JsonObject, extra: JsonObject | null | undefined): JsonValue => {
    if (rules === null) return extra ?? null;
    const matched = rules.matching(event);
    const ids = matched.map((rule) => rule.spec.id);
    const titles = matched.map((rule) => rule.spec.title);
    return { ...extra, rules: ids, titles };
  };
  const asRecorded = rules === null;
  const lineOf = (event: JsonObject, text: string | null, extra?: JsonObject | null): string =>
    asRecorded && extra === undefined ? (text ?? JSON.stringify(event)) : annotatedLine(event, text, annotation(event, extra));
  const recordOf = (event: JsonObject, text: string | null, extra?: JsonObject | null): MatchRecord => {
    if (asRecorded && extra === undefined) return new MatchRecord(text ?? JSON.stringify(event), event);
    const ctq = annotation(event, extra);
    // The annotated copy is made only if a stage reads the event (a worker's never does).
    return new MatchRecord(annotatedLine(event, text, ctq), () => ({ ...event, _ctq: ctq }));
  };
  const prefilters = spec.parseEveryRecord === true ? { literal: null, gate: null } : { literal, gate: queryGate(expressions, selection, rules?.gate ?? null) };
  const matchesEveryRecordAsRecorded = selectsEveryEvent(selection.actions) && predicates.length === 0 && inWindow === null && asRecorded;
  return { ok: true, query: { spec, selection, expressions, warnings: parsedActions.warnings, ...prefilters, rules, test, matchesEveryRecordAsRecorded, lineOf, recordOf } };
}

function buildTest(
  selection: ActionSelection,
  inWindow: ((eventTime: unknown) => boolean) | null,
  predicates: readonly ((event: JsonObject) => boolean)[],
): (event: JsonObject) => boolean {
  // Cheapest checks first: two string fields, then the time, then the expressions.
  const [only] = predicates;
  if (predicates.length === 1 && only !== undefined) {
    return (event) => selection.matches(event.eventSource, event.eventName) && (inWindow === null || inWindow(event.eventTime)) && only(event);
  }
  return (event) => {
    if (!selection.matches(event.eventSource, event.eventName)) return false;
    if (inWindow !== null && !inWindow(event.eventTime)) return false;
    for (const predicate of predicates) if (!predicate(event)) return false;
    return true;
  };
}

/**
 * The event as recorded plus `_ctq`, spliced in before its closing brace: members in order and `_ctq`
 * last, as `JSON.stringify({ ...event, _ctq })` orders them, but the event's own text otherwise, so an
 * annotated event keeps what a plain match keeps (numbers beyond a double such as `1e400`, which the
 * parsed value turns into `null`, and the escapes as recorded). An event that has a `_ctq` already, or
 * no recorded text, is written from its value, the copy replacing that member in place.
 */
export function annotatedLine(event: JsonObject, text: string | null, ctq: JsonValue): string {
  if (text === null || Object.hasOwn(event, '_ctq')) return JSON.stringify({ ...event, _ctq: ctq });
  return splicedLine(text, JSON.stringify(ctq));
}

/** The line a match is written as before `_ctq` is spliced in: its recorded text, else its value written. */
export function writtenLine(event: JsonObject, text: string | null): string {
  return text ?? JSON.stringify(event);
}

/**
 * `ctqJson` (a `_ctq` value, serialized) spliced into `written` before its closing brace: an object's JSON
 * text on one line, without a `_ctq` member (one-pass --enrich splices a line written on a worker, its
 * `_ctq` serialized once per session).
 */
export function splicedLine(written: string, ctqJson: string): string {
  const body = written.slice(0, written.lastIndexOf('}')).trimEnd();
  return `${body}${body.endsWith('{') ? '' : ','}"_ctq":${ctqJson}}`;
}
