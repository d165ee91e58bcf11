/**
 * What can be wrong with a rule, as values: each names the file, line and column it comes from. A bad
 * rule is left out and reported; the others still run (unless --strict).
 */
import { renderExpressionError, type ExpressionError } from '../language';
import { TERMINAL } from '../output/terminal-safe';
import { formatPosition, type SourcePosition } from './rule';

export interface RuleProblem {
  readonly position: SourcePosition;
  /** The rule's id, when it got that far. */
  readonly ruleId: string | null;
  readonly message: string;
  /** `error`: the rule is broken. `unsupported`: a Sigma rule needs what ctq cannot do. */
  readonly kind: 'error' | 'unsupported';
  /** For expression errors: the expression line (escaped for a terminal) with a caret under the offending text. */
  readonly frame?: string;
}

export function ruleProblem(position: SourcePosition, ruleId: string | null, message: string, kind: RuleProblem['kind'] = 'error'): RuleProblem {
  return { position, ruleId, message, kind };
}

/** `file:line:column: rule 'id': message`, then the expression frame when there is one. */
export function renderRuleProblem(problem: RuleProblem): string {
  const who = problem.ruleId === null ? '' : `rule '${problem.ruleId}': `;
  const head = `${formatPosition(problem.position)}: ${who}${problem.message}`;
  return problem.frame === undefined ? head : `${head}\n${problem.frame}`;
}

/** An expression error inside a rule, at the file position of the offending column. */
export function expressionProblem(
  text: string,
  error: ExpressionError,
  position: SourcePosition,
  ruleId: string,
  field: string,
): RuleProblem {
  // renderExpressionError's first line names the column in the expression; the file position replaces it.
  // The message is escaped where it is printed; the frame is escaped here, so the caret stays under the
  // escaped text (print it with Diagnostics.safeBlock). The hint is fixed advice, not input: it goes
  // under the caret, in the frame, because escaping it with the message would double its backslashes
  // (`use \\"` for `use \"`).
  const { hint, ...withoutHint } = error;
  const message = renderExpressionError(text, withoutHint, field).split('\n')[0]!.replace(/ at (line \d+, )?column \d+$/, '');
  const caretFrame = renderExpressionError(text, withoutHint, field, TERMINAL).split('\n').slice(1).join('\n');
  const frame = hint === undefined ? caretFrame : `${caretFrame}\n${hint}`;
  return { position, ruleId, message, kind: 'error', frame };
}
