/**
 * IAM's wildcards as a regular expression: `*` any run of characters, `?` any one, matched whole and
 * without regard to case. The characters an action may hold are checked before (letters, digits,
 * `_`, `.`, `-`), so nothing else has a meaning to escape but `.`. Written out rather than asking a
 * glob library: micromatch and its dependencies were 40 KB of every scan worker's bundle for these
 * two wildcards. It matched the same but for path quirks that mean nothing here: the names `.` and
 * `..`, a `*` after a `.` that had to match a character (`*.*` refused `a.`), runs like `***B.`
 * read as `**`. As a path glob would, neither wildcard matches `/` (no eventName or eventSource holds one).
 */
export function wildcardRegex(pattern: string): RegExp {
  let source = '';
  for (const char of pattern) {
    if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += /[\w-]/.test(char) ? char : `\\${char}`;
  }
  return new RegExp(`^(?:${source})$`, 'i');
}
