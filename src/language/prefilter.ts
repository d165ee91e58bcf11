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
 * - `a and b`: either side's (the longer one is kept: one scan, and likely the rarer literal).
 * - `a or b`: both sides must have one; either may occur.
 * - `not`, `!=`, `== null`, numbers, `regex`, function calls, bare paths: none.
 * Any character may be written `\uXXXX` and `/` as `\/` in JSON, so when a required literal is absent
 * but the text contains `\u` (or `\/`, when a literal has a `/`), the answer is true.
 */
import type { Expr, Operand } from './ast';
import type { JsonValue } from './json';

/** Needles of which at least one must occur (a disjunction). */
type Requirement = readonly string[];

export type Prefilter = (rawJsonText: string) => boolean;

/**
 * The same requirement as data, for scanners that search bytes rather than strings: at least one of
 * `needles` must occur, or one of `escapes` (an escape sequence that could spell a needle differently).
 */
export interface LiteralNeedles {
  readonly needles: readonly string[];
  readonly escapes: readonly string[];
}

export function literalNeedles(expr: Expr): LiteralNeedles | null {
  const needles = requirement(expr);
  if (needles === null || needles.length === 0) return null;
  const slash = needles.some((needle) => needle.includes('/'));
  return { needles, escapes: slash ? ['\\u', '\\/'] : ['\\u'] };
}

/** How selective a requirement looks (its shortest needle's length): to pick one of several. */
export function needleStrength(requirement: LiteralNeedles): number {
  return strength(requirement.needles);
}

export function literalPrefilter(expr: Expr): Prefilter | null {
  const needles = requirement(expr);
  if (needles === null || needles.length === 0) return null;
  const slash = needles.some((needle) => needle.includes('/'));
  const escaped = (text: string): boolean => text.includes('\\u') || (slash && text.includes('\\/'));
  if (needles.length === 1) {
    const needle = needles[0] as string;
    return (text) => text.includes(needle) || escaped(text);
  }
  return (text) => {
    for (const needle of needles) if (text.includes(needle)) return true;
    return escaped(text);
  };
}

function requirement(expr: Expr): Requirement | null {
  switch (expr.kind) {
    case 'and': {
      const left = requirement(expr.left);
      const right = requirement(expr.right);
      if (left === null) return right;
      if (right === null) return left;
      return strength(right) > strength(left) ? right : left;
    }
    case 'or': {
      const left = requirement(expr.left);
      const right = requirement(expr.right);
      return left === null || right === null ? null : [...new Set([...left, ...right])];
    }
    case 'compare':
      if (expr.op !== '==') return null;
      return equalityRequirement(expr.left, expr.right) ?? equalityRequirement(expr.right, expr.left);
    case 'not':
    case 'regex':
    case 'test':
      return null;
  }
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
  if (value === '' || MUST_ESCAPE.test(value)) return null;
  return value;
}

// Quote, backslash, control characters, and lone surrogates (which JSON.stringify writes as \uXXXX).
const MUST_ESCAPE = /["\\\u0000-\u001f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
