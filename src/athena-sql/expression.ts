/**
 * A ctq expression (src/language/ast.ts) as a WHERE condition over the trail table that is TRUE for
 * every event the expression accepts: a superset, never a decision. ctq re-reads the objects Athena
 * names and evaluates the expression itself, so pushing less is always correct; pushing something
 * that is not a superset would lose events. What is pushed:
 *
 * - `path == "string"` / `path == true|false` on a field of the table's STRUCT columns: struct
 *   dereference (`useridentity.accesskeyid = '…'`). Hive's JSON SerDe renders a JSON boolean in a
 *   STRING column as `true`/`false`, so a boolean compares as that text. Numbers are not pushed: the
 *   SerDe keeps the number as written (`1.0`), and ctq compares numbers by value.
 * - the same inside the JSON-string columns (requestParameters, responseElements, additionalEventData,
 *   serviceEventDetails): `json_extract_scalar(column, '$.path') = '…'`.
 * - `$.resources[*].type == "…"`: `any_match(resources, r -> r.type = '…')`; `[]` (unwrap) as `[*]` on
 *   a list column and as nothing on any other column (`$.userIdentity[].type[]` reads `useridentity.type`).
 * - `path == null` → `IS NULL`; `path != null` and a bare path → `IS NOT NULL` (json_extract, which is
 *   not NULL for an object either, inside the JSON columns).
 * - `regex`: its required literals (regex-literals.ts) as `strpos(…) > 0`.
 * - `contains "x"` → `strpos(…, 'x') > 0`; `startswith "x"` / `endswith "x"` → `LIKE 'x%'` / `LIKE '%x'`
 *   with `ESCAPE '\'`. ctq tests a list's string elements too, so inside a JSON column (where an
 *   attacker's request may hold a list) a JSON array also passes (`json_array_length(…) > 0`). The
 *   struct columns hold what CloudTrail documents as strings.
 * - `in [strings, booleans, null]` → `IN (…)` (`OR … IS NULL` for a null element), as the `==` it
 *   abbreviates; a number, list or object element pushes nothing. `not in` pushes what `!=` does.
 * - the `~` forms (`=~`, `contains~`, `startswith~`, `endswith~`, `in~`) → `lower(…)` against the
 *   literal lowered, only for an ASCII literal: then JavaScript's `toLowerCase` (full mapping) and
 *   Trino's `lower` (Java's per-code-point mapping) agree on every match: the non-ASCII characters
 *   JavaScript lowers into ASCII (the Kelvin sign → `k`; `İ` → `i` + U+0307) Trino lowers to the same
 *   ASCII letter, so Trino matches at least as much. A non-ASCII literal pushes nothing. `!~` pushes
 *   what `!=` does.
 * - `$.eventTime` `<`, `<=`, `>`, `>=` an ISO timestamp literal → the `eventtime` range on whole
 *   seconds (window.ts; CloudTrail writes eventTime in UTC with a `Z`, as the window assumes too).
 * - `and`, `or`, `not` by De Morgan; an `or` with a branch that pushes nothing pushes nothing.
 * Everything else — `!=` a value, ordering on anything but eventTime, numbers, lists, objects, function
 * calls (`lower`, `upper`, `len`, `cidr`, `json`, `session`, `chainOf`), a needle that is not a string
 * literal, paths the table has no column for (or spelled in another case), and any expression or
 * operand kind this module does not know — pushes nothing.
 */
import type { CompareOp, Expr, ListOperand, Operand, RegexPattern, TextOp } from '../language/ast';
import { fold } from '../language/visitor';
import type { JsonValue } from '../language/json';
import { timestampInstant } from '../language/ordering';
import { parsePath, type PathSegment } from '../language/path';
import { allOf, anyOf, type Superset } from './condition';
import { requiredLiterals } from './regex-literals';
import { LIKE_ESCAPE, likeLiteral, sqlString } from './sql-text';
import { TRAIL_COLUMNS, findField, sqlName, type ColumnType, type Field } from './trail-table';
import { eventTimeBound } from './window';

export function pushExpression(expr: Expr): Superset {
  return fold<Pushed>(expr, pushNode).accepted;
}

/**
 * A node's two conditions: TRUE for every event it accepts, and TRUE for every event it rejects (what
 * a `not` above it pushes). Both are folded up from the leaves by the language's one walker, which
 * is iterative: a 100 KB chain of `and` is tens of thousands of nodes deep.
 */
