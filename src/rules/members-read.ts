/**
 * Which top-level members of an event a rule's expressions read, when that is all they read: a rule
 * such as `$.errorCode == "AccessDenied"` or `$.eventName in [...]` is then decided from those
 * members alone, which the record gate (record-gate.ts) reads from the raw bytes without parsing.
 */
import { FUNCTION_SIGNATURES, type Expr } from '../language/runtime';
import { BREAK, walk } from '../language/visitor';

/**
 * The names of the top-level members the expressions read (`$.name`), or null when they read anything
 * else: a deeper or non-plain path (`$.userIdentity.arn`, `$..arn`, `$`), or a supplied function
 * (which is handed the whole event). Builtins (`lower`, `len`, `cidr`…) are functions of their
 * argument's value only, so they keep an expression decidable.
 */
export function topLevelMembersRead(expressions: readonly Expr[]): ReadonlySet<string> | null {
  const names = new Set<string>();
  let decidable = true;
  for (const expr of expressions) {
    walk(expr, {
      operand(operand) {
        if (operand.kind === 'literal') return undefined;
        if (operand.kind === 'call') {
          if (FUNCTION_SIGNATURES.get(operand.name)?.builtin === true) return undefined;
        } else {
          const step = operand.steps?.length === 1 ? operand.steps[0] : undefined;
          // `__proto__` is an own property of what JSON.parse returns, but not of an object built by assignment.
          if (step?.kind === 'member' && step.name !== '__proto__') {
            names.add(step.name);
            return undefined;
          }
        }
        decidable = false;
        return BREAK;
      },
    });
    if (!decidable) return null;
  }
  return names;
}
