/**
 * Semantic checks, run before any event is read: function names, arity and argument rules, regular
 * expressions, paths jsonpath-plus must evaluate, and what `regex` may be applied to.
 */
import type { CallOperand, Expr, Operand, PathOperand, RegexPattern } from './ast';
import { expressionError, type ExpressionError } from './errors';
import { FUNCTION_SIGNATURES } from './functions';
import { parseExpression } from './parse';
import { parsePath } from './path';
import { checkPathForJsonPathPlus } from './path-query';

export type CheckResult = { readonly ok: true; readonly expr: Expr } | { readonly ok: false; readonly error: ExpressionError };

export function checkExpression(text: string): CheckResult {
  const parsed = parseExpression(text);
  if (!parsed.ok) return parsed;
  const error = checkExpr(parsed.expr);
  return error === null ? parsed : { ok: false, error };
}

/** The first problem in `expr`, left to right, or null. */
export function checkExpr(expr: Expr): ExpressionError | null {
  switch (expr.kind) {
    case 'or':
    case 'and':
      return checkExpr(expr.left) ?? checkExpr(expr.right);
    case 'not':
      return checkExpr(expr.operand);
    case 'compare':
      return checkOperand(expr.left) ?? checkOperand(expr.right);
    case 'test':
      return checkOperand(expr.operand);
    case 'regex':
      return checkOperand(expr.subject) ?? checkRegexSubject(expr.subject) ?? checkPattern(expr.pattern);
  }
}

function checkOperand(operand: Operand): ExpressionError | null {
  switch (operand.kind) {
    case 'literal':
      return null;
    case 'path':
      return checkPath(operand);
    case 'call':
      return checkCall(operand);
  }
}

function checkPath(path: PathOperand): ExpressionError | null {
  if (path.steps !== null) return null;
  const parsed = parsePath(path.text, path.span.start);
  if (!parsed.ok) return expressionError(parsed.message, parsed.span);
  const checked = checkPathForJsonPathPlus(parsed.segments);
  return checked.ok ? null : expressionError(checked.message, checked.span);
}

function checkCall(call: CallOperand): ExpressionError | null {
  const signature = FUNCTION_SIGNATURES.get(call.name);
  const nameSpan = { start: call.span.start, end: call.span.start + call.name.length };
  if (signature === undefined) {
    const known = [...FUNCTION_SIGNATURES.keys()];
    const close = known.find((name) => editDistance(name.toLowerCase(), call.name.toLowerCase()) <= 2);
    const suggestion = close === undefined ? '' : `did you mean ${close}()? `;
    return expressionError(`unknown function ${call.name}(): ${suggestion}known functions are ${known.map((name) => `${name}()`).join(', ')}`, nameSpan);
  }
  if (call.args.length !== signature.args.length) {
    const wanted = signature.args.length === 0 ? 'no arguments' : signature.args.length === 1 ? '1 argument' : `${signature.args.length} arguments`;
    return expressionError(`${call.name}() takes ${wanted} but was given ${call.args.length}`, call.span);
  }
  for (const [index, arg] of call.args.entries()) {
    if (signature.args[index] === 'string-literal' && !(arg.kind === 'literal' && typeof arg.value === 'string')) {
      return expressionError(`${call.name}() takes a string literal, e.g. ${call.name}("ASIAEXAMPLEKEY")`, arg.span);
    }
    const inner = checkOperand(arg);
    if (inner !== null) return inner;
  }
  return null;
}

function checkRegexSubject(subject: Operand): ExpressionError | null {
  if (subject.kind === 'literal' && subject.value !== null && typeof subject.value === 'object') {
    return expressionError("regex needs a string on its left, not a literal list or object", subject.span);
  }
  if (subject.kind === 'call' && FUNCTION_SIGNATURES.get(subject.name)?.returns === 'boolean') {
    return expressionError(`regex needs a string on its left, but ${subject.name}() yields true or false`, subject.span);
  }
  return null;
}

function checkPattern(pattern: RegexPattern): ExpressionError | null {
  // `g` and `y` make RegExp.test stateful (lastIndex), which would make matching depend on the event before.
  const stateful = /[gy]/.exec(pattern.flags);
  if (stateful !== null) return expressionError(`the regex flag '${stateful[0]}' is not allowed: matching is a search per value`, pattern.span);
  try {
    new RegExp(pattern.source, pattern.flags);
    return null;
  } catch (error) {
    return expressionError(`invalid regex: ${error instanceof Error ? error.message : String(error)}`, pattern.span);
  }
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost);
    }
    previous = current;
  }
  return previous[b.length] as number;
}
