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
 * - `$.resources[*].type == "…"`: `any_match(resources, r -> r.type = '…')`.
 * - `path == null` → `IS NULL`; `path != null` and a bare path → `IS NOT NULL` (json_extract, which is
 *   not NULL for an object either, inside the JSON columns).
 * - `regex`: its required literals (regex-literals.ts) as `strpos(…) > 0`.
 * - `and`, `or`, `not` by De Morgan; an `or` with a branch that pushes nothing pushes nothing.
 * Everything else — `!=` a value, numbers, lists, objects, function calls, paths the table has no
 * column for (or spelled in another case), and any expression or operand kind this module does not
 * know — pushes nothing.
 */
import type { Expr, Operand, RegexPattern } from '../language/ast';
import type { JsonValue } from '../language/json';
import { parsePath, type PathSegment } from '../language/path';
import { allOf, anyOf, type Superset } from './condition';
import { requiredLiterals } from './regex-literals';
import { sqlString } from './sql-text';
import { TRAIL_COLUMNS, findField, sqlName, type ColumnType, type Field } from './trail-table';

export function pushExpression(expr: Expr): Superset {
  switch (expr.kind) {
    case 'and':
      return allOf([pushExpression(expr.left), pushExpression(expr.right)]);
    case 'or':
      return anyOf([pushExpression(expr.left), pushExpression(expr.right)]);
    case 'not':
      return pushNegation(expr.operand);
    case 'compare':
      if (expr.op === '==') return pushEquality(expr.left, expr.right) ?? pushEquality(expr.right, expr.left);
      if (expr.op === '!=') return pushInequality(expr.left, expr.right) ?? pushInequality(expr.right, expr.left);
      return null;
    case 'regex':
      return pushRegex(expr.subject, expr.pattern);
    case 'test':
      return pushPresence(expr.operand);
    default:
      // An expression kind added to the language after this module: not pushed, still a superset.
      return null;
  }
}

/** A condition TRUE for every event the expression rejects. */
function pushNegation(expr: Expr): Superset {
  switch (expr.kind) {
    case 'not':
      return pushExpression(expr.operand);
    case 'and':
      return anyOf([pushNegation(expr.left), pushNegation(expr.right)]);
    case 'or':
      return allOf([pushNegation(expr.left), pushNegation(expr.right)]);
    case 'compare':
      if (expr.op === '==') return pushInequality(expr.left, expr.right) ?? pushInequality(expr.right, expr.left);
      if (expr.op === '!=') return pushEquality(expr.left, expr.right) ?? pushEquality(expr.right, expr.left);
      return null;
    default:
      return null;
  }
}

/** Where an operand's value lives in the table, when it is one string-valued place. */
type Place =
  /** A STRING column or struct field: `sql` reads it. */
  | { readonly kind: 'field'; readonly sql: string }
  /** A member inside a JSON-string column. */
  | { readonly kind: 'json'; readonly column: string; readonly jsonPath: string }
  /** Each element of an array column: `any_match(array, element -> …)` with `element` read as `sql`. */
  | { readonly kind: 'each'; readonly array: string; readonly variable: string; readonly inner: Place };

function pushEquality(subject: Operand, other: Operand): Superset {
  if (subject.kind !== 'path' || other.kind !== 'literal') return null;
  const place = placeOf(subject);
  if (place === null) return null;
  return condition(place, (read) => equalsLiteral(read, other.value), other.value === null ? 'none' : 'any');
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
 * `each` places), `'any'` when the test needs a real value.
 */
function condition(place: Place, test: (read: string) => Superset, emptyArray: 'none' | 'any'): Superset {
  switch (place.kind) {
    case 'field':
      return test(place.sql);
    case 'json':
      return test(`json_extract_scalar(${place.column}, ${sqlString(place.jsonPath)})`);
    case 'each': {
      if (emptyArray === 'none') return null;
      const inner = condition(place.inner, test, emptyArray);
      return inner === null ? null : `any_match(${place.array}, ${place.variable} -> ${inner})`;
    }
  }
}

function equalsLiteral(read: string, value: JsonValue): Superset {
  if (value === null) return `${read} IS NULL`;
  if (typeof value === 'string') return `${read} = ${sqlString(value)}`;
  if (typeof value === 'boolean') return `${read} = ${sqlString(String(value))}`;
  return null;
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
      if (step.kind === 'wildcard' && !insideEach) {
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
