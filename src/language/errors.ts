/**
 * Expression errors are values: every stage (lexing, parsing, checking, compiling) returns one instead
 * of throwing, and the CLI prints it with `renderExpressionError` (one line, the expression, a caret).
 */
import type { Span } from './ast';

export interface ExpressionError {
  readonly message: string;
  readonly span: Span;
  /** What would have been accepted at `span`, for syntax errors (e.g. `["a value"]`). */
  readonly expected?: readonly string[];
}

export function expressionError(message: string, span: Span, expected?: readonly string[]): ExpressionError {
  return expected === undefined ? { message, span } : { message, span, expected };
}

/**
 * `label: message at column N`, then the expression line, then `^~~~` under the offending text.
 * Columns are 1-based; a multi-line expression names the line too and shows only that line.
 */
export function renderExpressionError(text: string, error: ExpressionError, label = 'expression'): string {
  const start = Math.max(0, Math.min(error.span.start, text.length));
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const newlineAfter = text.indexOf('\n', start);
  const lineEnd = newlineAfter === -1 ? text.length : newlineAfter;
  const line = text.slice(lineStart, lineEnd);
  const column = start - lineStart + 1;
  const lineNumber = countNewlines(text, lineStart) + 1;
  const where = text.includes('\n') ? `line ${lineNumber}, column ${column}` : `column ${column}`;

  // Keep tabs so the caret lines up under the same glyphs as the expression above it.
  const indent = line.slice(0, column - 1).replace(/[^\t]/g, ' ');
  const end = Math.min(Math.max(error.span.end, start + 1), lineEnd + 1);
  const caret = '^' + '~'.repeat(Math.max(0, end - start - 1));
  return `${label}: ${error.message} at ${where}\n${line}\n${indent}${caret}`;
}

function countNewlines(text: string, before: number): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < before; i = text.indexOf('\n', i + 1)) count++;
  return count;
}
