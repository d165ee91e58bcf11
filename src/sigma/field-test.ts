/**
 * One Sigma field condition (`field|modifier|…: value or list`) as ctq expression text.
 *
 * - Field names are dotted paths into the event, and a dotted path steps into lists as into objects:
 *   `requestParameters.ipPermissions.items.ipRanges.items.cidrIp` →
 *   `$.requestParameters[].ipPermissions[].items[].ipRanges[].items[].cidrIp[]`, where `[]` stands for a
 *   list's elements or for a value that is no list (grammar/README.md, "Unwrapping lists"). CloudTrail
 *   logs many request and response members as lists (EC2's `{"items": [...]}`, `containerDefinitions`,
 *   `layers`), and Sigma's JSON backends (Elasticsearch, OpenSearch) index a list of objects flat, so a
 *   field matches when ANY value found along the way does, at any list level. What that means for each
 *   test when several values are found:
 *   - strings, `|re`, numbers, booleans, `|gt`…`|lte`, `|cidr`: some value passes;
 *   - a list of values: some value equals one of them; with `|all`, each of them is met by some value
 *     (not necessarily the same one, as with Elasticsearch);
 *   - `|exists: true` and `'*'`: some value is present (not null); `null` and `|exists: false`: none is
 *     (an empty list holds no value);
 *   - `|fieldref`: some value of one field equals some value of the other;
 *   - `not` around any of these: no value passes.
 *   A field of one name (`eventName`) stays a plain `$.eventName`: every top-level record member but
 *   `resources` holds one value, `resources` is read as an object field (below), and a test on
 *   top-level members alone is decided from the raw record (src/rules/members-read.ts).
 * - Strings compare case-insensitively (`=~`, `contains~`, …) unless `|cased`; `*`/`?` wildcards
 *   become the substring operators when they only stand at the ends, an anchored regex otherwise.
 * - A value of only wildcards matches any present value; `null` matches a missing or null field.
 * - `'true'`/`'false'` (and YAML booleans) also match the JSON booleans CloudTrail logs (`readOnly`,
 *   `requestParameters.enable`); numbers and numeric strings match both spellings.
 * - A list is ORed (ANDed with `|all`); several plain strings become one `in~ [...]` set lookup.
 */
import { compileRegex } from '../language/regex';
import { regexLiteralBody, stringTest, type Position } from './sigma-string';

export type FieldTest = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly unsupported: boolean; readonly message: string };

const POSITIONS = new Set(['contains', 'startswith', 'endswith']);
const REGEX_FLAGS: Readonly<Record<string, string>> = { i: 'i', ignorecase: 'i', m: 'm', multiline: 'm', s: 's', dotall: 's' };
const COMPARISONS: Readonly<Record<string, string>> = { gt: '>', gte: '>=', lt: '<', lte: '<=' };
/** Modifiers that transform the value into an encoding ctq does not reproduce. */
const UNSUPPORTED = new Set(['base64', 'base64offset', 'utf16le', 'utf16be', 'utf16', 'wide', 'windash', 'expand', 'minute', 'hour', 'day', 'week', 'month', 'year']);

/**
 * Record members that hold an object whose shape depends on the API called (CloudTrail record contents,
 * cloudtrail-event-reference-record-contents.md). Sigma rules match strings against them as a whole
 * (`requestParameters|contains: 'Suspended'`), meaning "somewhere inside"; ctq's substring operators
 * are false on an object, so string tests on these fields look at every value inside instead.
 */
const OBJECT_FIELDS = new Set(['requestParameters', 'responseElements', 'additionalEventData', 'serviceEventDetails', 'userIdentity', 'tlsDetails', 'resources']);

/** How a Sigma field is read: `path` is the field itself (null, presence), `subject` what strings are compared against. */
interface FieldPaths {
  readonly path: string;
  readonly subject: string;
  /** The path unwraps lists (a dotted field), so it may select several values. */
  readonly unwraps: boolean;
}

