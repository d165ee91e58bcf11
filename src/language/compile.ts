/**
 * A checked AST → predicate, compiled once into closures. Plain paths become direct property access
 * (no jsonpath-plus, no allocation per event); `path == "literal"` is a property walk and `===`.
 * Paths with `[]` are walked the same way, handing each value to the test (unwrapping-reader.ts).
 * The text is parsed and checked in compile-expression.ts: this module never loads the parser, so a
 * scan worker compiles the ASTs it is sent without it (see runtime.ts).
 * Semantics, as documented in grammar/README.md:
 * - a missing property reads as `null`; a path selecting nothing behaves like a single `null`;
 * - every operator is true if ANY selected value on the left satisfies it with ANY on the right;
 *   `!=`, `!~` and `not in` are the exact negations of `==`, `=~` and `in`;
 * - `==` is deep equality without coercion; `=~` the same with strings compared ignoring case;
 * - `<`, `<=`, `>`, `>=` order two numbers or two ISO 8601 timestamps (as instants), else false;
 * - `contains`, `startswith`, `endswith` test strings, and the string elements of a list;
 * - `in [ … ]` is `==` against each element, compiled to a set lookup;
 * - `regex` is true if ANY selected value is a string the pattern finds a match in (RE2);
 * - a bare operand is true if ANY selected value is neither `null` nor `false`.
 *
 * `and`/`or` chains compile to one loop over their operands, not to nested closures, so a chain of
 * thousands of conditions evaluates without deep recursion.
 */
import type { CallOperand, CompareOp, Expr, ListOperand, Operand, RegexPattern, TextOp } from './ast';
import { prepareBuiltin, type PreparedBuiltin } from './builtins';
import { FUNCTION_SIGNATURES, type FunctionImplementations } from './functions';
import type { JsonObject, JsonPrimitive, JsonValue } from './json';
import { compileMultiValuePath } from './multi-value-path';
import { compareOrdered, isOrderOp, orderedOf, type OrderOp } from './ordering';
import { parsePath } from './path';
import { plainReader } from './plain-reader';
import { compileRegex } from './regex';
import type { PathVisitor } from './unwrapping-reader';
import { deepEqual, equalIgnoringCase, isPresent, lowerStrings } from './values';
import { fold } from './visitor';

export type Predicate = (event: JsonObject) => boolean;

/** A compiled node; `and`/`or` keep their flattened operands so an enclosing node of the same kind extends the list. */
interface Compiled {
  readonly predicate: Predicate;
  readonly chain?: { readonly kind: 'and' | 'or'; readonly parts: Predicate[] };
}

/** Compiles a checked AST whose every call has an implementation. */
export function compileExpr(expr: Expr, implementations: FunctionImplementations): Predicate {
  return fold<Compiled>(expr, (node, children) => {
    switch (node.kind) {
      case 'and':
      case 'or':
        return chain(node.kind, children[0] as Compiled, children[1] as Compiled);
      case 'not': {
        const operand = (children[0] as Compiled).predicate;
        return { predicate: (event) => !operand(event) };
      }
      default:
        return { predicate: compileCondition(node, implementations) };
    }
  }).predicate;
}

function chain(kind: 'and' | 'or', left: Compiled, right: Compiled): Compiled {
  // The left operand of a left-deep chain is never shared, so its list can be extended in place.
  const parts = left.chain?.kind === kind ? left.chain.parts : [left.predicate];
  if (right.chain?.kind === kind) parts.push(...right.chain.parts);
  else parts.push(right.predicate);
  if (parts.length === 2) {
    const [a, b] = parts as [Predicate, Predicate];
    return { predicate: kind === 'and' ? (event) => a(event) && b(event) : (event) => a(event) || b(event), chain: { kind, parts } };
  }
  const predicate: Predicate =
    kind === 'and'
      ? (event) => {
          for (const part of parts) if (!part(event)) return false;
          return true;
        }
      : (event) => {
          for (const part of parts) if (part(event)) return true;
          return false;
        };
  return { predicate, chain: { kind, parts } };
}

function compileCondition(expr: Exclude<Expr, { kind: 'and' | 'or' | 'not' }>, implementations: FunctionImplementations): Predicate {
  switch (expr.kind) {
    case 'compare':
      return compileComparison(expr.op, compileOperand(expr.left, implementations), compileOperand(expr.right, implementations));
    case 'text':
      return compileText(expr.op, expr.ignoreCase, compileOperand(expr.subject, implementations), compileOperand(expr.needle, implementations));
    case 'in': {
      const member = anyValue(compileOperand(expr.subject, implementations), membership(expr.list, expr.ignoreCase));
      return expr.negated ? (event) => !member(event) : member;
    }
    case 'regex':
      return compileRegexMatch(compileOperand(expr.subject, implementations), expr.pattern);
    case 'test':
      return anyValue(compileOperand(expr.operand, implementations), isPresent);
  }
}

