/**
 * The visitor from Chevrotain's concrete syntax tree to our AST (ast.ts). Literals are decoded here
 * and paths split into segments, so a bad escape or an unclosed bracket is reported with its own
 * position; the first such fault is kept in `error` rather than thrown.
 */
import type { CstElement, CstNode, IToken } from 'chevrotain';
import type { CallOperand, CompareOp, Expr, ListOperand, LiteralOperand, Operand, RegexPattern, Span, TextOp } from './ast';
import { expressionError, type ExpressionError } from './errors';
import type { JsonObject } from './json';
import { expressionParser } from './parser';
import { parsePath } from './path';
import { decodeQuoted } from './strings';

type Children = Record<string, CstElement[] | undefined>;

const COMPARE_OPS: Readonly<Record<string, CompareOp>> = {
  Equals: '==',
  NotEquals: '!=',
  EqualsI: '=~',
  NotEqualsI: '!~',
  Less: '<',
  LessEqual: '<=',
  Greater: '>',
  GreaterEqual: '>=',
};

const TEXT_OPS: Readonly<Record<string, readonly [TextOp, boolean]>> = {
  Contains: ['contains', false],
  ContainsI: ['contains', true],
  StartsWith: ['startswith', false],
  StartsWithI: ['startswith', true],
  EndsWith: ['endswith', false],
  EndsWithI: ['endswith', true],
};

/** What parse.ts uses of the visitor. */
export interface CstToAst {
  /** The first decoding fault met, if any; the AST is then incomplete and must not be used. */
  readonly error: ExpressionError | null;
  toExpr(node: CstNode): Expr;
}

let Visitor: (new () => CstToAst) | null = null;

/**
 * A new visitor. Its class extends the parser's base visitor, which needs the parser built: both are made on the
 * first expression parsed, not when the module loads (a run without an expression never builds them; ~30 ms).
 */
export function newCstToAst(): CstToAst {
  Visitor ??= defineVisitor();
  return new Visitor();
}

