/**
 * A bound on how deeply an expression nests, checked on the tokens before parsing. The parser, the
 * CST visitor and the literal decoder recurse once per level of `( [ { not`, so 400 parentheses or
 * 5,000 `not`s would exhaust the stack (a crash with a stack trace and exit 1). No real condition
 * nests anywhere near the bound; past it, the expression is refused with the column where it went
 * too deep. Flat repetition (a chain of 10,000 `and`s, a list of 5,000 values) is not nesting and
 * is not limited.
 */
import type { IToken } from 'chevrotain';
import { expressionError, type ExpressionError } from './errors';

export const MAX_NESTING = 128;

const OPENERS = new Set(['LParen', 'LBracket', 'LBrace']);
const CLOSERS = new Set(['RParen', 'RBracket', 'RBrace']);

/**
 * The first token at which more than MAX_NESTING brackets and `not`s are open, as an error. A `not`
 * stays open until its condition ends: at the bracket that closes around it, or at `and`/`or` at its
 * own level. Mismatched brackets are left for the parser to report.
 */
export function nestingProblem(tokens: readonly IToken[]): ExpressionError | null {
  const open: ('bracket' | 'not')[] = [];
  const closeNots = (): void => {
    while (open[open.length - 1] === 'not') open.pop();
  };
  for (const token of tokens) {
    const name = token.tokenType.name;
    if (OPENERS.has(name) || name === 'Not') {
      open.push(name === 'Not' ? 'not' : 'bracket');
      if (open.length > MAX_NESTING) {
        return expressionError(`expression nested too deeply (more than ${MAX_NESTING} levels of brackets and 'not')`, {
          start: token.startOffset,
          end: token.startOffset + token.image.length,
        });
      }
    } else if (CLOSERS.has(name)) {
      closeNots();
      open.pop();
    } else if (name === 'And' || name === 'Or') {
      closeNots();
    }
  }
  return null;
}
