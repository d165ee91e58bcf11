/**
 * IAM actions implied by a translated Sigma rule, so that LookupEvents can be planned for it. Sigma
 * rules name `eventSource` and `eventName` as fields compared without regard to case, which is
 * exactly how ctq's action selection compares them; so `eventSource =~ "cloudtrail.amazonaws.com"
 * and eventName in~ ["StopLogging", …]` selects the same events as `cloudtrail:StopLogging …`, and
 * the planner can use EventName lookups instead of scanning everything. The actions only ever add a
 * condition every matching event already meets (the expression is still checked on every event);
 * when nothing can be derived, the rule selects every event (`*:*`).
 */
import { parseActions, prefixesOfEventSource } from '../selection';
import { conjunctsOf, parseExpression, type Expr, type Operand } from '../language';

const all = (): string[] => ['*:*'];

export function actionsOfExpression(text: string): readonly string[] {
  const parsed = parseExpression(text);
  if (!parsed.ok) return all();
  const actions = actionsOf(parsed.expr);
  if (actions === null || actions.length === 0) return all();
  const unique = [...new Set(actions)];
  // A derived action the selection cannot read (an odd eventSource) must not break the rule.
  return parseActions(unique).ok ? unique : all();
}

/** Actions covering every event `expr` accepts, or null for "any event". */
function actionsOf(expr: Expr): string[] | null {
  if (expr.kind === 'or') {
    const left = actionsOf(expr.left);
    const right = actionsOf(expr.right);
    return left === null || right === null ? null : [...left, ...right];
  }
  const conjuncts = conjunctsOf(expr);
  let sources: string[] | null = null;
  let names: string[] | null = null;
  for (const conjunct of conjuncts) {
    sources ??= valuesOf(conjunct, 'eventSource', false);
    names ??= valuesOf(conjunct, 'eventName', true);
  }
  if (sources === null && names === null) {
    // `(a and b) or (c and d)` nested under an `and`: any one conjunct is a sound bound.
    for (const conjunct of conjuncts) {
      if (conjunct.kind !== 'or') continue;
      const inner = actionsOf(conjunct);
      if (inner !== null) return inner;
    }
    return null;
  }
  const prefixes = sources === null ? ['*'] : sources.flatMap((source) => (/^[a-z0-9.-]+\.amazonaws\.com$/.test(source) ? prefixesOfEventSource(source) : []));
  if (prefixes.length === 0) return null;
  return prefixes.flatMap((prefix) => (names ?? ['*']).map((name) => `${prefix}:${name}`));
}

/**
 * The values a conjunct allows for `$.field` (lower-cased sources; names as action globs), or null
 * when the conjunct says nothing certain about it. Names with glob characters are left alone: they
 * would widen, never narrow, but `*`/`?` in an event name is not worth the thought.
 */
function valuesOf(expr: Expr, field: string, glob: boolean): string[] | null {
  const strings = (values: readonly unknown[]) => (values.every((v): v is string => typeof v === 'string' && /^[A-Za-z0-9_.-]+$/.test(v)) ? (values as string[]) : null);
  const norm = (values: string[] | null) => (values === null ? null : field === 'eventSource' ? values.map((v) => v.toLowerCase()) : values);
  if (expr.kind === 'compare' && (expr.op === '==' || expr.op === '=~') && isField(expr.left, field) && expr.right.kind === 'literal') return norm(strings([expr.right.value]));
  if (expr.kind === 'in' && !expr.negated && isField(expr.subject, field)) return norm(strings(expr.list.value));
  if (glob && expr.kind === 'text' && expr.op === 'startswith' && isField(expr.subject, field) && expr.needle.kind === 'literal') {
    const prefix = strings([expr.needle.value]);
    return prefix === null ? null : [`${prefix[0]}*`];
  }
  return null;
}

function isField(operand: Operand, field: string): boolean {
  return operand.kind === 'path' && operand.steps !== null && operand.steps.length === 1 && operand.steps[0]!.kind === 'member' && operand.steps[0]!.name === field;
}