/** An operand reads one value (plain paths, calls), many (jsonpath-plus paths), or is a constant. */
export type CompiledOperand =
  | { readonly kind: 'constant'; readonly value: JsonValue }
  | { readonly kind: 'single'; readonly read: (event: JsonObject) => JsonValue }
  | {
      readonly kind: 'many';
      readonly read: (event: JsonObject) => JsonValue[];
      /** The same values without a list (paths with `[]`): what `anyValue` uses, so a path that meets no list allocates nothing. */
      readonly visit?: PathVisitor;
    };

/** A checked operand (see compile-expression.ts, `checkValueReader`) as a reader of its value: a constant, one value, or the list a path selected. */
export function readerOfOperand(operand: Operand, implementations: FunctionImplementations): (event: JsonObject) => JsonValue {
  const compiled = compileOperand(operand, implementations);
  if (compiled.kind === 'constant') {
    const value = compiled.value;
    return () => value;
  }
  return compiled.read;
}

export function compileOperand(operand: Operand, implementations: FunctionImplementations): CompiledOperand {
  switch (operand.kind) {
    case 'literal':
      return { kind: 'constant', value: operand.value };
    case 'path': {
      if (operand.steps !== null) return { kind: 'single', read: plainReader(operand.steps) };
      const parsed = parsePath(operand.text, operand.span.start);
      if (!parsed.ok) throw new Error(`unchecked path reached the compiler: ${operand.text}`);
      const { read, visit } = compileMultiValuePath(parsed.segments);
      return visit === null ? { kind: 'many', read } : { kind: 'many', read, visit };
    }
    case 'call':
      return FUNCTION_SIGNATURES.get(operand.name)?.builtin === true ? compileBuiltin(operand, implementations) : compileSupplied(operand, implementations);
  }
}

function compileSupplied(call: CallOperand, implementations: FunctionImplementations): CompiledOperand {
  const implementation = implementations.get(call.name);
  if (implementation === undefined) throw new Error(`no implementation for ${call.name}() reached the compiler`);
  const args = call.args.map((arg) => compileOperand(arg, implementations));
  if (args.every((arg) => arg.kind === 'constant')) {
    const values = args.map((arg) => (arg.kind === 'constant' ? arg.value : null));
    return { kind: 'single', read: (event) => implementation(event, values) };
  }
  // A path argument that may select several values is passed as the list of what it selected.
  return { kind: 'single', read: (event) => implementation(event, args.map((arg) => (arg.kind === 'constant' ? arg.value : arg.read(event)))) };
}

/** A builtin applies to each value of its first argument; the other arguments are checked constants. */
function compileBuiltin(call: CallOperand, implementations: FunctionImplementations): CompiledOperand {
  const constants = call.args.slice(1).filter((arg) => arg.kind === 'literal');
  const prepared = prepareBuiltin(call.name, constants);
  if (prepared === null || !prepared.ok) throw new Error(`unchecked call reached the compiler: ${call.name}()`);
  const builtin: PreparedBuiltin = prepared.builtin;
  const arg = compileOperand(call.args[0] as Operand, implementations);
  if (builtin.kind === 'one') {
    const apply = builtin.apply;
    if (arg.kind === 'constant') return { kind: 'constant', value: apply(arg.value) };
    if (arg.kind === 'single') return { kind: 'single', read: (event) => apply(arg.read(event)) };
    return { kind: 'many', read: (event) => readOrNull(arg.read(event)).map(apply) };
  }
  // Several results per value (`json(x, "$.a[*]")`): the call selects them all.
  const apply = builtin.apply;
  if (arg.kind === 'constant') {
    const values = apply(arg.value);
    return { kind: 'many', read: () => values };
  }
  if (arg.kind === 'single') return { kind: 'many', read: (event) => apply(arg.read(event)) };
  return { kind: 'many', read: (event) => readOrNull(arg.read(event)).flatMap(apply) };
}

const NULL_ONLY: readonly JsonValue[] = [null];

/** What a multi-value path selected, with "nothing" read as a single `null`. */
function readOrNull(values: JsonValue[]): readonly JsonValue[] {
  return values.length === 0 ? NULL_ONLY : values;
}

function compileComparison(op: CompareOp, left: CompiledOperand, right: CompiledOperand): Predicate {
  if (isOrderOp(op)) return compileOrder(op, left, right);
  const positive = op === '==' || op === '!=' ? compileEquality(left, right) : anyPair(left, right, equalIgnoringCase);
  return op === '==' || op === '=~' ? positive : (event) => !positive(event);
}

function compileEquality(left: CompiledOperand, right: CompiledOperand): Predicate {
  if (left.kind === 'constant' && right.kind !== 'constant') return compileEquality(right, left);
  if (right.kind === 'constant' && left.kind === 'single') {
    const value = right.value;
    const read = left.read;
    // The hot path: a property walk and one strict comparison.
    return value === null || typeof value !== 'object' ? (event) => read(event) === value : (event) => deepEqual(read(event), value);
  }
  return anyPair(left, right, deepEqual);
}

function compileOrder(op: OrderOp, left: CompiledOperand, right: CompiledOperand): Predicate {
  if (right.kind === 'constant') {
    const bound = orderedOf(right.value);
    if (bound === null) return () => false;
    return anyValue(left, (value) => compareOrdered(op, orderedOf(value), bound));
  }
  return anyPair(left, right, (a, b) => compareOrdered(op, orderedOf(a), orderedOf(b)));
}

