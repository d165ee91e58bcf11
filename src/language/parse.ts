/** Text → AST: lexing, parsing and literal decoding, each fault returned as an ExpressionError. */
import type { Expr } from './ast';
import { newCstToAst } from './cst-to-ast';
import type { ExpressionError } from './errors';
import { expressionLexer } from './lexer';
import { nestingProblem } from './nesting';
import { expressionParser } from './parser';
import { lexingError, parsingError } from './syntax-errors';

export type ParseResult = { readonly ok: true; readonly expr: Expr } | { readonly ok: false; readonly error: ExpressionError };

export function parseExpression(text: string): ParseResult {
  const lexed = expressionLexer().tokenize(text);
  const lexError = lexed.errors[0];
  if (lexError !== undefined) return { ok: false, error: lexingError(text, lexError) };
  if (lexed.tokens.length === 0) return { ok: false, error: { message: 'empty expression', span: { start: 0, end: 1 } } };
  const tooDeep = nestingProblem(lexed.tokens);
  if (tooDeep !== null) return { ok: false, error: tooDeep };

  const parser = expressionParser();
  parser.input = lexed.tokens;
  const cst = parser.expression();
  const parseError = parser.errors[0];
  if (parseError !== undefined) return { ok: false, error: parsingError(text, lexed.tokens, parseError) };

  const visitor = newCstToAst();
  const expr = visitor.toExpr(cst);
  return visitor.error === null ? { ok: true, expr } : { ok: false, error: visitor.error };
}