function defineVisitor(): new () => CstToAst {
  const BaseVisitor = expressionParser().getBaseCstVisitorConstructor<void, unknown>();
  return class extends BaseVisitor implements CstToAst {
    /** The first decoding fault met, if any; the AST is then incomplete and must not be used. */
    error: ExpressionError | null = null;

    constructor() {
      super();
      this.validateVisitor();
    }

    toExpr(node: CstNode): Expr {
      return this.visit(node) as Expr;
    }

    expression(ctx: Children): Expr {
      return this.leftAssociative(nodes(ctx.conjunction), 'or');
    }

    conjunction(ctx: Children): Expr {
      return this.leftAssociative(nodes(ctx.negation), 'and');
    }

    negation(ctx: Children): Expr {
      const not = first(tokens(ctx.Not));
      const inner = this.toExpr(only(nodes(ctx.negation ?? ctx.condition)));
      return not === undefined ? inner : { kind: 'not', operand: inner, span: join(tokenSpan(not), inner.span) };
    }

    condition(ctx: Children): Expr {
      const inner = this.toExpr(only(nodes(ctx.expression ?? ctx.comparison)));
      const open = first(tokens(ctx.LParen));
      const close = first(tokens(ctx.RParen));
      // A parenthesised condition keeps the inner node but widens its span to the parentheses.
      return open !== undefined && close !== undefined ? { ...inner, span: join(tokenSpan(open), tokenSpan(close)) } : inner;
    }

    comparison(ctx: Children): Expr {
      const operands = nodes(ctx.operand).map((node) => this.visit(node) as Operand);
      const left = operands[0] as Operand;
      const right = operands[1];
      const comparator = first(nodes(ctx.comparator));
      if (right !== undefined && comparator !== undefined) {
        const token = only(Object.values(comparator.children as Children).flatMap((elements) => tokens(elements)));
        const span = join(left.span, right.span);
        const op = COMPARE_OPS[token.tokenType.name];
        if (op !== undefined) return { kind: 'compare', op, left, right, span };
        const text = TEXT_OPS[token.tokenType.name];
        if (text === undefined) throw new Error(`comparator token ${token.tokenType.name} has no operator`);
        const [textOp, ignoreCase] = text;
        return { kind: 'text', op: textOp, ignoreCase, subject: left, needle: right, span };
      }
      const listNode = first(nodes(ctx.list));
      if (listNode !== undefined) {
        const list = this.visit(listNode) as ListOperand;
        const ignoreCase = tokens(ctx.InI).length > 0;
        return { kind: 'in', negated: tokens(ctx.Not).length > 0, ignoreCase, subject: left, list, span: join(left.span, list.span) };
      }
      const patternNode = first(nodes(ctx.pattern));
      if (patternNode !== undefined) {
        const pattern = this.visit(patternNode) as RegexPattern;
        return { kind: 'regex', subject: left, pattern, span: join(left.span, pattern.span) };
      }
      return { kind: 'test', operand: left, span: left.span };
    }

    comparator(): never {
      throw new Error('comparator is visited by comparison()');
    }

    operand(ctx: Children): Operand {
      const path = first(tokens(ctx.JsonPath));
      if (path !== undefined) {
        const span = tokenSpan(path);
        const parsed = parsePath(path.image, path.startOffset);
        if (!parsed.ok) {
          this.fail(parsed.message, parsed.span, parsed.hint);
          return { kind: 'path', text: path.image, steps: null, span };
        }
        return { kind: 'path', text: path.image, steps: parsed.steps, span };
      }
      return this.visit(only(nodes(ctx.call ?? ctx.literal))) as Operand;
    }

    call(ctx: Children): CallOperand {
      const name = only(tokens(ctx.Identifier));
      const args = nodes(ctx.operand).map((node) => this.visit(node) as Operand);
      return { kind: 'call', name: name.image, args, span: join(tokenSpan(name), tokenSpan(only(tokens(ctx.RParen)))) };
    }

    literal(ctx: Children): LiteralOperand {
      const token = first(tokens(ctx.StringLiteral ?? ctx.NumberLiteral ?? ctx.True ?? ctx.False ?? ctx.Null));
      if (token === undefined) return this.visit(only(nodes(ctx.list ?? ctx.object))) as LiteralOperand;
      const span = tokenSpan(token);
      switch (token.tokenType.name) {
        case 'StringLiteral':
          return { kind: 'literal', value: this.decodeString(token), span };
        case 'NumberLiteral':
          return { kind: 'literal', value: Number(token.image), span };
        case 'True':
          return { kind: 'literal', value: true, span };
        case 'False':
          return { kind: 'literal', value: false, span };
        default:
          return { kind: 'literal', value: null, span };
      }
    }

    list(ctx: Children): ListOperand {
      const items = nodes(ctx.literal).map((node) => (this.visit(node) as LiteralOperand).value);
      return { kind: 'literal', value: items, span: join(tokenSpan(only(tokens(ctx.LBracket))), tokenSpan(only(tokens(ctx.RBracket)))) };
    }

    object(ctx: Children): LiteralOperand {
      const value: JsonObject = {};
      for (const memberNode of nodes(ctx.member)) {
        const member = memberNode.children as Children;
        const keyToken = only(tokens(member.StringLiteral));
        const key = this.decodeString(keyToken);
        if (Object.hasOwn(value, key)) this.fail(`duplicate key ${JSON.stringify(key)} in an object literal`, tokenSpan(keyToken));
        // defineProperty, not assignment: a key such as "__proto__" must become an ordinary own key.
        Object.defineProperty(value, key, {
          value: (this.visit(only(nodes(member.literal))) as LiteralOperand).value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return { kind: 'literal', value, span: join(tokenSpan(only(tokens(ctx.LBrace))), tokenSpan(only(tokens(ctx.RBrace)))) };
    }

    member(): never {
      throw new Error('member is visited by object()');
    }

    pattern(ctx: Children): RegexPattern {
      const quoted = first(tokens(ctx.StringLiteral));
      if (quoted !== undefined) return { source: this.decodeString(quoted), flags: '', span: tokenSpan(quoted) };
      const token = only(tokens(ctx.RegexLiteral));
      const close = token.image.lastIndexOf('/');
      return { source: token.image.slice(1, close), flags: token.image.slice(close + 1), span: tokenSpan(token) };
    }

    private leftAssociative(operands: CstNode[], kind: 'and' | 'or'): Expr {
      let result = this.toExpr(operands[0] as CstNode);
      for (const node of operands.slice(1)) {
        const right = this.toExpr(node);
        result = { kind, left: result, right, span: join(result.span, right.span) };
      }
      return result;
    }

    private decodeString(token: IToken): string {
      const decoded = decodeQuoted(token.image);
      if (decoded.ok) return decoded.value;
      const at = token.startOffset + decoded.at;
      this.fail(decoded.message, { start: at, end: at + 2 }, decoded.hint);
      return '';
    }

    private fail(message: string, span: Span, hint?: string): void {
      this.error ??= hint === undefined ? expressionError(message, span) : { message, span, hint };
    }
  };
}

function nodes(elements: CstElement[] | undefined): CstNode[] {
  return (elements ?? []).filter((element): element is CstNode => 'children' in element);
}

function tokens(elements: CstElement[] | undefined): IToken[] {
  return (elements ?? []).filter((element): element is IToken => 'image' in element);
}

function first<T>(items: readonly T[]): T | undefined {
  return items[0];
}

function only<T>(items: readonly T[]): T {
  const item = items[0];
  if (item === undefined) throw new Error('CST node is missing a child the grammar guarantees');
  return item;
}

function tokenSpan(token: IToken): Span {
  return { start: token.startOffset, end: token.startOffset + token.image.length };
}

function join(a: Span, b: Span): Span {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}
