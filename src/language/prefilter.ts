/**
 * A literal pre-filter on an event's raw JSON text, in the spirit of ripgrep: before parsing a line,
 * look for a literal the expression cannot match without. It is SOUND: it answers false only when
 * the event certainly cannot match, and true whenever in doubt.
 *
 * Where a requirement comes from:
 * - `path == "str"` (either side): the value must occur in the text as a JSON string, so the
 *   string's JSON-escaped content must occur. A literal with characters JSON must escape gives no
 *   requirement (they have several spellings).
 * - `path == true` / `false`: JSON has one spelling for each. Lists and objects: any string, key,
 *   `true` or `false` inside them.
 * - `path contains "str"`: the string's content; `startswith "str"`: `"str` (the opening quote of the
 *   JSON string, then the content); `endswith "str"`: `str"`. A list subject is tested by its string
 *   elements, which the text holds the same way.
 * - `path in [ … ]`: one of the elements' needles (as for `==`), when every element has one and
 *   there are at most MAX_NEEDLES of them; a longer list steps aside rather than cost a scan per value.
 * - Case-insensitive forms (`=~`, `contains~`, `startswith~`, `endswith~`, `in~`): the longest run of
 *   the literal with no ASCII letter and nothing outside ASCII. Lower-casing changes letters only
 *   (no character lower-cases to an ASCII digit or punctuation mark), so a value equal to the literal
 *   ignoring case holds that run verbatim: `=~ "arn:aws:iam::111122223333:root"` still requires
 *   `::111122223333:`. A literal without such a run (`=~ "admin"`) gives no requirement.
 * - `a and b`: either side's (the longer one is kept: one scan, and likely the rarer literal).
 * - `a or b`: both sides must have one; either may occur (at most MAX_NEEDLES in all).
 * - `path regex "word"` with a pattern that is a plain word, perhaps anchored (`^Get`, `Object$`), and
 *   no `i`/`m` flag: as `contains`/`startswith`/`endswith` of the word. Other patterns: none.
 * - `not`, `!=`, `!~`, `not in`, `<`…`>=`, `== null`, numbers, function calls, bare paths: none.
 * Any character may be written `\uXXXX` and `/` as `\/` in JSON, so when a required literal is absent
 * but the text contains `\u` (or `\/`, when a literal has a `/`), the answer is true.
 */
import type { Expr, Operand, TextOp } from './ast';
import type { JsonValue } from './json';
import { literalPattern } from './regex';
import { writtenPlainlyInJson } from './strings';
import { fold } from './visitor';

/** Needles of which at least one must occur (a disjunction). */
type Requirement = readonly string[];

export type Prefilter = (rawJsonText: string) => boolean;

/**
 * A finer pre-filter on records' raw bytes, made once per chunk (so it can search the chunk the way
 * the literal needles do, each search starting where the last left off) and then asked of each
 * record `chunk[start, end)` in order (non-decreasing starts) after the literal needles passed:
 * false only when the record certainly cannot match.
 */
export type RecordPrefilter = (chunk: Buffer) => (start: number, end: number) => boolean;

/**
 * The same requirement as data, for scanners that search bytes rather than strings: at least one of
 * `needles` must occur, or one of `escapes` (an escape sequence that could spell a needle differently).
 */
export interface LiteralNeedles {
  readonly needles: readonly string[];
  readonly escapes: readonly string[];
}

export function literalNeedles(expr: Expr): LiteralNeedles | null {
  const needles = wrappedSpellings(requirement(expr));
  if (needles === null || needles.length === 0) return null;
  const slash = needles.some((needle) => needle.includes('/'));
  return { needles, escapes: slash ? ['\\u', '\\/'] : ['\\u'] };
}

/** How selective a requirement looks (its shortest needle's length): to pick one of several. */
export function needleStrength(requirement: LiteralNeedles): number {
  return strength(requirement.needles);
}

/** `literalNeedles` as a test of a string. */
export function literalPrefilter(expr: Expr): Prefilter | null {
  const required = literalNeedles(expr);
  if (required === null) return null;
  const { needles, escapes } = required;
  const escaped = (text: string): boolean => escapes.some((escape) => text.includes(escape));
  if (needles.length === 1) {
    const needle = needles[0] as string;
    return (text) => text.includes(needle) || escaped(text);
  }
  return (text) => {
    for (const needle of needles) if (text.includes(needle)) return true;
    return escaped(text);
  };
}

/**
 * Past this many alternatives a disjunction costs more to scan for than it saves (each needle is a
 * search of the whole line; parsing the line costs a few dozen such searches): the pre-filter steps
 * aside. This is what keeps `in` with 5,000 values from costing 5,000 searches per line.
 */
const MAX_NEEDLES = 32;

