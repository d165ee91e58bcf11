/**
 * The part of the language that runs expressions already parsed and checked: compile an AST into a
 * predicate, its literal pre-filter, the JSONPath filter faults. Nothing here reaches the parser
 * (Chevrotain builds its grammar when loaded: ~100 ms of CPU), so a scan worker imports this rather
 * than index.ts and compiles the ASTs the calling thread sends it (test/scan/worker-bundle.test.ts).
 */
export { compileExpr, readerOfOperand, type Predicate } from './compile';
export { literalPrefilter, literalNeedles, needleStrength, type Prefilter, type LiteralNeedles, type RecordPrefilter } from './prefilter';
export { memberRequirement, allOf as allMemberRequirements, type MemberRequirement, type MemberAlternative } from './member-requirement';
export { takeFilterFaults, addFilterFaults, type FilterFault } from './path-query';
export { FUNCTION_SIGNATURES, type FunctionImplementation, type FunctionImplementations, type FunctionSignature } from './functions';
export type { Expr, Operand } from './ast';
export type { JsonObject, JsonValue } from './json';
