/** Finds the function calls in parsed expressions: which identity work a query needs, and where. */
import type { Expr, Span } from '../language/ast';
import { callsIn } from '../language/visitor';

export function usesFunction(exprs: readonly Expr[], name: string): boolean {
  return exprs.some((expr) => callsIn(expr).some((call) => call.name === name));
}

/** The string literals passed to chainOf(), with the expression (index) and place each stands in. */
export function chainOfArguments(exprs: readonly Expr[]): { readonly value: string; readonly span: Span; readonly expression: number }[] {
  const found: { value: string; span: Span; expression: number }[] = [];
  exprs.forEach((expr, expression) => {
    for (const call of callsIn(expr)) {
      const arg = call.args[0];
      if (call.name === 'chainOf' && arg?.kind === 'literal' && typeof arg.value === 'string') found.push({ value: arg.value, span: arg.span, expression });
    }
  });
  return found;
}