/** True if some value of `left` and some value of `right` satisfy `holds` (in that order). */
function anyPair(left: CompiledOperand, right: CompiledOperand, holds: (a: JsonValue, b: JsonValue) => boolean): Predicate {
  if (right.kind === 'constant') {
    const value = right.value;
    return anyValue(left, (a) => holds(a, value));
  }
  if (left.kind === 'constant') {
    const value = left.value;
    return anyValue(right, (b) => holds(value, b));
  }
  const readLeft = readAll(left);
  const readRight = readAll(right);
  return (event) => {
    const rights = readRight(event);
    for (const a of readLeft(event)) for (const b of rights) if (holds(a, b)) return true;
    return false;
  };
}

/** Every value an operand yields, with "nothing selected" read as a single `null`. */
function readAll(operand: Exclude<CompiledOperand, { kind: 'constant' }>): (event: JsonObject) => readonly JsonValue[] {
  if (operand.kind === 'single') {
    const read = operand.read;
    return (event) => [read(event)];
  }
  const read = operand.read;
  return (event) => readOrNull(read(event));
}

const TEXT_TESTS: Readonly<Record<TextOp, (subject: string, needle: string) => boolean>> = {
  contains: (subject, needle) => subject.includes(needle),
  startswith: (subject, needle) => subject.startsWith(needle),
  endswith: (subject, needle) => subject.endsWith(needle),
};

/**
 * `contains`, `startswith`, `endswith`: a string subject is tested itself, a list subject by its
 * string elements (any of them); anything else, objects included, is false. The `~` forms lower-case
 * both sides first.
 */
function compileText(op: TextOp, ignoreCase: boolean, subject: CompiledOperand, needle: CompiledOperand): Predicate {
  const test = TEXT_TESTS[op];
  const fold = ignoreCase ? (text: string) => text.toLowerCase() : (text: string) => text;
  const holds = (value: JsonValue, wanted: string): boolean => {
    if (typeof value === 'string') return test(fold(value), wanted);
    if (!Array.isArray(value)) return false;
    for (const element of value) if (typeof element === 'string' && test(fold(element), wanted)) return true;
    return false;
  };
  if (needle.kind === 'constant') {
    if (typeof needle.value !== 'string') return () => false;
    const wanted = fold(needle.value);
    return anyValue(subject, (value) => holds(value, wanted));
  }
  return anyPair(subject, needle, (value, wanted) => typeof wanted === 'string' && holds(value, fold(wanted)));
}

/**
 * `in [ … ]` as a set lookup: scalars (strings, numbers, booleans, null) go into a `Set`, which
 * compares them as `==` does (SameValueZero: `0` equals `-0`, `1` equals `1.0`); the rare list or
 * object element is compared deeply. 5,000 values cost one hash lookup per value, not 5,000 tests.
 */
function membership(list: ListOperand, ignoreCase: boolean): (value: JsonValue) => boolean {
  const scalars = new Set<JsonPrimitive>();
  const composites: JsonValue[] = [];
  for (const element of list.value) {
    const folded = ignoreCase ? lowerStrings(element) : element;
    if (folded !== null && typeof folded === 'object') composites.push(folded);
    else scalars.add(folded);
  }
  const equal = ignoreCase ? equalIgnoringCase : deepEqual;
  return (value) => {
    if (value === null || typeof value !== 'object') return scalars.has(ignoreCase && typeof value === 'string' ? value.toLowerCase() : value);
    for (const composite of composites) if (equal(value, composite)) return true;
    return false;
  };
}

function compileRegexMatch(subject: CompiledOperand, pattern: RegexPattern): Predicate {
  const regex = compileRegex(pattern.source, pattern.flags);
  if (!regex.ok) throw new Error(`unchecked regex reached the compiler: ${pattern.source}`);
  const test = regex.test;
  return anyValue(subject, (value) => typeof value === 'string' && test(value));
}

/** True if any value the operand yields passes `accepts`; a path that selects nothing reads as `null`. */
function anyValue(operand: CompiledOperand, accepts: (value: JsonValue) => boolean): Predicate {
  switch (operand.kind) {
    case 'constant': {
      const result = accepts(operand.value);
      return () => result;
    }
    case 'single': {
      const read = operand.read;
      return (event) => accepts(read(event));
    }
    case 'many': {
      const acceptsNull = accepts(null);
      if (operand.visit !== undefined) {
        const visit = operand.visit;
        // Most tests reject null (`== "x"`, `contains`, `regex`): then selecting nothing is false as it stands.
        if (!acceptsNull) return (event) => visit(event, accepts);
        let selectedAny = false;
        const visitor = (value: JsonValue): boolean => {
          selectedAny = true;
          return accepts(value);
        };
        return (event) => {
          selectedAny = false;
          return visit(event, visitor) || (!selectedAny && acceptsNull);
        };
      }
      const read = operand.read;
      return (event) => {
        const values = read(event);
        return values.length === 0 ? acceptsNull : values.some(accepts);
      };
    }
  }
}
