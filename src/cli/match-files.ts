/**
 * `--match-file F`: one expression read from a file, so that a long one (a rule with a list of
 * thousands of values) does not hit the shell's limit on one argument (MAX_ARG_STRLEN, 128 KB on
 * Linux). Lines whose first non-blank character is `#` are comments; they are blanked rather than
 * removed, so an error's "line N, column M" is the file's own line and column.
 */
import { readFileSync } from 'node:fs';
import type { CliOptions } from './program';

/** The options with each file's expression appended to `matches` (ANDed like every --match). */
export function loadMatchFiles(options: CliOptions): { readonly ok: true; readonly options: CliOptions } | { readonly ok: false; readonly message: string } {
  if (options.matchFiles.length === 0) return { ok: true, options };
  const expressions: string[] = [];
  for (const file of options.matchFiles) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
      return { ok: false, message: `--match-file ${file}: cannot read it (${reason})` };
    }
    // Trailing blank lines dropped, so an unfinished expression is reported where its text ends.
    const expression = withoutComments(text.replace(/^\uFEFF/, '')).replace(/\s+$/, '');
    if (expression.trim() === '') return { ok: false, message: `--match-file ${file}: the file holds no expression (only blank lines and # comments)` };
    expressions.push(expression);
  }
  return { ok: true, options: { ...options, matches: [...options.matches, ...expressions] } };
}

function withoutComments(text: string): string {
  return text.replace(/^[ \t]*#.*$/gm, '');
}
