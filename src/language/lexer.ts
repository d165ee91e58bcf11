/**
 * The tokens of the expression language. Keywords are reserved (they take precedence over names via
 * `longer_alt`), and a `$`-path is one token whose extent a custom matcher decides (see path.ts).
 */
import { createToken, Lexer, type TokenType } from 'chevrotain';
import { matchPathToken } from './path';

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /\s+/, group: Lexer.SKIPPED });

export const JsonPath = createToken({
  name: 'JsonPath',
  label: 'a $-path',
  pattern: { exec: matchPathToken },
  start_chars_hint: ['$'],
  line_breaks: false,
});

// Lenient on purpose: escapes are checked when the literal is decoded, so a bad escape gets its own
// message and position instead of an "unexpected character" at the opening quote.
export const StringLiteral = createToken({
  name: 'StringLiteral',
  label: 'a string',
  pattern: /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/,
});

export const RegexLiteral = createToken({
  name: 'RegexLiteral',
  label: 'a /pattern/',
  pattern: /\/(?:[^/\\[\n]|\\.|\[(?:[^\]\\\n]|\\.)*\])+\/[A-Za-z]*/,
});

export const NumberLiteral = createToken({
  name: 'NumberLiteral',
  label: 'a number',
  pattern: /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/,
});

export const Identifier = createToken({ name: 'Identifier', label: 'a function name', pattern: /[A-Za-z_][A-Za-z0-9_]*/ });

const keyword = (name: string, word: string): TokenType =>
  createToken({ name, label: `'${word}'`, pattern: new RegExp(word), longer_alt: Identifier });

export const And = keyword('And', 'and');
export const Or = keyword('Or', 'or');
export const Not = keyword('Not', 'not');
export const Regex = keyword('Regex', 'regex');
export const True = keyword('True', 'true');
export const False = keyword('False', 'false');
export const Null = keyword('Null', 'null');
export const In = keyword('In', 'in');
export const Contains = keyword('Contains', 'contains');
export const StartsWith = keyword('StartsWith', 'startswith');
export const EndsWith = keyword('EndsWith', 'endswith');

// The case-insensitive forms are one token each (`contains~`, not `contains ~`), after KQL's `in~`.
const tilded = (name: string, word: string): TokenType => createToken({ name, label: `'${word}~'`, pattern: new RegExp(`${word}~`) });
export const InI = tilded('InI', 'in');
export const ContainsI = tilded('ContainsI', 'contains');
export const StartsWithI = tilded('StartsWithI', 'startswith');
export const EndsWithI = tilded('EndsWithI', 'endswith');

export const Equals = createToken({ name: 'Equals', label: "'=='", pattern: /==/ });
export const NotEquals = createToken({ name: 'NotEquals', label: "'!='", pattern: /!=/ });
export const EqualsI = createToken({ name: 'EqualsI', label: "'=~'", pattern: /=~/ });
export const NotEqualsI = createToken({ name: 'NotEqualsI', label: "'!~'", pattern: /!~/ });
export const LessEqual = createToken({ name: 'LessEqual', label: "'<='", pattern: /<=/ });
export const Less = createToken({ name: 'Less', label: "'<'", pattern: /</ });
export const GreaterEqual = createToken({ name: 'GreaterEqual', label: "'>='", pattern: />=/ });
export const Greater = createToken({ name: 'Greater', label: "'>'", pattern: />/ });
export const LParen = createToken({ name: 'LParen', label: "'('", pattern: /\(/ });
export const RParen = createToken({ name: 'RParen', label: "')'", pattern: /\)/ });
export const LBracket = createToken({ name: 'LBracket', label: "'['", pattern: /\[/ });
export const RBracket = createToken({ name: 'RBracket', label: "']'", pattern: /]/ });
export const LBrace = createToken({ name: 'LBrace', label: "'{'", pattern: /\{/ });
export const RBrace = createToken({ name: 'RBrace', label: "'}'", pattern: /\}/ });
export const Comma = createToken({ name: 'Comma', label: "','", pattern: /,/ });
export const Colon = createToken({ name: 'Colon', label: "':'", pattern: /:/ });

/** Order matters: keywords before the identifier pattern they are carved out of. */
export const allTokens: TokenType[] = [
  WhiteSpace,
  JsonPath,
  StringLiteral,
  RegexLiteral,
  NumberLiteral,
  Equals,
  NotEquals,
  EqualsI,
  NotEqualsI,
  LessEqual,
  Less,
  GreaterEqual,
  Greater,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LBrace,
  RBrace,
  Comma,
  Colon,
  And,
  Or,
  Not,
  Regex,
  True,
  False,
  Null,
  InI,
  In,
  ContainsI,
  Contains,
  StartsWithI,
  StartsWith,
  EndsWithI,
  EndsWith,
  Identifier,
];

/** The lexer; `validate` runs Chevrotain's checks of the token set (the tests do, ctq skips them at start-up). */
export function buildLexer({ validate = false }: { readonly validate?: boolean } = {}): Lexer {
  return new Lexer(allTokens, { positionTracking: 'onlyOffset', ensureOptimizations: false, skipValidations: !validate });
}

let lexer: Lexer | null = null;

/** Built once, on first use: Chevrotain analyses the token set at construction (~15 ms), which a run without an expression never needs. */
export function expressionLexer(): Lexer {
  return (lexer ??= buildLexer());
}

export const KEYWORDS: readonly string[] = ['and', 'or', 'not', 'regex', 'true', 'false', 'null', 'in', 'contains', 'startswith', 'endswith'];
