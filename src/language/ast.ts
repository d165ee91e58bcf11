/**
 * The expression AST: plain typed data produced by the parser, consumed by the checker, the compiler,
 * the literal pre-filter and the query planner (push-down). Offsets are 0-based code-unit offsets into
 * the expression text; messages show them 1-based as columns.
 */
import type { JsonValue } from './json';

export interface Span {
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
}

/** A path step that can be evaluated as direct property access, without jsonpath-plus. */
export type PlainStep =
  | { readonly kind: 'member'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number };

export interface PathOperand {
  readonly kind: 'path';
  /** The JSONPath as written, e.g. `$.userIdentity['arn']`. */
  readonly text: string;
  /**
   * The steps when the path is plain (only members and non-negative indexes): such a path selects at
   * most one value. `null` when the path needs jsonpath-plus (wildcards, filters, recursive descent,
   * slices, unions) and may select several values.
   */
  readonly steps: readonly PlainStep[] | null;
  readonly span: Span;
}

export interface LiteralOperand {
  readonly kind: 'literal';
  readonly value: JsonValue;
  readonly span: Span;
}

export interface CallOperand {
  readonly kind: 'call';
  readonly name: string;
  readonly args: readonly Operand[];
  readonly span: Span;
}

export type Operand = PathOperand | LiteralOperand | CallOperand;

export interface RegexPattern {
  readonly source: string;
  readonly flags: string;
  readonly span: Span;
}

/** Equality (`==`, `!=`, their case-insensitive forms `=~`, `!~`) and ordering (`<`, `<=`, `>`, `>=`). */
export type CompareOp = '==' | '!=' | '=~' | '!~' | '<' | '<=' | '>' | '>=';

/** The substring operators; each has a case-insensitive form written with a trailing `~` (`contains~`). */
export type TextOp = 'contains' | 'startswith' | 'endswith';

/** The right side of `in`: always a literal list, so that a long one compiles to a set lookup. */
export interface ListOperand extends LiteralOperand {
  readonly value: JsonValue[];
}

export type Expr =
  | { readonly kind: 'or'; readonly left: Expr; readonly right: Expr; readonly span: Span }
  | { readonly kind: 'and'; readonly left: Expr; readonly right: Expr; readonly span: Span }
  | { readonly kind: 'not'; readonly operand: Expr; readonly span: Span }
  | { readonly kind: 'compare'; readonly op: CompareOp; readonly left: Operand; readonly right: Operand; readonly span: Span }
  | {
      readonly kind: 'text';
      readonly op: TextOp;
      readonly ignoreCase: boolean;
      readonly subject: Operand;
      readonly needle: Operand;
      readonly span: Span;
    }
  /** `subject in [ … ]`, `not in`, `in~`, `not in~`. `negated` is exactly `not (subject in [ … ])`. */
  | {
      readonly kind: 'in';
      readonly negated: boolean;
      readonly ignoreCase: boolean;
      readonly subject: Operand;
      readonly list: ListOperand;
      readonly span: Span;
    }
  | { readonly kind: 'regex'; readonly subject: Operand; readonly pattern: RegexPattern; readonly span: Span }
  /** A bare operand used as a condition: true when it selects a value that is not null and not false. */
  | { readonly kind: 'test'; readonly operand: Operand; readonly span: Span };

export type ExprKind = Expr['kind'];