interface Pushed {
  readonly accepted: Superset;
  readonly rejected: Superset;
}

function pushNode(expr: Expr, [left, right]: readonly Pushed[]): Pushed {
  switch (expr.kind) {
    // By De Morgan: not (a and b) is (not a) or (not b), and the other way round.
    case 'and':
      return { accepted: allOf([left!.accepted, right!.accepted]), rejected: anyOf([left!.rejected, right!.rejected]) };
    case 'or':
      return { accepted: anyOf([left!.accepted, right!.accepted]), rejected: allOf([left!.rejected, right!.rejected]) };
    case 'not':
      return { accepted: left!.rejected, rejected: left!.accepted };
    case 'compare': {
      const negated = NEGATED_EQUALITY[expr.op];
      // A negated ordering pushes nothing: `not ($.x < 5)` is true for a missing or unordered `$.x`.
      return { accepted: pushComparison(expr.op, expr.left, expr.right), rejected: negated === undefined ? null : pushComparison(negated, expr.left, expr.right) };
    }
    case 'in': {
      const inList = pushIn(expr.subject, expr.list, expr.ignoreCase);
      const notInList = pushNotIn(expr.subject, expr.list);
      return expr.negated ? { accepted: notInList, rejected: inList } : { accepted: inList, rejected: notInList };
    }
    case 'text':
      return { accepted: pushText(expr.op, expr.ignoreCase, expr.subject, expr.needle), rejected: null };
    case 'regex':
      return { accepted: pushRegex(expr.subject, expr.pattern), rejected: null };
    case 'test':
      return { accepted: pushPresence(expr.operand), rejected: null };
    default:
      // An expression kind added to the language after this module: not pushed, still a superset.
      return { accepted: null, rejected: null };
  }
}

/** `!=` is exactly `not ==`, `!~` exactly `not =~` (grammar/README.md). */
const NEGATED_EQUALITY: Partial<Record<CompareOp, CompareOp>> = { '==': '!=', '!=': '==', '=~': '!~', '!~': '=~' };

function pushComparison(op: CompareOp, left: Operand, right: Operand): Superset {
  switch (op) {
    case '==':
    case '=~':
      return pushEquality(left, right, op === '=~') ?? pushEquality(right, left, op === '=~');
    case '!=':
    case '!~':
      // Case does not matter to the one inequality pushed, `!= null`.
      return pushInequality(left, right) ?? pushInequality(right, left);
    case '<':
    case '<=':
    case '>':
    case '>=':
      return pushEventTimeOrder(op, left, right) ?? pushEventTimeOrder(FLIPPED[op], right, left);
    default:
      // An operator added to the language after this module: not pushed, still a superset.
      return null;
  }
}

const FLIPPED = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as const;

/** Where an operand's value lives in the table, when it is one string-valued place. */
type Place =
  /** A STRING column or struct field: `sql` reads it. */
  | { readonly kind: 'field'; readonly sql: string }
  /** A member inside a JSON-string column. */
  | { readonly kind: 'json'; readonly column: string; readonly jsonPath: string }
  /** Each element of an array column: `any_match(array, element -> …)` with `element` read as `sql`. */
  | { readonly kind: 'each'; readonly array: string; readonly variable: string; readonly inner: Place };

function pushEquality(subject: Operand, other: Operand, ignoreCase: boolean): Superset {
  if (subject.kind !== 'path' || other.kind !== 'literal') return null;
  const place = placeOf(subject);
  if (place === null) return null;
  return condition(place, (read) => equalsLiteral(read, other.value, ignoreCase), other.value === null ? 'none' : 'any');
}

/** `in [a, b]` is `== a or == b`: the string and boolean elements as one `IN`, a null element as `IS NULL`. */
function pushIn(subject: Operand, list: ListOperand, ignoreCase: boolean): Superset {
  if (subject.kind !== 'path' || list.value.length === 0) return null;
  const place = placeOf(subject);
  if (place === null) return null;
  const texts: string[] = [];
  for (const element of list.value) {
    if (element === null) continue;
    const text = comparedText(element, ignoreCase);
    if (text === null) return null;
    texts.push(sqlString(text));
  }
  const withNull = list.value.includes(null);
  const test = (read: string): Superset => {
    const folded = ignoreCase ? `lower(${read})` : read;
    const inList = texts.length === 0 ? null : texts.length === 1 ? `${folded} = ${texts[0]!}` : `${folded} IN (${[...new Set(texts)].join(', ')})`;
    if (!withNull) return inList;
    return inList === null ? `${read} IS NULL` : `(${inList}) OR (${read} IS NULL)`;
  };
  return condition(place, test, withNull ? 'none' : 'any');
}

