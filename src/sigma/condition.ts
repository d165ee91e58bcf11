/**
 * Sigma's `condition`: search identifiers combined with `and`, `or`, `not`, parentheses, and
 * `1 of X*` / `all of X*` / `1 of them` / `all of them` (`any of` is an old spelling of `1 of`).
 * Precedence: `not` binds tightest, then `and`, then `or` (Sigma specification, "Condition").
 * Aggregations (`| count() by …`) and `near` are not expressions ctq can evaluate per event: they come
 * back as an unsupported reason.
 */

export type Condition =
  | { readonly kind: 'ref'; readonly name: string }
  | { readonly kind: 'and' | 'or'; readonly items: readonly Condition[] }
  | { readonly kind: 'not'; readonly operand: Condition }
  | { readonly kind: 'of'; readonly quantifier: 'one' | 'all'; readonly pattern: string | 'them' };

export type ConditionResult =
  | { readonly ok: true; readonly condition: Condition }
  | { readonly ok: false; readonly unsupported: boolean; readonly message: string };

const TOKEN = /\s*(\(|\)|[A-Za-z0-9_*?.-]+)/y;

export function parseCondition(text: string): ConditionResult {
  if (text.includes('|')) {
    return { ok: false, unsupported: true, message: `condition uses an aggregation ('${text.slice(text.indexOf('|')).trim()}'): ctq evaluates one event at a time (use a rule threshold or --count-by)` };
  }
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(text);
    if (match === null) {
      if (text.slice(start).trim() === '') break;
      return { ok: false, unsupported: false, message: `condition: unexpected '${text.slice(start).trim()[0]}' in '${text}'` };
    }
    tokens.push(match[1]!);
  }
  if (tokens.some((t) => t.toLowerCase() === 'near')) return { ok: false, unsupported: true, message: "condition uses 'near', which correlates events: not supported" };
  let pos = 0;
  const peek = () => tokens[pos]?.toLowerCase();
  const fail = (message: string) => {
    throw new ConditionError(message);
  };
  const parseOr = (): Condition => {
    const items = [parseAnd()];
    while (peek() === 'or') {
      pos++;
      items.push(parseAnd());
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  };
  const parseAnd = (): Condition => {
    const items = [parseNot()];
    while (peek() === 'and') {
      pos++;
      items.push(parseNot());
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  };
  const parseNot = (): Condition => {
    if (peek() === 'not') {
      pos++;
      return { kind: 'not', operand: parseNot() };
    }
    return parseAtom();
  };
  const parseAtom = (): Condition => {
    const token = tokens[pos];
    if (token === undefined) return fail(`condition '${text}' ends too early`);
    pos++;
    if (token === '(') {
      const inner = parseOr();
      if (tokens[pos] !== ')') fail(`condition '${text}': missing ')'`);
      pos++;
      return inner;
    }
    const lower = token.toLowerCase();
    if (lower === '1' || lower === 'all' || lower === 'any') {
      if (peek() !== 'of') return fail(`condition '${text}': expected 'of' after '${token}'`);
      pos++;
      const target = tokens[pos++];
      if (target === undefined || target === '(' || target === ')') return fail(`condition '${text}': expected a name pattern or 'them' after 'of'`);
      return { kind: 'of', quantifier: lower === 'all' ? 'all' : 'one', pattern: target.toLowerCase() === 'them' ? 'them' : target };
    }
    if (['and', 'or', 'not', 'of', ')'].includes(lower)) return fail(`condition '${text}': unexpected '${token}'`);
    if (/^\d+$/.test(token)) return fail(`condition '${text}': '${token} of' is not supported (only '1 of' and 'all of')`);
    return { kind: 'ref', name: token };
  };
  try {
    const condition = parseOr();
    if (pos < tokens.length) fail(`condition '${text}': unexpected '${tokens[pos]}'`);
    return { ok: true, condition };
  } catch (error) {
    if (error instanceof ConditionError) return { ok: false, unsupported: false, message: error.message };
    throw error;
  }
}

class ConditionError extends Error {}

/** The identifiers a `X*` pattern names (`them`: all, except those starting with `_`, per the spec). */
export function namesMatching(pattern: string | 'them', names: readonly string[]): string[] {
  if (pattern === 'them') return names.filter((name) => !name.startsWith('_'));
  const regex = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
  return names.filter((name) => regex.test(name));
}
