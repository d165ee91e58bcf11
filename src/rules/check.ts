/**
 * Checks loaded rules before any event is read: actions, expressions, threshold paths, unique ids.
 * Each problem points at the file, line and column (inside an expression: the offending column).
 */
import { compileValueReader, type FunctionImplementations } from '../language';
import { expressionProblem, ruleProblem, type RuleProblem } from './problems';
import { compileRule } from './compile-rule';
import type { LoadedRule } from './rule-file';

export interface CheckedRules {
  readonly rules: readonly LoadedRule[];
  readonly problems: readonly RuleProblem[];
}

export function checkRules(loaded: readonly LoadedRule[], functions: FunctionImplementations): CheckedRules {
  const rules: LoadedRule[] = [];
  const problems: RuleProblem[] = [];
  const seen = new Map<string, LoadedRule>();
  for (const rule of loaded) {
    const { spec } = rule;
    const first = seen.get(spec.id);
    if (first !== undefined) {
      problems.push(ruleProblem(rule.position, spec.id, `the id is already used by the rule at ${first.position.file}:${first.position.line}`));
      continue;
    }
    const problem = ruleError(rule, functions);
    if (problem !== null) {
      problems.push(problem);
      continue;
    }
    seen.set(spec.id, rule);
    rules.push(rule);
  }
  return { rules, problems };
}

function ruleError(rule: LoadedRule, functions: FunctionImplementations): RuleProblem | null {
  const { spec } = rule;
  const compiled = compileRule(spec, functions);
  if (!compiled.ok) {
    if (compiled.where === 'actions') return ruleProblem(rule.actionsAt[compiled.index] ?? rule.position, spec.id, compiled.message);
    const { index, error } = compiled;
    const at = rule.matchAt[index];
    return expressionProblem(spec.matches[index]!, error, at ? at(error.span.start) : rule.position, spec.id, 'match');
  }
  const threshold = spec.threshold;
  if (threshold === undefined) return null;
  const paths = [...threshold.countBy, ...(threshold.distinct !== undefined ? [threshold.distinct] : [])];
  for (const [index, text] of paths.entries()) {
    if (isSessionCall(text)) continue;
    const reader = compileValueReader(text);
    if (reader.ok) continue;
    const at = rule.thresholdAt[index];
    const field = index < threshold.countBy.length ? 'count-by' : 'distinct';
    return expressionProblem(text, reader.error, at ? at(reader.error.span.start) : rule.position, spec.id, field);
  }
  return null;
}

/** `session()` as a threshold key: the event's session (see grammar/identity.md). */
export function isSessionCall(text: string): boolean {
  return /^\s*session\(\s*\)\s*$/.test(text);
}
