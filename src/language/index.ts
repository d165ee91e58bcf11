/**
 * The expression language's public surface: parse, check, compile, pre-filter, and print errors.
 * Everything else in this folder is internal. What runs checked ASTs without the parser is
 * runtime.ts, re-exported here.
 */
export * from './runtime';
export { parseExpression, type ParseResult } from './parse';
export { checkExpression, type CheckResult } from './check';
export { checkCompilable, checkValueReader, compileExpression, compileValueReader, type CompileResult, type ValueReaderResult } from './compile-expression';
export { renderExpressionError, type ExpressionError, type Terminal } from './errors';
export type {
  ExprKind,
  CompareOp,
  TextOp,
  Operand,
  PathOperand,
  LiteralOperand,
  ListOperand,
  CallOperand,
  PlainStep,
  RegexPattern,
  Span,
} from './ast';
export { walk, fold, conjunctsOf, childrenOf, operandsOf, operandsIn, callsIn, findOperand, BREAK, SKIP, type ExprVisitor } from './visitor';
