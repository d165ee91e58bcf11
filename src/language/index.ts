/**
 * The expression language's public surface: parse, check, compile, pre-filter, and print errors.
 * Everything else in this folder is internal.
 */
export { parseExpression, type ParseResult } from './parse';
export { checkExpression, type CheckResult } from './check';
export { compileExpression, compileValueReader, type CompileResult, type Predicate, type ValueReaderResult } from './compile';
export { literalPrefilter, literalNeedles, needleStrength, type Prefilter, type LiteralNeedles, type RecordPrefilter } from './prefilter';
export { renderExpressionError, type ExpressionError, type Terminal } from './errors';
export type {
  Expr,
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
export type { JsonObject, JsonValue } from './json';
export {
  FUNCTION_SIGNATURES,
  type FunctionImplementation,
  type FunctionImplementations,
  type FunctionSignature,
} from './functions';
export { takeFilterFaults, addFilterFaults, type FilterFault } from './path-query';