/** `not in [...]` is `!= a and != b …`: only a null element pushes something, presence. */
function pushNotIn(subject: Operand, list: ListOperand): Superset {
  return list.value.includes(null) ? pushPresence(subject) : null;
}

function pushText(op: TextOp, ignoreCase: boolean, subject: Operand, needle: Operand): Superset {
  if (subject.kind !== 'path' || needle.kind !== 'literal' || typeof needle.value !== 'string') return null;
  const wanted = comparedText(needle.value, ignoreCase);
  const place = placeOf(subject);
  if (wanted === null || place === null) return null;
  const test = (read: string): string => {
    const folded = ignoreCase ? `lower(${read})` : read;
    if (op === 'contains') return wanted === '' ? `${read} IS NOT NULL` : `strpos(${folded}, ${sqlString(wanted)}) > 0`;
    const pattern = op === 'startswith' ? `${likeLiteral(wanted)}%` : `%${likeLiteral(wanted)}`;
    return `${folded} LIKE ${sqlString(pattern)} ESCAPE ${sqlString(LIKE_ESCAPE)}`;
  };
  return condition(place, test, 'any', 'lists pass');
}

/**
 * `$.eventTime` against an ISO timestamp literal: the `eventtime` range, on whole seconds (so `>` is
 * pushed as `>=`). ctq compares instants, so a literal with an offset is converted first.
 */
function pushEventTimeOrder(op: '<' | '<=' | '>' | '>=', subject: Operand, other: Operand): Superset {
  if (subject.kind !== 'path' || other.kind !== 'literal' || typeof other.value !== 'string') return null;
  const place = placeOf(subject);
  const instant = timestampInstant(other.value);
  if (place?.kind !== 'field' || place.sql !== EVENT_TIME || instant === null) return null;
  return eventTimeBound(op === '>' || op === '>=' ? 'from' : 'to', instant);
}

const EVENT_TIME = 'eventtime';

const ASCII = /^[\u0000-\u007f]*$/;
/** A lone surrogate has no UTF-8 form for Trino, and JavaScript could match it inside a pair. */
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * A string or boolean as the text the table holds (a boolean as `true`/`false`, see the header),
 * lowered for a case-insensitive test; null when it cannot be compared in SQL as ctq compares it.
 */
function comparedText(value: JsonValue, ignoreCase: boolean): string | null {
  if (typeof value === 'boolean') return String(value);
  if (typeof value !== 'string' || LONE_SURROGATE.test(value)) return null;
  if (!ignoreCase) return value;
  return ASCII.test(value) ? value.toLowerCase() : null;
}

function pushInequality(subject: Operand, other: Operand): Superset {
  if (subject.kind !== 'path' || other.kind !== 'literal' || other.value !== null) return null;
  return pushPresence(subject);
}

function pushPresence(operand: Operand): Superset {
  if (operand.kind !== 'path') return null;
  const place = placeOf(operand);
  if (place === null || place.kind === 'each') return null;
  return place.kind === 'json' ? `json_extract(${place.column}, ${sqlString(place.jsonPath)}) IS NOT NULL` : `${place.sql} IS NOT NULL`;
}

function pushRegex(subject: Operand, pattern: RegexPattern): Superset {
  if (subject.kind !== 'path') return null;
  const place = placeOf(subject);
  const requirement = requiredLiterals(pattern.source, pattern.flags);
  if (place === null || requirement === null) return null;
  return condition(
    place,
    (read) => {
      const subjectSql = requirement.caseInsensitive ? `lower(${read})` : read;
      return allOf(requirement.literals.map((literal) => `strpos(${subjectSql}, ${sqlString(literal)}) > 0`));
    },
    'any',
  );
}

/**
 * The condition on a place. `emptyArray` says what ctq answers for an array path that selects
 * nothing (it reads as one null): `'none'` when that could be true (then nothing is pushed for
 * `each` places), `'any'` when the test needs a real value. `'lists pass'`: ctq also tests the
 * elements of a list value, which json_extract_scalar reads as NULL, so a JSON array passes.
 */
