/**
 * The grammar, as one Chevrotain parser built once at module load and reused: set `parser.input`
 * and call `parser.expression()` per expression (construction is the expensive part). The rules
 * mirror grammar/ctq.ebnf one for one; grammar-sync tests keep the two honest.
 */
import { CstParser, type CstNode } from 'chevrotain';
import {
  allTokens,
  And,
  Colon,
  Comma,
  Contains,
  ContainsI,
  EndsWith,
  EndsWithI,
  Equals,
  EqualsI,
  False,
  Greater,
  GreaterEqual,
  Identifier,
  In,
  InI,
  JsonPath,
  LBrace,
  LBracket,
  LParen,
  Less,
  LessEqual,
  Not,
  NotEquals,
  NotEqualsI,
  Null,
  NumberLiteral,
  Or,
  RBrace,
  RBracket,
  Regex,
  RegexLiteral,
  RParen,
  StartsWith,
  StartsWithI,
  StringLiteral,
  True,
} from './lexer';

export class ExpressionParser extends CstParser {
  /**
   * `validate` runs Chevrotain's grammar checks (ambiguities, left recursion), a third of building
   * the parser and so of every start-up; the grammar is fixed, so they run in the tests, not in ctq.
   */
  constructor({ validate = false }: { readonly validate?: boolean } = {}) {
    super(allTokens, { maxLookahead: 1, nodeLocationTracking: 'onlyOffset', skipValidations: !validate });
    this.performSelfAnalysis();
  }

  /** Lowest precedence: `a or b`. */
  public readonly expression = this.RULE('expression', (): void => {
    this.SUBRULE(this.conjunction);
    this.MANY(() => {
      this.CONSUME(Or);
      this.SUBRULE2(this.conjunction);
    });
  });

  public readonly conjunction = this.RULE('conjunction', (): void => {
    this.SUBRULE(this.negation);
    this.MANY(() => {
      this.CONSUME(And);
      this.SUBRULE2(this.negation);
    });
  });

  public readonly negation = this.RULE('negation', (): void => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(Not);
          this.SUBRULE(this.negation);
        },
      },
      { ALT: () => this.SUBRULE(this.condition) },
    ]);
  });

  public readonly condition = this.RULE('condition', (): void => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(LParen);
          this.SUBRULE(this.expression);
          this.CONSUME(RParen);
        },
      },
      { ALT: () => this.SUBRULE(this.comparison) },
    ]);
  });

  /** An operand alone is a test; with an operator it is a comparison, a substring or list test, or a regex match. */
  public readonly comparison = this.RULE('comparison', (): void => {
    this.SUBRULE(this.operand);
    this.OPTION(() => {
      this.OR([
        {
          ALT: () => {
            this.SUBRULE(this.comparator);
            this.SUBRULE2(this.operand);
          },
        },
        {
          ALT: () => {
            this.OR2([{ ALT: () => this.CONSUME(In) }, { ALT: () => this.CONSUME(InI) }]);
            this.SUBRULE(this.list);
          },
        },
        {
          // `not` cannot otherwise follow an operand, so one token of lookahead tells `not in` apart.
          ALT: () => {
            this.CONSUME(Not);
            this.OR3([{ ALT: () => this.CONSUME2(In) }, { ALT: () => this.CONSUME2(InI) }]);
            this.SUBRULE2(this.list);
          },
        },
        {
          ALT: () => {
            this.CONSUME(Regex);
            this.SUBRULE(this.pattern);
          },
        },
      ]);
    });
  });

  /** The operators that take an operand on each side. */
  public readonly comparator = this.RULE('comparator', (): void => {
    this.OR([
      { ALT: () => this.CONSUME(Equals) },
      { ALT: () => this.CONSUME(NotEquals) },
      { ALT: () => this.CONSUME(EqualsI) },
      { ALT: () => this.CONSUME(NotEqualsI) },
      { ALT: () => this.CONSUME(Less) },
      { ALT: () => this.CONSUME(LessEqual) },
      { ALT: () => this.CONSUME(Greater) },
      { ALT: () => this.CONSUME(GreaterEqual) },
      { ALT: () => this.CONSUME(Contains) },
      { ALT: () => this.CONSUME(ContainsI) },
      { ALT: () => this.CONSUME(StartsWith) },
      { ALT: () => this.CONSUME(StartsWithI) },
      { ALT: () => this.CONSUME(EndsWith) },
      { ALT: () => this.CONSUME(EndsWithI) },
    ]);
  });

  public readonly operand = this.RULE('operand', (): void => {
    this.OR([
      { ALT: () => this.CONSUME(JsonPath) },
      { ALT: () => this.SUBRULE(this.call) },
      { ALT: () => this.SUBRULE(this.literal) },
    ]);
  });

  public readonly call = this.RULE('call', (): void => {
    this.CONSUME(Identifier);
    this.CONSUME(LParen);
    this.MANY_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.operand) });
    this.CONSUME(RParen);
  });

  public readonly literal = this.RULE('literal', (): void => {
    this.OR([
      { ALT: () => this.CONSUME(StringLiteral) },
      { ALT: () => this.CONSUME(NumberLiteral) },
      { ALT: () => this.CONSUME(True) },
      { ALT: () => this.CONSUME(False) },
      { ALT: () => this.CONSUME(Null) },
      { ALT: () => this.SUBRULE(this.list) },
      { ALT: () => this.SUBRULE(this.object) },
    ]);
  });

  public readonly list = this.RULE('list', (): void => {
    this.CONSUME(LBracket);
    this.MANY_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.literal) });
    this.CONSUME(RBracket);
  });

  public readonly object = this.RULE('object', (): void => {
    this.CONSUME(LBrace);
    this.MANY_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.member) });
    this.CONSUME(RBrace);
  });

  public readonly member = this.RULE('member', (): void => {
    this.CONSUME(StringLiteral);
    this.CONSUME(Colon);
    this.SUBRULE(this.literal);
  });

  /** The right side of `regex`: a quoted pattern or a `/pattern/flags` literal. */
  public readonly pattern = this.RULE('pattern', (): void => {
    this.OR([{ ALT: () => this.CONSUME(StringLiteral) }, { ALT: () => this.CONSUME(RegexLiteral) }]);
  });
}

/** The one parser instance. Not re-entrant: parse one expression at a time (parsing is synchronous). */
let instance: ExpressionParser | null = null;

/** The parser, built on first use: Chevrotain analyses the grammar at construction (~15 ms), which a run without an expression never needs. */
export function expressionParser(): ExpressionParser {
  return (instance ??= new ExpressionParser());
}

export type { CstNode };
