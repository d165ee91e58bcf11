/**
 * The literals a JavaScript regex cannot match without: pushed to Athena as `strpos` tests, never as
 * `regexp_like`, because Athena's regexes are Java's (through Trino/Joni) and JavaScript's dialect
 * differs (`\d`, classes, flags, lookbehind, Unicode). A required literal is a plain substring in
 * any dialect.
 *
 * Sound by construction: only a pattern without a top-level `|` has requirements; groups, classes,
 * anchors and escapes that stand for classes break a run of literal characters; a character under a
 * quantifier that allows zero (`?`, `*`, `{0,…}`) is dropped; anything not understood (an inline
 * modifier such as `(?i)`, an unknown escape) gives no requirement at all.
 *
 * Case-insensitive patterns (`i`) keep only ASCII characters (compared through `lower()`, which maps
 * ASCII the same way in Java and JavaScript), and `s` and `k` break a run too: Unicode case folding
 * (JavaScript's with `u`, RE2's always) matches them with `ſ` (U+017F) and the Kelvin sign, which
 * Java's lower-casing does not turn into ASCII `s`.
 *
 * The dialect read is the common ground of JavaScript and RE2 (which ctq may run user regexes on):
 * RE2-only syntax (`\Q…\E`, `\pL`, `\z`, inline `(?i)`) is "not understood", and `]` first in a
 * class is a literal member, as RE2 reads it.
 */
export interface RegexRequirement {
  /** Substrings that must all occur in a matching string (already lower-cased when `caseInsensitive`). */
  readonly literals: readonly string[];
  readonly caseInsensitive: boolean;
}

/** Shorter runs select too little to be worth a strpos. */
const MIN_LITERAL = 2;

export function requiredLiterals(source: string, flags: string): RegexRequirement | null {
  const caseInsensitive = flags.includes('i');
  // `v` classes nest (`[[a]--[b]]`): not parsed here, so no requirement.
  if (flags.includes('v')) return null;
  const runs = literalRuns(source);
  if (runs === null) return null;
  const literals = new Set<string>();
  for (const run of runs) {
    for (const piece of caseInsensitive ? run.split(CASE_FOLDING_BREAKS) : [run]) {
      if ([...piece].length >= MIN_LITERAL) literals.add(caseInsensitive ? piece.toLowerCase() : piece);
    }
  }
  return literals.size === 0 ? null : { literals: [...literals], caseInsensitive };
}

/** Characters a case-insensitive run cannot rely on (see above). */
const CASE_FOLDING_BREAKS = /[^\x00-\x7f]|[sSkK]/u;

const QUANTIFIER = /^\{(\d+)(?:,(\d*))?\}/;
/** Escapes of one character that stand for something other than the character (classes, assertions, controls). */
const CLASS_ESCAPES = new Set(['d', 'D', 'w', 'W', 's', 'S', 'b', 'B', 'n', 'r', 't', 'v', 'f', '0']);

/** Runs of required literal characters, or null when the pattern is not understood or has a top-level `|`. */
function literalRuns(source: string): string[] | null {
  const runs: string[] = [];
  let run: string[] = [];
  const breakRun = () => {
    if (run.length > 0) runs.push(run.join(''));
    run = [];
  };
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '|') return null;
    if (c === '(') {
      if (source[i + 1] === '?' && /[A-Za-z-]/.test(source[i + 2] ?? '')) return null; // inline modifiers
      const end = skipGroup(source, i);
      if (end === -1) return null;
      breakRun();
      i = end;
      continue;
    }
    if (c === '[') {
      const end = skipClass(source, i);
      if (end === -1) return null;
      breakRun();
      i = end;
      continue;
    }
    if (c === '?' || c === '*' || c === '+' || c === '{') {
      // A quantifier on the last literal character: optional ones leave the run.
      const quantifier = c === '{' ? QUANTIFIER.exec(source.slice(i)) : null;
      if (c === '{' && quantifier === null) {
        breakRun(); // a literal `{` in Annex B syntax: not relied on
        i++;
        continue;
      }
      const optional = c === '?' || c === '*' || (quantifier !== null && Number(quantifier[1]) === 0);
      if (optional) run.pop();
      breakRun();
      i += quantifier === null ? 1 : quantifier[0].length;
      if (source[i] === '?') i++; // lazy
      continue;
    }
    if (c === '.' || c === '^' || c === '$' || c === ')' || c === ']' || c === '}') {
      breakRun();
      i++;
      continue;
    }
    if (c === '\\') {
      const escaped = escapeAt(source, i);
      if (escaped === null) return null;
      if (escaped.literal === null) breakRun();
      else run.push(escaped.literal);
      i = escaped.end;
      continue;
    }
    const code = source.codePointAt(i)!;
    const char = String.fromCodePoint(code);
    run.push(char);
    i += char.length;
  }
  breakRun();
  return runs;
}

/** The escape at `i` (a backslash): the character it stands for (null for a class or assertion) and where it ends. */
function escapeAt(source: string, i: number): { literal: string | null; end: number } | null {
  const next = source[i + 1];
  if (next === undefined) return null;
  if (!/[A-Za-z0-9]/.test(next)) return { literal: next, end: i + 2 };
  if (CLASS_ESCAPES.has(next)) return { literal: null, end: i + 2 };
  const rest = source.slice(i + 1);
  const multi = /^(?:[pP]\{[^}]*\}|u\{[0-9A-Fa-f]+\}|u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2}|c[A-Za-z]|k<[^>]*>|[1-9]\d*)/.exec(rest);
  if (multi === null) return null; // not understood: no requirement at all
  return { literal: null, end: i + 1 + multi[0].length };
}

/** Index just past the `)` closing the group at `open`, or -1. */
function skipGroup(source: string, open: number): number {
  let depth = 0;
  let i = open;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '[') {
      const end = skipClass(source, i);
      if (end === -1) return -1;
      i = end;
      continue;
    }
    if (c === '(') depth++;
    if (c === ')' && --depth === 0) return i + 1;
    i++;
  }
  return -1;
}

/** Index just past the `]` closing the class at `open`, or -1. */
function skipClass(source: string, open: number): number {
  let i = open + 1;
  if (source[i] === '^') i++;
  if (source[i] === ']') i++; // a literal `]` first in the class
  while (i < source.length) {
    const c = source[i]!;
    if (c === '\\') i += 2;
    else if (c === ']') return i + 1;
    else i++;
  }
  return -1;
}
