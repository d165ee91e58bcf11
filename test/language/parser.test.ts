import { describe, expect, test } from 'vitest';
import { parseExpression, type Expr } from '../../src/language';
import { expressionLexer } from '../../src/language/lexer';

function parse(text: string): Expr {
  const result = parseExpression(text);
  if (!result.ok) throw new Error(`${text}: ${result.error.message}`);
  return result.expr;
}

function tokenNames(text: string): string[] {
  const lexed = expressionLexer().tokenize(text);
  expect(lexed.errors).toEqual([]);
  return lexed.tokens.map((token) => `${token.tokenType.name}:${token.image}`);
}

describe('lexer', () => {
  test('a path is one token, including bracketed names with spaces and filters with ==', () => {
    expect(tokenNames(`$.a["b c"] == $.r[?(@.type == 'x y')].ARN`)).toEqual([
      'JsonPath:$.a["b c"]',
      'Equals:==',
      "JsonPath:$.r[?(@.type == 'x y')].ARN",
    ]);
  });

  test('a path ends where the next operator begins, even without spaces', () => {
    expect(tokenNames('$.a==1')).toEqual(['JsonPath:$.a', 'Equals:==', 'NumberLiteral:1']);
    expect(tokenNames('($.a)')).toEqual(['LParen:(', 'JsonPath:$.a', 'RParen:)']);
  });

  test('a quote inside a bracketed name does not end the path early', () => {
    expect(tokenNames(`$['a]b'] == 1`)).toEqual([`JsonPath:$['a]b']`, 'Equals:==', 'NumberLiteral:1']);
  });

  test('keywords are reserved but identifiers may start with them', () => {
    expect(tokenNames('not notable and andy')).toEqual(['Not:not', 'Identifier:notable', 'And:and', 'Identifier:andy']);
  });

  test('numbers are JSON numbers with an optional minus', () => {
    expect(tokenNames('-1.5e3 0 42')).toEqual(['NumberLiteral:-1.5e3', 'NumberLiteral:0', 'NumberLiteral:42']);
  });

  test('a /regex/ literal may contain / inside a character class and escaped', () => {
    expect(tokenNames('$.a regex /a[/]b\\/c/i')).toEqual(['JsonPath:$.a', 'Regex:regex', 'RegexLiteral:/a[/]b\\/c/i']);
  });
});

describe('parser', () => {
  test('a dotted path is plain with member steps', () => {
    expect(parse('$.userIdentity.arn')).toMatchObject({
      kind: 'test',
      operand: { kind: 'path', text: '$.userIdentity.arn', steps: [{ kind: 'member', name: 'userIdentity' }, { kind: 'member', name: 'arn' }] },
    });
  });

  test('bracketed names and indexes are plain steps, with escapes decoded', () => {
    expect(parse(`$['x-amz-id-2'].a["b c"].r[0]["\\u0041"]`)).toMatchObject({
      operand: {
        steps: [
          { kind: 'member', name: 'x-amz-id-2' },
          { kind: 'member', name: 'a' },
          { kind: 'member', name: 'b c' },
          { kind: 'member', name: 'r' },
          { kind: 'index', index: 0 },
          { kind: 'member', name: 'A' },
        ],
      },
    });
  });

  test.each(['$.resources[*].ARN', '$.*', '$..arn', '$..*', "$.resources[?(@.type == 'AWS::S3::Bucket')]", '$.r[0:2]', '$.r[-1:]', '$.r[0,1]'])(
    'a path that may select several values has no plain steps: %s',
    (text) => {
      expect(parse(text)).toMatchObject({ kind: 'test', operand: { kind: 'path', text, steps: null } });
    },
  );

  test('the root $ alone is a plain path with no steps', () => {
    expect(parse('$')).toMatchObject({ operand: { kind: 'path', steps: [] } });
  });

  test.each([
    [`"a\\"b"`, 'a"b'],
    [`'it\\'s'`, "it's"],
    [`"tab\\there"`, 'tab\there'],
    [`'\\u00e9\\/'`, 'é/'],
    ['-12.5', -12.5],
    ['true', true],
    ['false', false],
    ['null', null],
    ['[1, "a", [true], {}]', [1, 'a', [true], {}]],
    ['{"k": 1, "n": {"m": null}}', { k: 1, n: { m: null } }],
    ['[]', []],
  ])('literal %s', (text, value) => {
    expect(parse(`$.x == ${text}`)).toMatchObject({ kind: 'compare', right: { kind: 'literal', value } });
  });

  test('an object literal key "__proto__" is an ordinary key', () => {
    const expr = parse('$.x == {"__proto__": 1}');
    const value = expr.kind === 'compare' && expr.right.kind === 'literal' ? expr.right.value : null;
    expect(Object.keys(value as object)).toEqual(['__proto__']);
  });

  test('== and != compare two operands', () => {
    expect(parse('$.a != "x"')).toMatchObject({ kind: 'compare', op: '!=', left: { kind: 'path' }, right: { kind: 'literal', value: 'x' } });
    expect(parse('1 == 1')).toMatchObject({ kind: 'compare', op: '==', left: { kind: 'literal' }, right: { kind: 'literal' } });
  });

  test('regex takes a quoted pattern or a /pattern/flags literal', () => {
    expect(parse('$.a regex "^a\\\\.b"')).toMatchObject({ kind: 'regex', pattern: { source: '^a\\.b', flags: '' } });
    expect(parse('$.a regex /^a\\.b/iu')).toMatchObject({ kind: 'regex', pattern: { source: '^a\\.b', flags: 'iu' } });
  });

  test('function calls take operands', () => {
    expect(parse('session() == "k"')).toMatchObject({ left: { kind: 'call', name: 'session', args: [] } });
    expect(parse('chainOf("k")')).toMatchObject({ kind: 'test', operand: { kind: 'call', name: 'chainOf', args: [{ kind: 'literal', value: 'k' }] } });
  });

  test('and binds tighter than or', () => {
    expect(parse('$.a or $.b and $.c')).toMatchObject({ kind: 'or', left: { kind: 'test' }, right: { kind: 'and' } });
  });

  test('and and or are left-associative', () => {
    expect(parse('$.a and $.b and $.c')).toMatchObject({ kind: 'and', left: { kind: 'and' }, right: { kind: 'test' } });
    expect(parse('$.a or $.b or $.c')).toMatchObject({ kind: 'or', left: { kind: 'or' }, right: { kind: 'test' } });
  });

  test('not applies to the comparison that follows it, and binds tighter than and', () => {
    expect(parse('not $.a == 1 and $.b')).toMatchObject({ kind: 'and', left: { kind: 'not', operand: { kind: 'compare' } }, right: { kind: 'test' } });
    expect(parse('not not $.a')).toMatchObject({ kind: 'not', operand: { kind: 'not', operand: { kind: 'test' } } });
  });

  test('parentheses group and widen the span', () => {
    const expr = parse('($.a or $.b) and $.c');
    expect(expr).toMatchObject({ kind: 'and', left: { kind: 'or', span: { start: 0, end: 12 } } });
  });

  test('spans are offsets into the text', () => {
    expect(parse('$.a == "x"')).toMatchObject({ span: { start: 0, end: 10 }, left: { span: { start: 0, end: 3 } }, right: { span: { start: 7, end: 10 } } });
  });

  test('the one parser instance parses expression after expression', () => {
    expect(parseExpression('$.a ==').ok).toBe(false);
    expect(parse('$.a == 1')).toMatchObject({ kind: 'compare' });
    expect(parse('$.b')).toMatchObject({ kind: 'test' });
  });
});
