/** Rules from their text: actions parsed, expressions parsed and checked (with the parser), then compiled. */
import { checkCompilable, type ExpressionError, type FunctionImplementations } from '../language';
import type { Expr } from '../language/ast';
import { parseActions, type ActionSelection } from '../selection';
import type { RuleSpec } from './rule';
import { makeRuleSet, ruleOf, type CheckedRule, type CompiledRule, type RuleSet } from './rule-set';

/** A rule that does not compile names the part at fault: which action, or which expression and where in it. */
export type RuleCompilation =
  | { readonly ok: true; readonly rule: CompiledRule }
  | { readonly ok: false; readonly where: 'actions'; readonly index: number; readonly message: string }
  | { readonly ok: false; readonly where: 'match'; readonly index: number; readonly error: ExpressionError };

export function compileRule(spec: RuleSpec, functions: FunctionImplementations): RuleCompilation {
  const checked = checkRule(spec, functions);
  return checked.ok ? { ok: true, rule: ruleOf(spec, checked.selection, checked.rule.expressions, functions) } : checked;
}

/** The rule's actions parsed and its expressions parsed and checked, not compiled. */
export function checkRule(
  spec: RuleSpec,
  functions: FunctionImplementations,
): { readonly ok: true; readonly rule: CheckedRule; readonly selection: ActionSelection } | Exclude<RuleCompilation, { readonly ok: true }> {
  const parsed = parseActions(spec.actions);
  if (!parsed.ok) {
    const index = Math.max(0, spec.actions.findIndex((action) => !parseActions([action]).ok));
    return { ok: false, where: 'actions', index, message: parsed.message };
  }
  const expressions: Expr[] = [];
  for (const [index, text] of spec.matches.entries()) {
    const checked = checkCompilable(text, functions);
    if (!checked.ok) return { ok: false, where: 'match', index, error: checked.error };
    expressions.push(checked.expr);
  }
  return { ok: true, rule: { spec, expressions }, selection: parsed.selection };
}

/** Compiles rules already checked (see check.ts); a rule that fails here is a bug. */
export function compileRuleSet(specs: readonly RuleSpec[], functions: FunctionImplementations): RuleSet {
  const rules = specs.map((spec) => {
    const compiled = compileRule(spec, functions);
    if (!compiled.ok) throw new Error(`rule '${spec.id}' failed to compile after it was checked (${compiled.where} #${compiled.index + 1})`);
    return compiled.rule;
  });
  return makeRuleSet(rules);
}
