/**
 * An expression's text → its predicate: parsed, checked, then compiled (compile.ts). Also a lone
 * path's text → a reader of its value (`--group-by`, a threshold's `countBy`).
 */
import type { CallOperand, Expr, Operand } from './ast';
import { checkExpr, checkExpression } from './check';
import { compileExpr, readerOfOperand, type Predicate } from './compile';
import { expressionError, type ExpressionError } from './errors';
import { FUNCTION_SIGNATURES, type FunctionImplementations } from './functions';
import type { JsonObject, JsonValue } from './json';
import { parseExpression } from './parse';
import { findOperand } from './visitor';

export type CompileResult =
  | { readonly ok: true; readonly predicate: Predicate; readonly expr: Expr }
  | { readonly ok: false; readonly error: ExpressionError };

export function compileExpression(text: string, implementations: FunctionImplementations = new Map()): CompileResult {
  const checked = checkCompilable(text, implementations);
  return checked.ok ? { ok: true, predicate: compileExpr(checked.expr, implementations), expr: checked.expr } : checked;
}

/**
 * The expression parsed and checked, every function it calls among the builtins or `implementations`:
 * an AST `compileExpr` compiles with those implementations (here, or on a worker thread).
 */
export function checkCompilable(text: string, implementations: FunctionImplementations): { readonly ok: true; readonly expr: Expr } | { readonly ok: false; readonly error: ExpressionError } {
  const parsed = parseExpression(text);
  if (!parsed.ok) return parsed;
  const problem = checkExpr(parsed.expr);
  if (problem !== null) return { ok: false, error: problem };
  const missing = findOperand(parsed.expr, (operand): operand is CallOperand => operand.kind === 'call' && !isAvailable(operand.name, implementations));
  if (missing !== null) return { ok: false, error: expressionError(`${missing.name}() is not available here`, missing.span) };
  return { ok: true, expr: parsed.expr };
}

function isAvailable(name: string, implementations: FunctionImplementations): boolean {
  return FUNCTION_SIGNATURES.get(name)?.builtin === true || implementations.has(name);
}

export type ValueReaderResult =
  | { readonly ok: true; readonly read: (event: JsonObject) => JsonValue }
  | { readonly ok: false; readonly error: ExpressionError };

/**
 * Compiles a lone JSONPath (e.g. a `--group-by` key) into a reader of its value: the value itself for
 * a plain path (missing → null), the list of selected values for a path that can select several. A call of a
 * function that yields a value (`session()`) is read too, with the implementations given.
 */
export function compileValueReader(text: string, implementations: FunctionImplementations = new Map()): ValueReaderResult {
  const checked = checkValueReader(text, implementations);
  return checked.ok ? { ok: true, read: readerOfOperand(checked.operand, implementations) } : checked;
}

/**
 * The lone path (or value call) of `text`, parsed and checked: an operand `readerOfOperand` compiles with
 * the same implementations, here or on a worker thread (which never loads the parser).
 */
export function checkValueReader(text: string, implementations: FunctionImplementations): { readonly ok: true; readonly operand: Operand } | { readonly ok: false; readonly error: ExpressionError } {
  const checked = checkExpression(text);
  if (!checked.ok) return checked;
  const { expr } = checked;
  const operand = expr.kind === 'test' ? expr.operand : null;
  const valueCall =
    operand?.kind === 'call' && FUNCTION_SIGNATURES.get(operand.name)?.returns === 'string-or-null' && implementations.has(operand.name);
  if (operand === null || (operand.kind !== 'path' && !valueCall)) {
    const functions = [...FUNCTION_SIGNATURES.values()].filter((f) => f.returns === 'string-or-null' && implementations.has(f.name));
    const also = functions.length > 0 ? ` or ${functions.map((f) => `${f.name}()`).join(', ')}` : '';
    return { ok: false, error: expressionError(`expected a JSONPath such as $.userIdentity.arn${also}`, expr.span) };
  }
  return { ok: true, operand };
}
