import { describe, expect, test } from 'vitest';
import { checkExpression, compileExpression, literalNeedles, literalPrefilter, renderExpressionError } from '../../src/language';
import { MAX_NESTING } from '../../src/language/nesting';
import { TERMINAL } from '../../src/output/terminal-safe';

function errorOf(text: string): { message: string; column: number } {
  const compiled = compileExpression(text, new Map());
  if (compiled.ok) throw new Error('compiled');
  return { message: compiled.error.message, column: compiled.error.span.start + 1 };
}

const TOO_DEEP = `expression nested too deeply (more than ${MAX_NESTING} levels of brackets and 'not')`;

describe('nesting is bounded before parsing', () => {
  test.each([
    ['400 parentheses', '('.repeat(400) + '$.a' + ')'.repeat(400), MAX_NESTING + 1],
    ['1,000-deep list', '$.a == ' + '['.repeat(1000) + ']'.repeat(1000), 8 + MAX_NESTING],
    ['1,000-deep object', '$.a == ' + '{"k": '.repeat(1000) + '1' + '}'.repeat(1000), 8 + 6 * MAX_NESTING],
    ['5,000 not', 'not '.repeat(5000) + '$.a', 1 + 4 * MAX_NESTING],
    ['not and parentheses together', 'not ('.repeat(100) + '$.a' + ')'.repeat(100), 1 + 5 * 64],
    ['nested calls', 'lower('.repeat(300) + '$.a' + ')'.repeat(300), 6 + 6 * MAX_NESTING],
  ])('%s: an error at the column where it went too deep', (_, text, column) => {
    expect(errorOf(text)).toEqual({ message: TOO_DEEP, column });
  });

  test('up to the bound, nesting parses, checks and evaluates', () => {
    const deep = '('.repeat(MAX_NESTING - 1) + 'not $.a' + ')'.repeat(MAX_NESTING - 1);
    const compiled = compileExpression(deep, new Map());
    expect(compiled.ok).toBe(true);
    if (compiled.ok) expect(compiled.predicate({})).toBe(true);
    const list = '$.a == ' + '['.repeat(MAX_NESTING) + ']'.repeat(MAX_NESTING);
    expect(checkExpression(list).ok).toBe(true);
  });

  test('not closes with its condition: many not at one level are not nesting', () => {
    const flat = Array.from({ length: 500 }, (_, i) => `not $.a == ${i}`).join(' and ');
    expect(compileExpression(flat, new Map()).ok).toBe(true);
  });

  test('the message renders on one line plus the expression and its caret', () => {
    const text = 'not '.repeat(5000) + '$.a';
    const compiled = compileExpression(text, new Map());
    if (compiled.ok) throw new Error('compiled');
    const rendered = renderExpressionError(text, compiled.error, 'ctq: --match', TERMINAL).split('\n');
    expect(rendered).toHaveLength(3);
    expect(rendered[0]).toBe(`ctq: --match: ${TOO_DEEP} at column ${1 + 4 * MAX_NESTING}`);
  });
});

describe('long flat chains need no recursion', () => {
  const terms = Array.from({ length: 20_000 }, (_, i) => `$.n != ${i}`);
  const and = terms.join(' and ');
  const or = Array.from({ length: 20_000 }, (_, i) => `$.s == "value-${i}"`).join(' or ');

  test('a chain of 20,000 and is parsed, checked, compiled, pre-filtered and evaluated', () => {
    expect(and.length).toBeGreaterThan(200_000);
    const compiled = compileExpression(and, new Map());
    if (!compiled.ok) throw new Error(compiled.error.message);
    expect(compiled.predicate({ n: 20_000 })).toBe(true);
    expect(compiled.predicate({ n: 19_999 })).toBe(false);
    expect(literalPrefilter(compiled.expr)).toBeNull();
  });

  test('a chain of 20,000 or, too; its pre-filter steps aside rather than test 20,000 needles', () => {
    const compiled = compileExpression(or, new Map());
    if (!compiled.ok) throw new Error(compiled.error.message);
    expect(compiled.predicate({ s: 'value-19999' })).toBe(true);
    expect(compiled.predicate({ s: 'value-20000' })).toBe(false);
    expect(literalNeedles(compiled.expr)).toBeNull();
  });
});

describe('nesting inside a path filter', () => {
  test('a filter nested thousands deep is an error at the filter, not a crash', () => {
    const depth = 20_000;
    const text = `$.resources[?(${'('.repeat(depth)}@.a${')'.repeat(depth)})]`;
    const error = errorOf(text);
    expect(error.column).toBe(12);
    expect(error.message).toMatch(/^filter nested too deeply: \[\?\(\(+…\]$/);
    expect(error.message.length).toBeLessThan(120);
  });
});
