/**
 * Paths that are not plain (wildcards, `..`, filters, slices, unions) are evaluated by jsonpath-plus.
 * This module is the only door to it: it validates a path before any event is read, and builds a
 * reusable query per path. Filters run in jsonpath-plus's `safe` evaluator (its own interpreter, no
 * `eval`/`vm`), the most restrictive mode that still supports filters in version 10, wrapped so that
 * a filter that throws on a value (`@.a.b` where `@.a` is missing) still counts as false there, as
 * jsonpath-plus's `ignoreEvalErrors` would, but is recorded: the CLI warns about it once per filter
 * (`takeFilterFaults`), instead of a rule silently matching nothing.
 */
import { JSONPath } from 'jsonpath-plus';
import type { Span } from './ast';
import type { JsonValue } from './json';
import type { PathSegment } from './path';

export type PathCheck = { readonly ok: true } | { readonly ok: false; readonly message: string; readonly span: Span };

/** Names jsonpath-plus reads as operators rather than keys. */
const SPECIAL_NAME = /^(?:\*|\.\.|\^|~|\$)$|^[@?(]|[,:;'"[\]\\`]/;
const SLICE = /^-?\d*:-?\d*(?::-?\d+)?$/;
const INDEX_UNION = /^\d+(?:\s*,\s*\d+)+$/;

export function checkPathForJsonPathPlus(segments: readonly PathSegment[]): PathCheck {
  for (const segment of segments) {
    if (segment.kind === 'member' && !memberRoundTrips(segment.name)) {
      return {
        ok: false,
        message: `the member name ${JSON.stringify(segment.name)} cannot be used in a path with wildcards, '..' or filters (jsonpath-plus cannot express it); use a plain path`,
        span: segment.span,
      };
    }
    if (segment.kind === 'selector') {
      const problem = selectorProblem(segment.text);
      if (problem !== null) return { ok: false, message: problem, span: segment.span };
    }
  }
  const built = toJsonPathPlus(segments);
  const expectedParts = 1 + segments.length;
  if (JSONPath.toPathArray(built).length !== expectedParts) {
    return { ok: false, message: 'jsonpath-plus cannot read this path', span: segments[0]?.span ?? { start: 0, end: 1 } };
  }
  return { ok: true };
}

function memberRoundTrips(name: string): boolean {
  if (SPECIAL_NAME.test(name) || name === '') return false;
  const parts = JSONPath.toPathArray(`$['${name}']`);
  return parts.length === 2 && parts[1] === name;
}

function selectorProblem(text: string): string | null {
  if (/^-\d+$/.test(text)) {
    return `negative index [${text}] selects nothing in jsonpath-plus; use a slice such as [${text}:] for the last elements`;
  }
  if (SLICE.test(text) || INDEX_UNION.test(text)) return null;
  if (text.startsWith('?(') || text.startsWith('(')) {
    if (!text.endsWith(')')) return `a filter must end with ')': [${text}]`;
    try {
      // Compiles the filter script without needing matching data: jsonpath-plus compiles a script
      // before running it, and only run-time faults are ignored (`ignoreEvalErrors`).
      JSONPath({ path: `$[${text}]`, json: { probe: {} }, wrap: true, eval: 'safe', ignoreEvalErrors: true });
    } catch (error) {
      // jsep parses filters recursively: a filter nested thousands deep exhausts the stack.
      if (error instanceof RangeError) return `filter nested too deeply: [${shortened(text)}]`;
      return `invalid filter [${shortened(text)}]: ${error instanceof Error ? error.message : String(error)}`;
    }
    return unboundedFilterProblem(text);
  }
  return `unsupported selector [${text}] in the path: use a quoted name, an index, '*', a slice (0:2), an index union (0,1) or a filter ?(…)`;
}

/** A filter as quoted in a message: whole, or its start when it is long (the caret shows where it is). */
function shortened(text: string): string {
  return text.length <= 80 ? text : `${text.slice(0, 77)}…`;
}

/** The parts of a jsep syntax tree (what jsonpath-plus's safe evaluator runs) this check looks at. */
interface ScriptNode {
  readonly type?: string;
  readonly raw?: string;
  readonly [key: string]: unknown;
}

/**
 * Filters run JavaScript-like code on values the caller of AWS chose. A method call there reaches
 * JavaScript's backtracking regex engine (`@.match("(a+)+$")`, `/(a+)+$/.test(@)`) and can stall the
 * run for minutes on a 30-character value, which is exactly what running user regexes on RE2
 * prevents. So filters may compare, combine and read members, but not call methods or hold a regex
 * literal; the expression's own operators (`regex`, `contains`, …) do that work safely.
 */
function unboundedFilterProblem(text: string): string | null {
  const body = text.startsWith('?') ? text.slice(1) : text;
  // jsonpath-plus rewrites `@…` to sandbox names before parsing; any identifier will do for the shape.
  let root: { readonly ast: ScriptNode };
  try {
    root = new SafeScript(body.replace(/@/g, '_$_')) as unknown as { readonly ast: ScriptNode };
  } catch (error) {
    return error instanceof RangeError ? `filter nested too deeply: [${shortened(text)}]` : `invalid filter [${shortened(text)}]: ${String(error)}`;
  }
  const pending: unknown[] = [root.ast];
  while (pending.length > 0) {
    const node = pending.pop();
    if (typeof node !== 'object' || node === null) continue;
    const { type, raw } = node as ScriptNode;
    if (type === 'CallExpression') {
      return `a path filter may not call methods: [${shortened(text)}] (they reach a backtracking regex engine that a hostile value can stall); test values with the expression's operators instead, e.g. $.resources[*].ARN contains "prod"`;
    }
    if (type === 'Literal' && typeof raw === 'string' && raw.startsWith('/')) {
      return `a path filter may not hold a /regex/: [${shortened(text)}] (JavaScript's engine backtracks); use the expression's regex operator (RE2), e.g. $.resources[*].ARN regex "^arn:aws:s3"`;
    }
    pending.push(...Object.values(node));
  }
  return null;
}

/** The path in the form jsonpath-plus reads: names quoted, everything else as written. */
export function toJsonPathPlus(segments: readonly PathSegment[]): string {
  let out = '$';
  for (const segment of segments) {
    switch (segment.kind) {
      case 'member':
        out += `['${segment.name}']`;
        break;
      case 'index':
        out += `[${segment.index}]`;
        break;
      case 'wildcard':
        out += '[*]';
        break;
      case 'descent':
        out += '..';
        break;
      case 'selector':
        out += `[${segment.text}]`;
        break;
      case 'unwrap':
        throw new Error("a path with '[]' is read by unwrapping-reader.ts, not jsonpath-plus");
    }
  }
  return out;
}

/** A compiled multi-value path: every value it selects, in document order (empty when none). */
export type PathQuery = (event: JsonValue) => JsonValue[];

interface ReusableJsonPath {
  /** The document `@root` refers to in filters: jsonpath-plus reads it from here, not from `evaluate`'s argument. */
  json: JsonValue;
  evaluate(path: string, json: JsonValue): JsonValue[] | undefined;
}

/** A filter that threw while it was evaluated, how often, and the first error's message. */
export interface FilterFault {
  readonly filter: string;
  readonly message: string;
  readonly count: number;
}

const faults = new Map<string, { message: string; count: number }>();

/** The faults recorded since the last call (on this thread), oldest filter first; clears them. */
export function takeFilterFaults(): FilterFault[] {
  const taken = [...faults].map(([filter, fault]) => ({ filter, ...fault }));
  faults.clear();
  return taken;
}

/** Adds faults recorded elsewhere (a scan worker's) to this thread's record. */
export function addFilterFaults(more: readonly FilterFault[]): void {
  for (const fault of more) {
    const known = faults.get(fault.filter);
    if (known === undefined) faults.set(fault.filter, { message: fault.message, count: fault.count });
    else known.count += fault.count;
  }
}

interface ScriptLike {
  runInNewContext(context: object): unknown;
}

const SafeScript = (JSONPath.prototype as unknown as { safeVm: { Script: new (code: string) => ScriptLike } }).safeVm.Script;

/** jsonpath-plus's safe evaluator (its `eval` option accepts a class with `runInNewContext`), recording faults. */
class RecordingSafeScript implements ScriptLike {
  private readonly inner: ScriptLike;

  /** jsonpath-plus keys its script cache by `String(eval option) + code` on every evaluation: keep that short. */
  static toString(): string {
    return 'ctq-safe';
  }

  constructor(private readonly script: string) {
    this.inner = new SafeScript(script);
  }

  runInNewContext(context: object): unknown {
    try {
      return this.inner.runInNewContext(context);
    } catch (error) {
      // jsonpath-plus hands over the script with `@` rewritten to its sandbox names (`_$_v`, `_$_root`).
      const filter = this.script.replace(/_\$_v\b/g, '@').replace(/_\$_(\w+)/g, '@$1');
      const known = faults.get(filter);
      if (known === undefined) faults.set(filter, { message: error instanceof Error ? error.message : String(error), count: 1 });
      else known.count++;
      return false;
    }
  }
}

/** Counts jsonpath-plus evaluations, so a test can prove plain paths never reach it. */
export const jsonPathPlusCalls = { count: 0 };

export function createPathQuery(segments: readonly PathSegment[]): PathQuery {
  const path = toJsonPathPlus(segments);
  // One instance per path, reused for every event (autostart: false): construction parses options,
  // and toPathArray caches the parsed path by its text.
  const engine = JSONPath({
    autostart: false,
    path,
    json: null,
    wrap: true,
    eval: RecordingSafeScript as unknown as 'safe',
    ignoreEvalErrors: true,
  }) as unknown as ReusableJsonPath;
  return (event) => {
    jsonPathPlusCalls.count++;
    // `@root` must be this event, not the `json` the engine was built with (null).
    engine.json = event;
    try {
      return engine.evaluate(path, event) ?? [];
    } finally {
      engine.json = null;
    }
  };
}
