/**
 * Writing values into Trino SQL text. Every string that reaches a statement passes through here.
 *
 * Trino's string literal is `'…'` with a quote written twice (`''`); nothing else is special inside
 * it, not the backslash, not a newline, not `--` or `/*`. Identifiers are `"…"` with `""` for a
 * quote. LIKE patterns get an explicit `ESCAPE '\'` so `%`, `_` and `\` in a value stay literal
 * (Trino functions, "LIKE": https://trino.io/docs/current/functions/comparison.html#like).
 */

/** A string as a Trino string literal. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A name as a quoted Trino identifier (case is not significant in Athena either way). */
export function sqlIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export const LIKE_ESCAPE = '\\';

/** A value matched literally inside a LIKE pattern (to be used with `ESCAPE '\'`). */
export function likeLiteral(value: string): string {
  return value.replace(/[\\%_]/g, (c) => LIKE_ESCAPE + c);
}

/**
 * An IAM-style glob (`*`, `?`) as a LIKE pattern, every other character literal. ctq matches a glob
 * with a JavaScript regex in which `?` is one UTF-16 code unit, so `??` matches one character
 * outside the Basic Multilingual Plane, where LIKE's `_` is one code point: `?` becomes `%`, which
 * holds every length it can stand for.
 */
export function likeOfGlob(glob: string): string {
  let pattern = '';
  for (const c of glob) pattern += c === '*' || c === '?' ? '%' : likeLiteral(c);
  return pattern;
}

/** `db.table` or `catalog.db.table` as quoted identifiers; null when a part is empty. */
export function sqlTableName(qualified: string): string | null {
  const parts = qualified.split('.');
  if (parts.length > 3 || parts.some((part) => part.trim() === '')) return null;
  return parts.map((part) => sqlIdentifier(part.trim())).join('.');
}
