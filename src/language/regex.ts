/**
 * User regular expressions run on RE2 (re2js), a linear-time engine: event fields are attacker-
 * controlled, and a backtracking engine lets a pattern such as `(a+)+$` against `aaaa…!` run for
 * ever, holding the run (and its `--state` lock). RE2 refuses what it cannot run in linear time
 * (backreferences, lookaround): that is an expression error at the pattern's column, before any
 * event is read.
 */
import { RE2JS } from 're2js';

/** JavaScript flags and what they mean to RE2; `g` and `y` make matching stateful, so they are refused. */
const FLAGS: Readonly<Record<string, number>> = {
  i: RE2JS.CASE_INSENSITIVE,
  m: RE2JS.MULTILINE,
  s: RE2JS.DOTALL,
  // RE2 matches by code point already.
  u: 0,
};

export type CompiledRegex = { readonly ok: true; readonly test: (text: string) => boolean } | { readonly ok: false; readonly message: string };

export function compileRegex(source: string, flags: string): CompiledRegex {
  let bits = 0;
  for (const flag of flags) {
    const bit = FLAGS[flag];
    if (bit === undefined) {
      return flag === 'g' || flag === 'y'
        ? { ok: false, message: `the regex flag '${flag}' is not allowed: matching is a search per value` }
        : { ok: false, message: `unknown regex flag '${flag}': use i, m, s or u` };
    }
    bits |= bit;
  }
  const literal = literalTest(source, flags);
  if (literal !== null) return { ok: true, test: literal };
  try {
    const regex = RE2JS.compile(RE2JS.translateRegExp(source), bits);
    return { ok: true, test: (text) => regex.test(text) };
  } catch (error) {
    const detail = error instanceof Error ? error.message.replace(/^error parsing regexp: /, '') : String(error);
    const hint = /\\[1-9]|\(\?<?[=!]/.test(source) ? ' (backreferences and lookaround cannot run in linear time, so ctq does not support them)' : '';
    return { ok: false, message: `invalid regex: ${detail}${hint}` };
  }
}

const METACHARACTERS = /[\\^$.|?*+()[\]{}]/;

/** A pattern that is a plain word, perhaps anchored: what it means as a substring test. */
export interface LiteralPattern {
  readonly text: string;
  readonly anchoredStart: boolean;
  readonly anchoredEnd: boolean;
}

/**
 * The commonest patterns are a plain word (`regex "curl"`), perhaps anchored (`^Get`, `Object$`):
 * those are a substring test, several times faster than any regex engine on every event, and the
 * literal pre-filter can search for the word. Only without flags: with `i`, RE2's case folding
 * (`ſ` matches `s`) is not `toLowerCase`'s; with `m`, `^` and `$` also match at line breaks.
 */
export function literalPattern(source: string, flags: string): LiteralPattern | null {
  if (flags.replace(/[us]/g, '') !== '') return null;
  const anchoredStart = source.startsWith('^');
  const anchoredEnd = source.endsWith('$') && source.length > (anchoredStart ? 1 : 0);
  const text = source.slice(anchoredStart ? 1 : 0, anchoredEnd ? -1 : undefined);
  return METACHARACTERS.test(text) ? null : { text, anchoredStart, anchoredEnd };
}

function literalTest(source: string, flags: string): ((text: string) => boolean) | null {
  const literal = literalPattern(source, flags);
  if (literal === null) return null;
  const body = literal.text;
  if (literal.anchoredStart && literal.anchoredEnd) return (text) => text === body;
  if (literal.anchoredStart) return (text) => text.startsWith(body);
  if (literal.anchoredEnd) return (text) => text.endsWith(body);
  return (text) => text.includes(body);
}
