/**
 * AST → predicate, compiled once into closures. Plain paths become direct property access (no
 * jsonpath-plus, no allocation per event); `path == "literal"` is a property walk and `===`.
 * Semantics, as documented in grammar/README.md:
 * - a missing property reads as `null`; a path selecting nothing behaves like a single `null`;
 * - `==` is deep equality without coercion, true if ANY selected value equals ANY on the other side;
 *   `!=` is its exact negation;
 * - `regex` is true if ANY selected value is a string the pattern finds a match in;
 * - a bare operand is true if ANY selected value is neither `null` nor `false`.
 */
import type { CallOperand, Expr, Operand, PlainStep, RegexPattern } from './ast';
import { checkExpr, checkExpression } from './check';
import { expressionError, type ExpressionError } from './errors';
import { FUNCTION_SIGNATURES, type FunctionImplementations } from './functions';
import type { JsonObject, JsonValue } from './json';
import { parseExpression } from './parse';
import { parsePath } from './path';
import { createPathQuery } from './path-query';
import { deepEqual, isPresent } from './values';

export type Predicate = (event: JsonObject) => boolean;

export type CompileResult =
  | { readonly ok: true; readonly predicate: Predicate; readonly expr: Expr }
  | { readonly ok: false; readonly error: ExpressionError };

export function compileExpression(text: string, implementations: FunctionImplementations = new Map()): CompileResult {
  const parsed = parseExpression(text);
  if (!parsed.ok) return parsed;
  const problem = checkExpr(parsed.expr);
  if (problem !== null) return { ok: false, error: problem };
  const missing = findMissingImplementation(parsed.expr, implementations);
  if (missing !== null) return { ok: false, error: expressionError(`${missing.name}() is not available here`, missing.span) };
  return { ok: true, predicate: compileExpr(parsed.expr, implementations), expr: parsed.expr };
}

/** Compiles a checked AST whose every call has an implementation. */
export function compileExpr(expr: Expr, implementations: FunctionImplementations): Predicate {
  switch (expr.kind) {
    case 'or': {
      const left = compileExpr(expr.left, implementations);
      const right = compileExpr(expr.right, implementations);
      return (event) => left(event) || right(event);
    }
    case 'and': {
      const left = compileExpr(expr.left, implementations);
      const right = compileExpr(expr.right, implementations);
      return (event) => left(event) && right(event);
    }
    case 'not': {
      const operand = compileExpr(expr.operand, implementations);
      return (event) => !operand(event);
    }
    case 'compare': {
      const equal = compileEquality(compileOperand(expr.left, implementations), compileOperand(expr.right, implementations));
      if (expr.op === '==') return equal;
      return (event) => !equal(event);
    }
    case 'regex':
      return compileRegex(compileOperand(expr.subject, implementations), expr.pattern);
    case 'test':
      return compileTest(compileOperand(expr.operand, implementations));
  }
}

export type ValueReaderResult =
  | { readonly ok: true; readonly read: (event: JsonObject) => JsonValue }
  | { readonly ok: false; readonly error: ExpressionError };

/**
 * Compiles a lone JSONPath (e.g. a `--group-by` key) into a reader of its value: the value itself for
 * a plain path (missing → null), the list of selected values for a path that can select several. A call of a
 * function that yields a value (`session()`) is read too, with the implementations given.
 */
export function compileValueReader(text: string, implementations: FunctionImplementations = new Map()): ValueReaderResult {
  const checked = checkExpression(text);
  if (!checked.ok) return checked;
  const { expr } = checked;
  const operand = expr.kind === 'test' ? expr.operand : null;
  const valueCall =
    operand?.kind === 'call' && FUNCTION_SIGNATURES.get(operand.name)?.returns === 'string-or-null' && implementations.has(operand.name);
  if (operand === null || (operand.kind !== 'path' && !valueCall)) {
    const functions = [...FUNCTION_SIGNATURES.values()].filter((f) => f.returns === 'string-or-null' && implementations.has(f.name));
    const also = functions.length > 0 ? ` or ${functions.map((f) => `${f.name}()`).join(', ')}` : '';
    return { ok: false, error: expressionError(`expected a JSONPath such as $.userIdentity.arn${also}`, expr.span) };
  }
  const compiled = compileOperand(operand, implementations);
  if (compiled.kind === 'many') return { ok: true, read: compiled.read };
  if (compiled.kind === 'single') return { ok: true, read: compiled.read };
  const value = compiled.value;
  return { ok: true, read: () => value };
}

/** An operand reads one value (plain paths, calls), many (jsonpath-plus paths), or is a constant. */
type CompiledOperand =
  | { readonly kind: 'constant'; readonly value: JsonValue }
  | { readonly kind: 'single'; readonly read: (event: JsonObject) => JsonValue }
  | { readonly kind: 'many'; readonly read: (event: JsonObject) => JsonValue[] };

function compileOperand(operand: Operand, implementations: FunctionImplementations): CompiledOperand {
  switch (operand.kind) {
    case 'literal':
      return { kind: 'constant', value: operand.value };
    case 'path': {
      if (operand.steps !== null) return { kind: 'single', read: plainReader(operand.steps) };
      const parsed = parsePath(operand.text, operand.span.start);
      if (!parsed.ok) throw new Error(`unchecked path reached the compiler: ${operand.text}`);
      return { kind: 'many', read: createPathQuery(parsed.segments) };
    }
    case 'call':
      return { kind: 'single', read: compileCall(operand, implementations) };
  }
}

