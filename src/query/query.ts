/**
 * A query: the IAM-action selection, the `--match` expressions (ANDed) and the time window, compiled
 * once into one test per event. Its text is parsed and checked here; the checked query (ASTs, plain
 * data) is compiled in checked-query.ts, which a worker thread does with the copy it is sent.
 */
import { checkCompilable, renderExpressionError, type Expr, type FunctionImplementations } from '../language';
import { TERMINAL } from '../output/terminal-safe';
import { checkRule } from '../rules/compile-rule';
import type { RuleSpec } from '../rules/rule';
import type { CheckedRule } from '../rules/rule-set';
import { parseActions } from '../selection';
import { assembleQuery, type QueryCompilation } from './checked-query';
import type { TimeWindow } from './time-window';

export { checkedOf, type CheckedQuery, type CompiledQuery, type QueryCompilation } from './checked-query';

export interface QuerySpec {
  readonly actions: readonly string[];
  readonly matches: readonly string[];
  /** How each match names itself in an error (`--match-file rules.ctq`); default `--match` / `--match #N`. */
  readonly labels?: readonly string[];
  readonly window: TimeWindow;
  /** `--rules`/`--sigma`: an event must also match at least one rule, and is written with their ids. */
  readonly rules?: readonly RuleSpec[];
  /**
   * `--strict`: no pre-filter passes over a record unparsed, so damage anywhere is found (and is fatal). A
   * record the literal rules out cannot match, but its damage would go unsaid.
   */
  readonly parseEveryRecord?: boolean;
}

export function compileQuery(spec: QuerySpec, functions: FunctionImplementations = new Map()): QueryCompilation {
  const parsedActions = parseActions(spec.actions);
  if (!parsedActions.ok) return { ok: false, message: parsedActions.message };
  const expressions: Expr[] = [];
  for (const [index, text] of spec.matches.entries()) {
    const checked = checkCompilable(text, functions);
    const label = spec.labels?.[index] ?? (spec.matches.length > 1 ? `--match #${index + 1}` : '--match');
    if (!checked.ok) return { ok: false, message: renderExpressionError(text, checked.error, label, TERMINAL), terminalSafe: true };
    expressions.push(checked.expr);
  }
  const rules: CheckedRule[] = [];
  for (const rule of spec.rules ?? []) {
    // Rules were checked when loaded (rules/check.ts): one that fails here is a bug.
    const checked = checkRule(rule, functions);
    if (!checked.ok) throw new Error(`rule '${rule.id}' failed to compile after it was checked (${checked.where} #${checked.index + 1})`);
    rules.push(checked.rule);
  }
  return assembleQuery({ spec, expressions, rules }, functions, parsedActions);
}
