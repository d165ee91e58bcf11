/**
 * ctq as a library: compile an expression, read a local source, evaluate a query. Everything else is
 * internal and may change.
 */
export { compileExpression, parseExpression, renderExpressionError, literalPrefilter } from './language';
export type { Expr, ExpressionError, JsonObject, JsonValue, FunctionImplementations } from './language';
export { readLocalEvents } from './scan/read-events';
export type { SourceItem, Origin } from './sources/source-item';
export { compileQuery, type CompiledQuery, type QuerySpec } from './query/query';
export { makeWindow, type TimeWindow } from './query/time-window';