function pathsOf(field: string): FieldPaths {
  const path = fieldPath(field);
  // The object-valued members are matched anywhere inside (every value under them).
  return { path, subject: OBJECT_FIELDS.has(field) ? `${path}..*` : path, unwraps: field.includes('.') };
}

export function fieldPath(name: string): string {
  const parts = name.split('.');
  const member = (part: string) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(part) ? `.${part}` : `[${JSON.stringify(part)}]`);
  return '$' + parts.map((part) => (parts.length > 1 ? `${member(part)}[]` : member(part))).join('');
}

/**
 * `|exists`, `null` and `'*'`. A plain path reads one value, compared with null. An unwrapping path
 * may select several, and `!=` is true only if none is null: "some value is present" is a bare test
 * (true for a value neither null nor false) or a `false`.
 */
function presenceTest(field: FieldPaths, present: boolean): string {
  if (!field.unwraps) return `${field.path} ${present ? '!=' : '=='} null`;
  const some = `(${field.path} or ${field.path} == false)`;
  return present ? some : `not ${some}`;
}

export function joinAll(op: 'and' | 'or', parts: readonly string[]): string {
  if (parts.length === 1) return parts[0]!;
  return `(${parts.join(` ${op} `)})`;
}

export function fieldTest(key: string, value: unknown): FieldTest {
  const [field = '', ...modifiers] = key.split('|');
  if (field === '') return unsupported(`'${key}': a modifier without a field name (a keyword search with modifiers) is not supported`);
  const paths = pathsOf(field);
  const { path, subject } = paths;
  let position: Position = 'equals';
  let all = false;
  let cased = false;
  let kind: 'string' | 're' | 'cidr' | 'exists' | 'fieldref' | 'compare' = 'string';
  let compareOp = '';
  let flags = '';
  for (const modifier of modifiers.map((m) => m.toLowerCase())) {
    if (POSITIONS.has(modifier)) position = modifier as Position;
    else if (modifier === 'all') all = true;
    else if (modifier === 'cased') cased = true;
    else if (modifier === 're') kind = 're';
    else if (kind === 're' && REGEX_FLAGS[modifier] !== undefined) flags += REGEX_FLAGS[modifier];
    else if (modifier === 'cidr') kind = 'cidr';
    else if (modifier === 'exists') kind = 'exists';
    else if (modifier === 'fieldref') kind = 'fieldref';
    else if (COMPARISONS[modifier] !== undefined) {
      kind = 'compare';
      compareOp = COMPARISONS[modifier];
    } else if (UNSUPPORTED.has(modifier)) return unsupported(`'${key}': the '${modifier}' modifier is not supported`);
    else return unsupported(`'${key}': unknown modifier '${modifier}'`);
  }
  const values = Array.isArray(value) ? (value as unknown[]) : [value];
  if (values.length === 0) return unsupported(`'${key}': an empty list of values`);

  if (kind === 'string' && !all && values.length > 1) {
    // Plain strings share one set lookup; the rest (wildcards, numbers, booleans) are ORed beside it.
    const plain = values.filter((v): v is string => typeof v === 'string' && position === 'equals' && isPlainString(v));
    if (plain.length > 1) {
      const rest = values.filter((v) => !plain.includes(v as string));
      const set = `${subject} ${cased ? 'in' : 'in~'} [${plain.map(quote).join(', ')}]`;
      const others: string[] = [];
      for (const v of rest) {
        const one = valueTest(paths, v, position, cased);
        if (!one.ok) return one;
        others.push(one.text);
      }
      return { ok: true, text: joinAll('or', [set, ...others]) };
    }
  }
  const parts: string[] = [];
  for (const v of values) {
    let one: FieldTest;
    switch (kind) {
      case 'string':
        one = valueTest(paths, v, position, cased);
        break;
      case 're':
        one = regexTest(key, subject, v, flags);
        break;
      case 'cidr':
        one = typeof v === 'string' ? { ok: true, text: `cidr(${path}, ${quote(v)})` } : unsupported(`'${key}': a CIDR must be a string`);
        break;
      case 'exists':
        one = typeof v === 'boolean' ? { ok: true, text: presenceTest(paths, v) } : unsupported(`'${key}': exists takes true or false`);
        break;
      case 'fieldref':
        one = typeof v === 'string' ? { ok: true, text: `${path} == ${fieldPath(v)}` } : unsupported(`'${key}': fieldref names a field`);
        break;
      case 'compare':
        one = typeof v === 'number' ? { ok: true, text: `${path} ${compareOp} ${v}` } : unsupported(`'${key}': ${modifiers.join('|')} compares with a number`);
        break;
    }
    if (!one.ok) return one;
    parts.push(one.text);
  }
  return { ok: true, text: joinAll(all ? 'and' : 'or', parts) };
}