function condition(place: Place, test: (read: string) => Superset, emptyArray: 'none' | 'any', lists?: 'lists pass'): Superset {
  switch (place.kind) {
    case 'field':
      return test(place.sql);
    case 'json': {
      const path = sqlString(place.jsonPath);
      const scalar = test(`json_extract_scalar(${place.column}, ${path})`);
      return lists === undefined ? scalar : anyOf([scalar, `json_array_length(json_extract(${place.column}, ${path})) > 0`]);
    }
    case 'each': {
      if (emptyArray === 'none') return null;
      const inner = condition(place.inner, test, emptyArray, lists);
      return inner === null ? null : `any_match(${place.array}, ${place.variable} -> ${inner})`;
    }
  }
}

function equalsLiteral(read: string, value: JsonValue, ignoreCase: boolean): Superset {
  if (value === null) return `${read} IS NULL`;
  const text = comparedText(value, ignoreCase);
  if (text === null) return null;
  return ignoreCase && typeof value === 'string' ? `lower(${read}) = ${sqlString(text)}` : `${read} = ${sqlString(text)}`;
}

const ELEMENT = 'r';

/** The place a path reads, or null when the table has no single string-valued place for it. */
function placeOf(path: Extract<Operand, { kind: 'path' }>): Place | null {
  const segments: readonly Step[] | null = path.steps ?? segmentsOf(path.text);
  if (segments === null) return null;
  return resolve(segments, TRAIL_COLUMNS, null, false);
}

function segmentsOf(text: string): readonly PathSegment[] | null {
  const parsed = parsePath(text, 0);
  return parsed.ok ? parsed.segments : null;
}

type Step = PathSegment | { readonly kind: 'member'; readonly name: string } | { readonly kind: 'index'; readonly index: number };

/** Walks the steps through the table's types. `base` is the SQL read so far (null at the top). */
function resolve(steps: readonly Step[], fields: readonly Field[], base: string | null, insideEach: boolean): Place | null {
  const [first, ...rest] = steps;
  if (first === undefined || first.kind !== 'member') return null;
  const field = findField(fields, first.name);
  if (field === null) return null;
  const sql = base === null ? sqlName(field) : `${base}.${sqlName(field)}`;
  return resolveType(field.type, rest, sql, insideEach);
}

function resolveType(type: ColumnType, rest: readonly Step[], sql: string, insideEach: boolean): Place | null {
  // `[]` on a column the table types as no list reads the value itself.
  if (rest[0]?.kind === 'unwrap' && type.kind !== 'array') return resolveType(type, rest.slice(1), sql, insideEach);
  switch (type.kind) {
    case 'string':
      return rest.length === 0 ? { kind: 'field', sql } : null;
    case 'json': {
      const jsonPath = jsonPathOf(rest);
      return jsonPath === null ? null : { kind: 'json', column: sql, jsonPath };
    }
    case 'struct':
      return resolve(rest, type.fields, sql, insideEach);
    case 'array': {
      const [step, ...after] = rest;
      if (step === undefined) return null;
      if (step.kind === 'index') return resolveType(type.of, after, `element_at(${sql}, ${step.index + 1})`, insideEach);
      // `[]` on a list of non-lists selects its elements, as `[*]` does (on nested lists it would flatten: not pushed).
      const eachElement = step.kind === 'wildcard' || (step.kind === 'unwrap' && type.of.kind !== 'array');
      if (eachElement && !insideEach) {
        const inner = resolveType(type.of, after, ELEMENT, true);
        return inner === null ? null : { kind: 'each', array: sql, variable: ELEMENT, inner };
      }
      return null;
    }
    default:
      return null;
  }
}

const JSON_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Member and index steps as a JSON path for json_extract_scalar: `$.name`, `$["odd name"]`, `$[0]`.
 * Names with a quote or backslash, and wildcards, give null (not pushed).
 */
function jsonPathOf(steps: readonly Step[]): string | null {
  if (steps.length === 0) return null;
  let path = '$';
  for (const step of steps) {
    if (step.kind === 'index') path += `[${step.index}]`;
    else if (step.kind !== 'member') return null;
    else if (JSON_NAME.test(step.name)) path += `.${step.name}`;
    else if (/["\\\u0000-\u001f]/.test(step.name) || step.name === '') return null;
    else path += `["${step.name}"]`;
  }
  return path;
}
