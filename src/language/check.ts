/**
 * Semantic checks, run before any event is read: function names, arity and argument rules, regular
 * expressions (RE2 must accept them), paths jsonpath-plus must evaluate, what `regex` and the
 * substring operators may be applied to, and that an ordering operator's literal can be ordered.
 */
import type { CallOperand, Expr, Operand, PathOperand, RegexPattern } from './ast';
import { prepareBuiltin } from './builtins';
import { expressionError, type ExpressionError } from './errors';
import { FUNCTION_SIGNATURES } from './functions';
import { checkMultiValuePath } from './multi-value-path';
import { isOrderOp, timestampInstant } from './ordering';
import { parseExpression } from './parse';
import { parsePath } from './path';
import { compileRegex } from './regex';
import { BREAK, walk } from './visitor';

export type CheckResult = { readonly ok: true; readonly expr: Expr } | { readonly ok: false; readonly error: ExpressionError };

export function checkExpression(text: string): CheckResult {
  const parsed = parseExpression(text);
  if (!parsed.ok) return parsed;
  const error = checkExpr(parsed.expr);
  return error === null ? parsed : { ok: false, error };
}

/** The first problem in `expr`, left to right, or null. */
export function checkExpr(expr: Expr): ExpressionError | null {
  let problem: ExpressionError | null = null;
  walk(expr, {
    operand(operand) {
      problem = checkOperand(operand);
      return problem === null ? undefined : BREAK;
    },
    // On leaving: a node's own operands have been checked, so problems come out left to right.
    leave(node) {
      problem = checkNode(node);
      return problem === null ? undefined : BREAK;
    },
  });
  return problem;
}

/** What an operator requires of its operands; the operands themselves are checked by `checkOperand`. */
function checkNode(expr: Expr): ExpressionError | null {
  switch (expr.kind) {
    case 'compare':
      return isOrderOp(expr.op) ? (checkOrderOperand(expr.op, expr.left) ?? checkOrderOperand(expr.op, expr.right)) : null;
    case 'text': {
      const word = expr.op + (expr.ignoreCase ? '~' : '');
      if (expr.needle.kind === 'literal' && typeof expr.needle.value !== 'string') {
        return expressionError(`${word} needs a string on its right, e.g. $.userAgent ${word} "curl"`, expr.needle.span);
      }
      return checkStringSubject(word, expr.subject);
    }
    case 'regex':
      return checkStringSubject('regex', expr.subject) ?? checkPattern(expr.pattern);
    case 'and':
    case 'or':
    case 'not':
    case 'in':
    case 'test':
      return null;
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

/** An ordering operator's literal must be a number or a timestamp: anything else would make it constantly false. */
function checkOrderOperand(op: string, operand: Operand): ExpressionError | null {
  if (operand.kind !== 'literal' || typeof operand.value === 'number') return null;
  if (typeof operand.value === 'string' && timestampInstant(operand.value) !== null) return null;
  return expressionError(
    `${op} compares numbers or ISO 8601 timestamps (e.g. "2026-11-20T00:00:00Z"), not ${JSON.stringify(operand.value)}`,
    operand.span,
  );
}

function checkPath(path: PathOperand): ExpressionError | null {
  if (path.steps !== null) return null;
  const parsed = parsePath(path.text, path.span.start);
  if (!parsed.ok) return parsed.hint === undefined ? expressionError(parsed.message, parsed.span) : { message: parsed.message, span: parsed.span, hint: parsed.hint };
  const checked = checkMultiValuePath(parsed.segments);
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
  if (call.args.length < signature.required || call.args.length > signature.args.length) {
    const wanted = signature.required === signature.args.length ? count(signature.args.length) : `${signature.required} or ${count(signature.args.length)}`;
    return expressionError(`${call.name}() takes ${wanted} but was given ${call.args.length}`, call.span);
  }
  for (const [index, arg] of call.args.entries()) {
    if (signature.args[index] === 'string-literal' && !(arg.kind === 'literal' && typeof arg.value === 'string')) {
      return expressionError(`${call.name}() takes a string literal, e.g. ${EXAMPLE_CALLS[call.name] ?? `${call.name}("…")`}`, arg.span);
    }
  }
  if (!signature.builtin) return null;
  const prepared = prepareBuiltin(call.name, call.args.slice(1).filter((arg) => arg.kind === 'literal'));
  return prepared === null || prepared.ok ? null : expressionError(prepared.message, prepared.span);
}

const EXAMPLE_CALLS: Readonly<Record<string, string>> = {
  chainOf: 'chainOf("ASIAEXAMPLEKEY")',
  cidr: 'cidr($.sourceIPAddress, "10.0.0.0/8")',
  json: 'json($.requestParameters.policyDocument, "$.Statement[*].Effect")',
};

function count(args: number): string {
  return args === 0 ? 'no arguments' : args === 1 ? '1 argument' : `${args} arguments`;
}

function checkStringSubject(word: string, subject: Operand): ExpressionError | null {
  if (word === 'regex' && subject.kind === 'literal' && subject.value !== null && typeof subject.value === 'object') {
    return expressionError('regex needs a string on its left, not a literal list or object', subject.span);
  }
  if (subject.kind === 'call' && FUNCTION_SIGNATURES.get(subject.name)?.returns === 'boolean') {
    return expressionError(`${word} needs a string on its left, but ${subject.name}() yields true or false`, subject.span);
  }
  return null;
}

function checkPattern(pattern: RegexPattern): ExpressionError | null {
  const compiled = compileRegex(pattern.source, pattern.flags);
  return compiled.ok ? null : expressionError(compiled.message, pattern.span);
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