function valueTest(field: FieldPaths, value: unknown, position: Position, cased: boolean): FieldTest {
  const { path, subject } = field;
  if (value === null) return { ok: true, text: presenceTest(field, false) };
  if (typeof value === 'boolean') return { ok: true, text: booleanTest(path, value, cased) };
  if (typeof value === 'number') return { ok: true, text: `(${path} == ${value} or ${path} == ${quote(String(value))})` };
  if (typeof value !== 'string') return unsupported(`a value of type ${Array.isArray(value) ? 'list inside a list' : typeof value} is not a Sigma value`);
  if (position === 'equals' && /^(true|false)$/i.test(value)) return { ok: true, text: booleanTest(path, value.toLowerCase() === 'true', cased, value) };
  if (position === 'equals' && /^-?\d+(\.\d+)?$/.test(value)) return { ok: true, text: `(${path} == ${quote(value)} or ${path} == ${Number(value)})` };
  const test = stringTest(value, position);
  const i = cased ? '' : '~';
  switch (test.kind) {
    case 'equals':
      return { ok: true, text: `${subject} ${cased ? '==' : '=~'} ${quote(test.text)}` };
    case 'contains':
    case 'startswith':
    case 'endswith':
      return { ok: true, text: `${subject} ${test.kind}${i} ${quote(test.text)}` };
    case 'pattern':
      return { ok: true, text: `${subject} regex /${regexLiteralBody(test.source)}/s${cased ? '' : 'i'}` };
    case 'any-string':
      return { ok: true, text: presenceTest(field, true) };
  }
}

function booleanTest(path: string, value: boolean, cased: boolean, written: string = String(value)): string {
  return `(${path} == ${value} or ${path} ${cased ? '==' : '=~'} ${quote(written)})`;
}

function regexTest(key: string, path: string, value: unknown, flags: string): FieldTest {
  if (typeof value !== 'string') return unsupported(`'${key}': a regular expression must be a string`);
  const compiled = compileRegex(value, flags);
  if (!compiled.ok) return unsupported(`'${key}': ${compiled.message}`);
  return { ok: true, text: `${path} regex /${regexLiteralBody(value)}/${flags}` };
}

/** A keyword (a value without a field): searched for in every string of the event. */
export function keywordTest(value: unknown): FieldTest {
  if (typeof value !== 'string' && typeof value !== 'number') return unsupported('a keyword must be a string or a number');
  const test = stringTest(String(value), 'contains');
  switch (test.kind) {
    case 'contains':
      return { ok: true, text: `$..* contains~ ${quote(test.text)}` };
    case 'pattern':
      return { ok: true, text: `$..* regex /${regexLiteralBody(test.source)}/si` };
    default:
      return { ok: true, text: `$..* != null` };
  }
}

function isPlainString(value: string): boolean {
  return !/[*?]/.test(value.replace(/\\[*?\\]/g, '')) && !/^(true|false|-?\d+(\.\d+)?)$/i.test(value) && !value.includes('\\');
}

export function quote(text: string): string {
  return JSON.stringify(text);
}

function unsupported(message: string): FieldTest {
  return { ok: false, unsupported: true, message };
}

