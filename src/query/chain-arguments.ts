/** Planning-time checks of `chainOf()` arguments. */
import { graphOf } from '../identity';
import { renderExpressionError } from '../language';
import { TERMINAL } from '../output/terminal-safe';
import { chainOfArguments } from './expression-calls';
import type { CompiledQuery } from './query';

/** Rejects a `chainOf` argument no graph could ever read, with a caret, before any event is read (rendered terminal-safe). */
export function checkChainArguments(query: CompiledQuery): string | null {
  const empty = graphOf([]);
  for (const arg of chainOfArguments(query.expressions)) {
    const result = empty.chainMatcher(arg.value);
    if (result.ok) continue;
    const label = query.spec.labels?.[arg.expression] ?? (query.spec.matches.length > 1 ? `--match #${arg.expression + 1}` : '--match');
    return renderExpressionError(query.spec.matches[arg.expression]!, { message: result.message, span: arg.span }, label, TERMINAL);
  }
  return null;
}
