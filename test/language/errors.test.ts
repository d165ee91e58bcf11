import { describe, expect, test } from 'vitest';
import { checkExpression, compileExpression, parseExpression, renderExpressionError, type ExpressionError } from '../../src/language';
import { TERMINAL } from '../../src/output/terminal-safe';

function syntaxError(text: string): ExpressionError {
  const result = parseExpression(text);
  if (result.ok) throw new Error(`${text} parsed`);
  return result.error;
}

function checkError(text: string): ExpressionError {
  expect(parseExpression(text).ok).toBe(true);
  const result = checkExpression(text);
  if (result.ok) throw new Error(`${text} passed the checks`);
  return result.error;
}

describe('rendering', () => {
  test('a syntax error renders label, message, 1-based column, the expression and a caret', () => {
    const text = '$.a == == 1';
    expect(renderExpressionError(text, syntaxError(text), 'ctq: --match')).toBe(
      ["ctq: --match: expected a value (a $-path, a literal or a function call) after '==' but found '==' at column 8", text, '       ^~'].join('\n'),
    );
  });

  test('the caret spans the offending token', () => {
    const text = '$.a == "x" $.b.c';
    const lines = renderExpressionError(text, syntaxError(text), 'x').split('\n');
    expect(lines[2]).toBe('           ^~~~~');
  });

  test('an error at the end points one past the last character', () => {
    const text = '$.a ==';
    const error = syntaxError(text);
    expect(error.message).toBe("expected a value (a $-path, a literal or a function call) after '==' but found end of expression");
    expect(error.expected).toEqual(['a value (a $-path, a literal or a function call)']);
    expect(renderExpressionError(text, error, 'x').split('\n')[2]).toBe('      ^');
  });

  test('tabs before the error are kept so the caret lines up', () => {
    const text = '\t$.a ==';
    expect(renderExpressionError(text, syntaxError(text), 'x').split('\n')[2]).toBe('\t      ^');
  });

  test('a multi-line expression names the line and shows only it', () => {
    const text = '$.a == 1\nand ==';
    expect(renderExpressionError(text, syntaxError(text), 'x').split('\n')).toEqual([
      "x: expected a condition (a $-path, a literal, a function call, 'not' or '(') after 'and' but found '==' at line 2, column 5",
      'and ==',
      '    ^~',
    ]);
  });
});

describe('syntax errors say what was expected', () => {
  test.each([
    ['', 'empty expression', 0],
    ['   ', 'empty expression', 0],
    ['$.a = 1', "unexpected character '=': did you mean '=='?", 4],
    ['$.a && $.b', "unexpected character '&': write 'and'", 4],
    ['!$.a', "unexpected character '!': write 'not' to negate, or '!=' to compare", 0],
    ['$.a == "x', "unexpected character '\"': the string is not closed", 7],
    ['$.a $.b', "expected an operator ('==', '!=', '<', 'contains', 'in', 'regex', …), 'and' or 'or' after '$.a' but found '$.b'", 4],
    ['($.a', "expected an operator ('==', '!=', '<', 'contains', 'in', 'regex', …), 'and', 'or' or ')' after '$.a' but found end of expression", 4],
    ['$.a not "x"', "expected 'in' or 'in~' after 'not' but found '\"x\"'", 8],
    ['$.a in "x"', "expected '[' after 'in' but found '\"x\"'", 7],
    ['$.a and', "expected a condition (a $-path, a literal, a function call, 'not' or '(') after 'and' but found end of expression", 7],
    ['$.a regex 1', "expected a string or a /pattern/ after 'regex' but found '1'", 10],
    ['$.a == [1,', "expected a literal after ',' but found end of expression", 10],
    ['$.a == [$.b]', "expected a literal or ']' after '[' but found '$.b'", 8],
    ['$.a == {a: 1}', "expected a string or '}' after '{' but found 'a'", 8],
    ['$.a == AccessDenied', "unknown word 'AccessDenied': quote a string (\"AccessDenied\"), start a path with $, or call a function with ()", 7],
    ['$.a == "\\x"', "invalid escape '\\x' in a string: use \\\" \\' \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX", 8],
    ['$.a == "\\u12"', "invalid escape '\\u12\"' in a string: use \\\" \\' \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX", 8],
    ['$.a == {"k": 1, "k": 2}', 'duplicate key "k" in an object literal', 16],
    ['$.r[0 == 1', "unclosed '[' in the path", 3],
    ['$. == 1', "expected a member name after '.' in the path", 1],
    ['$.a == and', "expected a value (a $-path, a literal or a function call) after '==' but found 'and'", 7],
  ])('%s', (text, message, column) => {
    const error = syntaxError(text);
    expect(error.hint === undefined ? error.message : `${error.message}: ${error.hint}`).toBe(message);
    expect(error.span.start).toBe(column);
  });
});