function compileCall(call: CallOperand, implementations: FunctionImplementations): (event: JsonObject) => JsonValue {
  const implementation = implementations.get(call.name);
  if (implementation === undefined) throw new Error(`no implementation for ${call.name}() reached the compiler`);
  const args = call.args.map((arg) => compileOperand(arg, implementations));
  const constants = args.every((arg) => arg.kind === 'constant');
  if (constants) {
    const values = args.map((arg) => (arg.kind === 'constant' ? arg.value : null));
    return (event) => implementation(event, values);
  }
  // A path argument that may select several values is passed as the list of what it selected.
  return (event) => implementation(event, args.map((arg) => (arg.kind === 'constant' ? arg.value : arg.read(event))));
}

function compileEquality(left: CompiledOperand, right: CompiledOperand): Predicate {
  if (left.kind === 'constant' && right.kind !== 'constant') return compileEquality(right, left);
  if (left.kind === 'constant' && right.kind === 'constant') {
    const result = deepEqual(left.value, right.value);
    return () => result;
  }
  if (right.kind === 'constant') {
    const value = right.value;
    const scalar = value === null || typeof value !== 'object';
    if (left.kind === 'single') {
      const read = left.read;
      // The hot path: a property walk and one strict comparison.
      return scalar ? (event) => read(event) === value : (event) => deepEqual(read(event), value);
    }
    const read = (left as Extract<CompiledOperand, { kind: 'many' }>).read;
    return (event) => anyEqual(read(event), value);
  }
  if (left.kind === 'single' && right.kind === 'single') {
    const readLeft = left.read;
    const readRight = right.read;
    return (event) => deepEqual(readLeft(event), readRight(event));
  }
  const readLeft = readAll(left);
  const readRight = readAll(right);
  return (event) => {
    const rights = readRight(event);
    for (const value of readLeft(event)) if (anyEqual(rights, value)) return true;
    return false;
  };
}

/** Whether any of `values` equals `value`; no values at all compare as a single `null`. */
function anyEqual(values: readonly JsonValue[], value: JsonValue): boolean {
  if (values.length === 0) return value === null;
  for (const candidate of values) if (deepEqual(candidate, value)) return true;
  return false;
}

const NULL_ONLY: readonly JsonValue[] = [null];

/** Every value an operand yields, with "nothing selected" read as a single `null`. */
function readAll(operand: CompiledOperand): (event: JsonObject) => readonly JsonValue[] {
  switch (operand.kind) {
    case 'constant': {
      const values = [operand.value];
      return () => values;
    }
    case 'single': {
      const read = operand.read;
      return (event) => [read(event)];
    }
    case 'many': {
      const read = operand.read;
      return (event) => {
        const values = read(event);
        return values.length === 0 ? NULL_ONLY : values;
      };
    }
  }
}

function compileRegex(subject: CompiledOperand, pattern: RegexPattern): Predicate {
  const regex = new RegExp(pattern.source, pattern.flags);
  return anyValue(subject, (value) => typeof value === 'string' && regex.test(value));
}

function compileTest(operand: CompiledOperand): Predicate {
  return anyValue(operand, isPresent);
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
      const read = operand.read;
      const acceptsNull = accepts(null);
      return (event) => {
        const values = read(event);
        return values.length === 0 ? acceptsNull : values.some(accepts);
      };
    }
  }
}

type Step = (value: JsonValue) => JsonValue;

/** Direct property access for a plain path; a missing member or index reads as `null`. */
export function plainReader(steps: readonly PlainStep[]): (event: JsonObject) => JsonValue {
  const compiled = steps.map(compileStep);
  const [a, b, c] = compiled;
  switch (compiled.length) {
    case 0:
      return (event) => event;
    case 1:
      return a as Step;
    case 2: {
      const first = a as Step;
      const second = b as Step;
      return (event) => second(first(event));
    }
    case 3: {
      const first = a as Step;
      const second = b as Step;
      const third = c as Step;
      return (event) => third(second(first(event)));
    }
    default:
      return (event) => {
        let value: JsonValue = event;
        for (const step of compiled) value = step(value);
        return value;
      };
  }
}

/** Names an object or array inherits (`constructor`, `length`, `toString`…) must not read as present. */
const inherited = (name: string): boolean => name in Object.prototype || name in Array.prototype;

function compileStep(step: PlainStep): Step {
  if (step.kind === 'index') {
    const index = step.index;
    return (value) => (Array.isArray(value) ? ((value[index] as JsonValue | undefined) ?? null) : null);
  }
  const name = step.name;
  if (inherited(name)) {
    return (value) =>
      typeof value === 'object' && value !== null && !Array.isArray(value) && Object.hasOwn(value, name) ? (value[name] as JsonValue) : null;
  }
  return (value) => {
    if (typeof value !== 'object' || value === null) return null;
    const found = (value as JsonObject)[name];
    return found === undefined ? null : found;
  };
}

function findMissingImplementation(expr: Expr, implementations: FunctionImplementations): CallOperand | null {
  const inOperand = (operand: Operand): CallOperand | null => {
    if (operand.kind !== 'call') return null;
    if (!implementations.has(operand.name)) return operand;
    for (const arg of operand.args) {
      const found = inOperand(arg);
      if (found !== null) return found;
    }
    return null;
  };
  switch (expr.kind) {
    case 'or':
    case 'and':
      return findMissingImplementation(expr.left, implementations) ?? findMissingImplementation(expr.right, implementations);
    case 'not':
      return findMissingImplementation(expr.operand, implementations);
    case 'compare':
      return inOperand(expr.left) ?? inOperand(expr.right);
    case 'regex':
      return inOperand(expr.subject);
    case 'test':
      return inOperand(expr.operand);
  }
}
