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
  /** Fixed advice printed after the message; holds no input, so it is never escaped (see `Terminal`). */
  readonly hint?: string;
}

/**
 * How the text will be shown: `escape` makes input safe for a terminal (control characters and
 * backslashes written as visible escapes) and `width` measures the result in columns. The caret
 * is placed by the width of the escaped text before it, so it stays under the right character
 * when the expression holds a backslash, a tab, an escape sequence or wide characters.
 */
export interface Terminal {
  readonly escape: (raw: string) => string;
  readonly width: (safe: string) => number;
}

/** Text shown as it is (a library caller, tests): tabs kept so the caret lines up under them. */
const VERBATIM: Terminal = { escape: (raw) => raw, width: (text) => text.length };

export function expressionError(message: string, span: Span, expected?: readonly string[]): ExpressionError {
  return expected === undefined ? { message, span } : { message, span, expected };
}

/**
 * `label: message at column N`, then the expression line, then `^~~~` under the offending text.
 * Columns are 1-based; a multi-line expression names the line too and shows only that line.
 */
export function renderExpressionError(text: string, error: ExpressionError, label: string, terminal: Terminal = VERBATIM): string {
  const start = Math.max(0, Math.min(error.span.start, text.length));
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const newlineAfter = text.indexOf('\n', start);
  const lineEnd = newlineAfter === -1 ? text.length : newlineAfter;
  const line = text.slice(lineStart, lineEnd);
  const column = start - lineStart + 1;
  const lineNumber = countNewlines(text, lineStart) + 1;
  const where = text.includes('\n') ? `line ${lineNumber}, column ${column}` : `column ${column}`;
  const end = Math.min(Math.max(error.span.end, start + 1), lineEnd + 1);

  const before = line.slice(0, column - 1);
  // Keep tabs so the caret lines up under the same glyphs as the expression above it.
  const indent = terminal === VERBATIM ? before.replace(/[^\t]/g, ' ') : ' '.repeat(terminal.width(terminal.escape(before)));
  const marked = line.slice(column - 1, end - lineStart);
  const markedWidth = terminal === VERBATIM ? end - start : terminal.width(terminal.escape(marked));
  const caret = '^' + '~'.repeat(Math.max(0, markedWidth - 1));
  const hint = error.hint === undefined ? '' : `: ${error.hint}`;
  return `${label}: ${terminal.escape(error.message)}${hint} at ${where}\n${terminal.escape(line)}\n${indent}${caret}`;
}

function countNewlines(text: string, before: number): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < before; i = text.indexOf('\n', i + 1)) count++;
  return count;
}