function requirement(expr: Expr): Requirement | null {
  return fold<Requirement | null>(expr, (node, [left = null, right = null]) => {
    switch (node.kind) {
      case 'and':
        if (left === null) return right;
        if (right === null) return left;
        return strength(right) > strength(left) ? right : left;
      case 'or':
        return left === null || right === null ? null : capped([...new Set([...left, ...right])]);
      case 'compare':
        if (node.op === '==') return equalityRequirement(node.left, node.right) ?? equalityRequirement(node.right, node.left);
        if (node.op === '=~') return caselessRequirement(node.left, node.right) ?? caselessRequirement(node.right, node.left);
        return null;
      case 'text':
        return textRequirement(node.op, node.ignoreCase, node.subject, node.needle);
      case 'in':
        return node.negated || node.subject.kind !== 'path' ? null : listRequirement(node.list.value, node.ignoreCase);
      case 'regex':
        return node.subject.kind === 'path' ? regexRequirement(node.pattern.source, node.pattern.flags) : null;
      case 'not':
      case 'test':
        return null;
    }
  });
}

/**
 * Each needle, and the needles with a quote (`startswith`'s `"str`, `endswith`'s `str"`) also as they are
 * spelled inside a JSON string: `lookup-events` output and CloudWatch Logs carry the event as JSON text in
 * a string member (`CloudTrailEvent`, `message`), where every quote is written `\"`, and the reader
 * queries the event inside. Other needles hold no character JSON escapes, so they read the same there.
 */
function wrappedSpellings(needles: Requirement | null): Requirement | null {
  if (needles === null || !needles.some((needle) => needle.includes('"'))) return needles;
  return needles.flatMap((needle) => (needle.includes('"') ? [needle, needle.replaceAll('"', '\\"')] : [needle]));
}

function capped(needles: Requirement): Requirement | null {
  return needles.length > MAX_NEEDLES ? null : needles;
}

/** A disjunction is as selective as its weakest (shortest) needle. */
function strength(needles: Requirement): number {
  return Math.min(...needles.map((needle) => needle.length));
}

/** `subject == literal`, when the subject reads from the event (a path). */
function equalityRequirement(subject: Operand, other: Operand): Requirement | null {
  if (subject.kind !== 'path' || other.kind !== 'literal') return null;
  const needle = longestNeedle(other.value);
  return needle === null ? null : [needle];
}

/** `subject =~ literal`: only a string or boolean literal is looked into (`true`/`false` have one spelling). */
function caselessRequirement(subject: Operand, other: Operand): Requirement | null {
  if (subject.kind !== 'path' || other.kind !== 'literal') return null;
  const needle = caselessNeedle(other.value);
  return needle === null ? null : [needle];
}

function textRequirement(op: TextOp, ignoreCase: boolean, subject: Operand, needle: Operand): Requirement | null {
  if (subject.kind !== 'path' || needle.kind !== 'literal' || typeof needle.value !== 'string') return null;
  if (ignoreCase) {
    const run = caselessNeedle(needle.value);
    return run === null ? null : [run];
  }
  const content = stringNeedle(needle.value);
  if (content === null) return null;
  return [op === 'startswith' ? `"${content}` : op === 'endswith' ? `${content}"` : content];
}

/** A plain-word pattern (`regex "curl"`, `"^Get"`, `"Object$"`) requires its word, like `contains`/`startswith`/`endswith`. */
function regexRequirement(source: string, flags: string): Requirement | null {
  const literal = literalPattern(source, flags);
  const content = literal === null ? null : stringNeedle(literal.text);
  if (literal === null || content === null) return null;
  return [`${literal.anchoredStart ? '"' : ''}${content}${literal.anchoredEnd ? '"' : ''}`];
}

function listRequirement(elements: readonly JsonValue[], ignoreCase: boolean): Requirement | null {
  const needles = new Set<string>();
  for (const element of elements) {
    const needle = ignoreCase ? caselessNeedle(element) : longestNeedle(element);
    if (needle === null) return null;
    needles.add(needle);
    if (needles.size > MAX_NEEDLES) return null;
  }
  return needles.size === 0 ? null : [...needles];
}

/** The longest run of a string literal that case-insensitive equality leaves verbatim (see the header), or null. */
function caselessNeedle(value: JsonValue): string | null {
  if (typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') return null;
  let best = '';
  for (const run of value.split(CASED_OR_ESCAPED)) if (run.length > best.length) best = run;
  return best.length >= MIN_CASELESS_RUN ? best : null;
}

// ASCII letters change under lower-casing; anything outside printable ASCII might be a letter, and
// `"`, `\` are escaped by JSON. What is left (digits, punctuation, spaces) is written the same in
// every spelling of the value.
const CASED_OR_ESCAPED = /[A-Za-z"\\]|[^\x20-\x7e]/;
/** Shorter runs (`:`, `-`) occur in nearly every event and would only cost a scan. */
const MIN_CASELESS_RUN = 3;

/** The longest text that must occur verbatim in any JSON text containing `value`, or null. */
function longestNeedle(value: JsonValue): string | null {
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'string') return stringNeedle(value);
  if (value === null || typeof value === 'number') return null;
  const candidates: (string | null)[] = Array.isArray(value)
    ? value.map(longestNeedle)
    : Object.entries(value).flatMap(([key, inner]) => [stringNeedle(key), longestNeedle(inner)]);
  let best: string | null = null;
  for (const candidate of candidates) if (candidate !== null && (best === null || candidate.length > best.length)) best = candidate;
  return best;
}

/** The string's content as JSON writes it, or null when JSON must escape some of it (or it is empty). */
function stringNeedle(value: string): string | null {
  if (value === '' || !writtenPlainlyInJson(value)) return null;
  return value;
}