describe('checks before any event is read', () => {
  test('unknown function, with a suggestion and the known names', () => {
    expect(checkError('sesion()').message).toBe('unknown function sesion(): did you mean session()? known functions are session(), chainOf(), lower(), upper(), len(), cidr(), json()');
    expect(checkError('frobnicate(1)').message).toBe('unknown function frobnicate(): known functions are session(), chainOf(), lower(), upper(), len(), cidr(), json()');
  });

  test('wrong arity', () => {
    expect(checkError('session(1) == "x"').message).toBe('session() takes no arguments but was given 1');
    expect(checkError('chainOf()').message).toBe('chainOf() takes 1 argument but was given 0');
    expect(checkError('chainOf("a", "b")').message).toBe('chainOf() takes 1 argument but was given 2');
  });

  test('chainOf takes one string literal', () => {
    const error = checkError('chainOf($.userIdentity.accessKeyId)');
    expect(error.message).toBe('chainOf() takes a string literal, e.g. chainOf("ASIAEXAMPLEKEY")');
    expect(error.span).toEqual({ start: 8, end: 34 });
    expect(checkError('chainOf(1)').message).toMatch(/takes a string literal/);
  });

  test('invalid regex carries the engine message', () => {
    expect(checkError('$.a regex "("').message).toBe('invalid regex: missing closing ): `(`');
    expect(checkError('$.a regex /a/q').message).toBe("unknown regex flag 'q': use i, m, s or u");
  });

  test('stateful regex flags are refused', () => {
    expect(checkError('$.a regex /a/g').message).toBe("the regex flag 'g' is not allowed: matching is a search per value");
    expect(checkError('$.a regex /a/y').message).toBe("the regex flag 'y' is not allowed: matching is a search per value");
  });

  test('regex on a literal list or object, or on a boolean call', () => {
    expect(checkError('[1] regex "a"').message).toBe('regex needs a string on its left, not a literal list or object');
    expect(checkError('{"a": 1} regex "a"').message).toBe('regex needs a string on its left, not a literal list or object');
    expect(checkError('chainOf("k") regex "a"').message).toBe('regex needs a string on its left, but chainOf() yields true or false');
  });

  test('invalid JSONPath: bad filter script', () => {
    const error = checkError('$.r[?(@.type ==)] == 1');
    expect(error.message).toMatch(/^invalid filter \[\?\(@\.type ==\)\]: /);
    expect(error.span).toEqual({ start: 3, end: 17 });
  });

  test('invalid JSONPath: a negative index suggests a slice', () => {
    expect(checkError('$.r[-1].a').message).toBe('negative index [-1] selects nothing in jsonpath-plus; use a slice such as [-1:] for the last elements');
  });

  test('invalid JSONPath: unsupported selectors and names jsonpath-plus cannot express', () => {
    expect(checkError('$.r[foo]').message).toMatch(/^unsupported selector \[foo\]/);
    expect(checkError("$.r[*]['a;b']").message).toMatch(/cannot be used in a path with wildcards/);
    expect(checkError("$..['*']").message).toMatch(/cannot be used in a path with wildcards/);
  });

  test('names jsonpath-plus cannot express are fine in plain paths', () => {
    expect(checkExpression("$.r['a;b'] == 1").ok).toBe(true);
  });

  test("'[]' shares a path only with names and indexes, and the error points at what it cannot share with", () => {
    const message = "a path with '[]' may hold only member names, indexes and more '[]': '[]' cannot be combined with wildcards, '..', filters, slices or unions";
    expect(checkError('$.r[][*].a == 1')).toMatchObject({ message, span: { start: 5, end: 8 } });
    expect(checkError('$..a[] == 1')).toMatchObject({ message, span: { start: 1, end: 3 } });
    expect(checkError('$.r[].a[?(@.b)] == 1')).toMatchObject({ message, span: { start: 7, end: 15 } });
    expect(checkExpression("$.r[0][]['a;b'][] == 1").ok).toBe(true);
  });

  test('checks report the first problem from the left', () => {
    expect(checkError('sesion() == 1 and $.a regex "("').message).toMatch(/^unknown function sesion/);
  });

  test('a known function without an implementation is a compile error', () => {
    const result = compileExpression('$.a == 1 or session() == "k"', new Map());
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.message).toBe('session() is not available here');
      expect(result.error.span).toEqual({ start: 12, end: 21 });
    }
  });
});

describe('rendering for a terminal', () => {
  const render = (text: string) => {
    const parsed = parseExpression(text);
    if (parsed.ok) throw new Error('parsed');
    return renderExpressionError(text, parsed.error, 'ctq: --match', TERMINAL).split('\n');
  };

  test('the caret is placed by the width of the escaped text before it', () => {
    const [, line, caret] = render('$.a == "\\\\\\t" == 1');
    expect(line).toBe('$.a == "\\\\\\\\\\\\t" == 1');
    expect(caret).toBe(' '.repeat(line!.lastIndexOf('==')) + '^~');
  });

  test('wide characters take two columns', () => {
    const [, line, caret] = render('$.a == "日本語" == 1');
    expect(line).toBe('$.a == "日本語" == 1');
    expect(caret).toBe(' '.repeat(16) + '^~');
  });

  test('input in the message is escaped; the fixed hint is not', () => {
    const [message] = render('$.a == "\\q"');
    expect(message).toBe("ctq: --match: invalid escape '\\\\q' in a string: use \\\" \\' \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX at column 9");
  });
});

describe('the first problem, left to right', () => {
  test.each([
    ['sesion() regex "("', 'unknown function sesion()'],
    ['$.a regex "(" and sesion()', 'invalid regex'],
    ['lowr($.a) contains 5', 'unknown function lowr()'],
    ['$.a contains 5 or lowr($.a)', 'contains needs a string'],
  ])('%s', (text, start) => {
    const checked = checkExpression(text);
    expect(checked.ok ? '' : checked.error.message).toMatch(new RegExp(`^${start.replace(/[()]/g, '\\$&')}`));
  });
});
