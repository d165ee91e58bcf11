/**
 * Turns Chevrotain's lexing and parsing errors (values with offsets) into one message that says what
 * was expected, e.g. "expected a value after '==' but found end of expression".
 */
import { tokenLabel, type ILexingError, type IRecognitionException, type IToken, type TokenType } from 'chevrotain';
import type { Span } from './ast';
import { expressionError, type ExpressionError } from './errors';
import { expressionParser } from './parser';

/** Hints for characters people bring from other languages. */
const CHARACTER_HINTS: Readonly<Record<string, string>> = {
  '=': "did you mean '=='?",
  '!': "write 'not' to negate, or '!=' to compare",
  '&': "write 'and'",
  '|': "write 'or'",
  '"': 'the string is not closed',
  "'": 'the string is not closed',
  '/': 'a /pattern/ is only allowed after regex, and must be closed',
  '@': "'@' is only meaningful inside a path filter, e.g. $.resources[?(@.type == 'x')]",
  '~': "'~' follows an operator it makes case-insensitive, with no space: =~ contains~ startswith~ endswith~ in~",
};

export function lexingError(text: string, error: ILexingError): ExpressionError {
  const character = text[error.offset] ?? '';
  const hint = CHARACTER_HINTS[character];
  const message = `unexpected character '${character}'` + (hint === undefined ? '' : `: ${hint}`);
  const length = character === '"' || character === "'" ? text.length - error.offset : Math.max(1, error.length);
  return expressionError(message, { start: error.offset, end: error.offset + length });
}

export function parsingError(text: string, tokens: readonly IToken[], error: IRecognitionException): ExpressionError {
  const offending = error.token;
  const atEnd = offending.tokenType.name === 'EOF' || Number.isNaN(offending.startOffset);
  const index = atEnd ? tokens.length : tokens.findIndex((token) => token.startOffset === offending.startOffset);
  const preceding = tokens.slice(0, Math.max(0, index));
  const previous = preceding[preceding.length - 1];
  const span: Span = atEnd
    ? { start: text.length, end: text.length + 1 }
    : { start: offending.startOffset, end: offending.startOffset + offending.image.length };
  const found = atEnd ? 'end of expression' : `'${offending.image}'`;

  if (previous?.tokenType.name === 'Identifier' && offending.tokenType.name !== 'LParen') {
    return expressionError(
      `unknown word '${previous.image}': quote a string ("${previous.image}"), start a path with $, or call a function with ()`,
      { start: previous.startOffset, end: previous.startOffset + previous.image.length },
    );
  }

  const expected = describeExpected(expressionParser().computeContentAssist('expression', [...preceding]).map((path) => path.nextTokenType));
  const after = previous === undefined ? 'at the start' : `after '${previous.image}'`;
  const what = expected.length === 0 ? 'end of expression' : joinAlternatives(expected);
  return expressionError(`expected ${what} ${after} but found ${found}`, span, expected);
}

const VALUE_STARTS = new Set(['JsonPath', 'StringLiteral', 'NumberLiteral', 'True', 'False', 'Null', 'LBracket', 'LBrace', 'Identifier']);

/** The tokens that may follow an operand: listed all, they would drown the message. */
const OPERATORS = new Set([
  'Equals',
  'NotEquals',
  'EqualsI',
  'NotEqualsI',
  'Less',
  'LessEqual',
  'Greater',
  'GreaterEqual',
  'Contains',
  'ContainsI',
  'StartsWith',
  'StartsWithI',
  'EndsWith',
  'EndsWithI',
  'In',
  'InI',
  'Regex',
]);

/** Collapses the token types that may come next into words: "a condition", "a value", "an operator", "')'". */
function describeExpected(types: readonly TokenType[]): string[] {
  const names = new Set(types.map((type) => type.name));
  const words: string[] = [];
  const startsValue = [...VALUE_STARTS].some((name) => names.has(name));
  // After an operand, `not` can only begin `not in`: it is one of the operators, not a condition.
  const afterOperand = names.has('Equals');
  if (afterOperand) words.push("an operator ('==', '!=', '<', 'contains', 'in', 'regex', …)");
  else if (names.has('Not')) words.push("a condition (a $-path, a literal, a function call, 'not' or '(')");
  else if (startsValue && names.has('StringLiteral') && names.has('LBracket')) words.push(names.has('JsonPath') ? 'a value (a $-path, a literal or a function call)' : 'a literal');
  const listed = new Set<string>();
  for (const type of types) {
    if (afterOperand && (OPERATORS.has(type.name) || type.name === 'Not')) continue;
    if (!afterOperand && names.has('Not') && (VALUE_STARTS.has(type.name) || type.name === 'LParen' || type.name === 'Not')) continue;
    if (words.length > 0 && VALUE_STARTS.has(type.name)) continue;
    const label = tokenLabel(type);
    if (!listed.has(label)) {
      listed.add(label);
      words.push(label);
    }
  }
  return words;
}

function joinAlternatives(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}
