/** Finds the function calls in parsed expressions: which identity work a query needs, and where. */
import type { CallOperand, Expr, Operand, Span } from '../language/ast';

export function callsIn(expr: Expr): CallOperand[] {
  const calls: CallOperand[] = [];
  const visitOperand = (operand: Operand) => {
    if (operand.kind !== 'call') return;
    calls.push(operand);
    operand.args.forEach(visitOperand);
  };
  const visit = (node: Expr): void => {
    switch (node.kind) {
      case 'and':
      case 'or':
        visit(node.left);
        visit(node.right);
        return;
      case 'not':
        visit(node.operand);
        return;
      case 'compare':
        visitOperand(node.left);
        visitOperand(node.right);
        return;
      case 'regex':
        visitOperand(node.subject);
        return;
      case 'test':
        visitOperand(node.operand);
        return;
    }
  };
  visit(expr);
  return calls;
}

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
