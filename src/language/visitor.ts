/**
 * The one walker over the expression AST, in the manner of graphql-js `visitor.ts`: the checker, the
 * compiler, the literal pre-filter, LookupEvents push-down and the function-call finders all go
 * through here instead of each restating the shape of every node.
 *
 * Both walks are iterative (an explicit stack, no recursion): a 100 KB chain of `and` is a left-deep
 * tree tens of thousands of nodes tall, which a recursive walk could not descend.
 */
import type { CallOperand, Expr, Operand } from './ast';

/** The sub-expressions of a node, left to right. */
export function childrenOf(expr: Expr): readonly Expr[] {
  switch (expr.kind) {
    case 'and':
    case 'or':
      return [expr.left, expr.right];
    case 'not':
      return [expr.operand];
    case 'compare':
    case 'text':
    case 'in':
    case 'regex':
    case 'test':
      return [];
    default:
      // A kind this walker does not know (built by newer code): a leaf, so a fold can still give it a value.
      return [];
  }
}

/** The operands a node holds itself (not those of its sub-expressions), left to right. */
export function operandsOf(expr: Expr): readonly Operand[] {
  switch (expr.kind) {
    case 'and':
    case 'or':
    case 'not':
      return [];
    case 'compare':
      return [expr.left, expr.right];
    case 'text':
      return [expr.subject, expr.needle];
    case 'in':
      return [expr.subject, expr.list];
    case 'regex':
      return [expr.subject];
    case 'test':
      return [expr.operand];
    default:
      return [];
  }
}

/** Returned by a visitor function: stop the whole walk. */
export const BREAK: unique symbol = Symbol('BREAK');
/** Returned by `enter`: do not descend into this node's children (its `leave` is still called). */
export const SKIP: unique symbol = Symbol('SKIP');

export interface ExprVisitor {
  enter?(expr: Expr): void | typeof SKIP | typeof BREAK;
  leave?(expr: Expr): void | typeof BREAK;
  /** Every operand, in source order, nested call arguments after their call. Called after the node's `enter`. */
  operand?(operand: Operand, owner: Expr): void | typeof BREAK;
}

/** Visits every node depth-first, left to right. */
export function walk(root: Expr, visitor: ExprVisitor): void {
  const stack: { readonly expr: Expr; entered: boolean }[] = [{ expr: root, entered: false }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as { readonly expr: Expr; entered: boolean };
    if (top.entered) {
      stack.pop();
      if (visitor.leave?.(top.expr) === BREAK) return;
      continue;
    }
    top.entered = true;
    const entered = visitor.enter?.(top.expr);
    if (entered === BREAK) return;
    if (visitor.operand !== undefined) {
      for (const operand of operandsIn(top.expr)) if (visitor.operand(operand, top.expr) === BREAK) return;
    }
    if (entered === SKIP) continue;
    const children = childrenOf(top.expr);
    for (let i = children.length - 1; i >= 0; i--) stack.push({ expr: children[i] as Expr, entered: false });
  }
}

/**
 * Folds the tree bottom-up: `combine` gets each node with the folded values of its children (in
 * order), the way a compiler or an analysis builds its answer from the leaves.
 */
export function fold<T>(root: Expr, combine: (expr: Expr, children: readonly T[]) => T): T {
  const results: T[] = [];
  walk(root, {
    leave(expr) {
      const count = childrenOf(expr).length;
      const children = results.splice(results.length - count, count);
      results.push(combine(expr, children));
    },
  });
  return results[0] as T;
}

/** The node's operands and, inside them, every call argument, in source order. */
export function operandsIn(expr: Expr): Operand[] {
  const out: Operand[] = [];
  const pending = [...operandsOf(expr)].reverse();
  while (pending.length > 0) {
    const operand = pending.pop() as Operand;
    out.push(operand);
    if (operand.kind === 'call') for (let i = operand.args.length - 1; i >= 0; i--) pending.push(operand.args[i] as Operand);
  }
  return out;
}

/** Every function call in the expression, outer calls before the calls in their arguments. */
export function callsIn(expr: Expr): CallOperand[] {
  const calls: CallOperand[] = [];
  walk(expr, {
    operand(operand) {
      if (operand.kind === 'call') calls.push(operand);
    },
  });
  return calls;
}

/** The first operand, in source order, for which `found` holds, or null. */
export function findOperand<T extends Operand>(expr: Expr, found: (operand: Operand) => operand is T): T | null {
  let result: T | null = null;
  walk(expr, {
    operand(operand) {
      if (!found(operand)) return undefined;
      result = operand;
      return BREAK;
    },
  });
  return result;
}

/**
 * The conjuncts of `a and b and …`, left to right: the nodes reachable from the root through `and`
 * only. Every event the expression accepts satisfies each of them (push-down, Sigma's action bounds).
 */
export function conjunctsOf(root: Expr): Expr[] {
  const out: Expr[] = [];
  walk(root, {
    enter(node) {
      if (node.kind === 'and') return undefined;
      out.push(node);
      return SKIP;
    },
  });
  return out;
}
