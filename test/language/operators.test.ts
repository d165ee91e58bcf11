import { describe, expect, test } from 'vitest';
import { compileExpression, parseExpression, type Expr, type JsonObject, type JsonValue } from '../../src/language';
import { compileExpr } from '../../src/language/compile';

function holds(text: string, event: JsonObject): boolean {
  const compiled = compileExpression(text, new Map());
  if (!compiled.ok) throw new Error(`${text}: ${compiled.error.message}`);
  return compiled.predicate(event);
}

function errorOf(text: string): string {
  const compiled = compileExpression(text, new Map());
  if (compiled.ok) throw new Error(`${text} compiled`);
  return compiled.error.message;
}

describe('in [ … ]', () => {
  const names = Array.from({ length: 5000 }, (_, i) => `Event${i}`);
  const big = `$.eventName in ${JSON.stringify(names)}`;

  test('5,000 values: first, middle, last and absent', () => {
    expect(holds(big, { eventName: 'Event0' })).toBe(true);
    expect(holds(big, { eventName: 'Event2500' })).toBe(true);
    expect(holds(big, { eventName: 'Event4999' })).toBe(true);
    expect(holds(big, { eventName: 'Event5000' })).toBe(false);
    expect(holds(big, {})).toBe(false);
  });

  test('evaluating does not walk the list: a 5,000-value list is a set lookup', () => {
    const parsed = parseExpression(big);
    if (!parsed.ok || parsed.expr.kind !== 'in') throw new Error('expected an in expression');
    let reads = 0;
    const counted = new Proxy(parsed.expr.list.value, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    const expr: Expr = { ...parsed.expr, list: { ...parsed.expr.list, value: counted } };
    const predicate = compileExpr(expr, new Map());
    const compileReads = reads;
    expect(compileReads).toBeGreaterThanOrEqual(5000);
    for (let i = 0; i < 100; i++) predicate({ eventName: `Event${i * 77}` });
    expect(reads - compileReads).toBe(0);
  });

  test('compares as == does: no coercion, 1 equals 1.0, lists and objects deeply', () => {
    expect(holds('$.n in ["1"]', { n: 1 })).toBe(false);
    expect(holds('$.n in [1.0]', { n: 1 })).toBe(true);
    expect(holds('$.n in [0]', { n: -0 })).toBe(true);
    expect(holds('$.o in [{"a": [1]}]', { o: { a: [1] } })).toBe(true);
    expect(holds('$.o in [[1, 2]]', { o: [2, 1] })).toBe(false);
    expect(holds('$.flag in [true]', { flag: 'true' })).toBe(false);
  });

  test('not in is the exact negation, also for missing values', () => {
    for (const event of [{}, { a: null }, { a: 'x' }, { a: 'y' }, { a: ['x'] }] as JsonObject[]) {
      expect(holds('$.a not in ["x", null]', event)).toBe(!holds('$.a in ["x", null]', event));
      expect(holds('$.a not in~ ["X"]', event)).toBe(!holds('$.a in~ ["X"]', event));
    }
  });

  test('in~ folds case on both sides, inside lists and objects too', () => {
    expect(holds('$.a in~ ["ADMIN"]', { a: 'Admin' })).toBe(true);
    expect(holds('$.a in~ [["ADMIN"]]', { a: ['admin'] })).toBe(true);
    expect(holds('$.a in~ [{"k": "V"}]', { a: { k: 'v' } })).toBe(true);
    expect(holds('$.a in~ [{"K": "v"}]', { a: { k: 'v' } })).toBe(false);
  });

  test('several values: any of them', () => {
    expect(holds('$.r[*].t in ["b"]', { r: [{ t: 'a' }, { t: 'b' }] })).toBe(true);
    expect(holds('$.r[*].t not in ["b"]', { r: [{ t: 'a' }, { t: 'b' }] })).toBe(false);
    expect(holds('$.r[*].t in [null]', { r: [] })).toBe(true);
  });
});

describe('ordering', () => {
  test('timestamps compare as instants, whatever their zone', () => {
    const event = { eventTime: '2026-11-20T00:30:00Z' };
    expect(holds('$.eventTime >= "2026-11-20T00:00:00Z"', event)).toBe(true);
    expect(holds('$.eventTime > "2026-11-20T01:00:00+01:00"', event)).toBe(true);
    expect(holds('$.eventTime < "2026-11-19T20:00:00-05:00"', event)).toBe(true);
    expect(holds('$.eventTime <= "2026-11-20T00:30:00.000Z"', event)).toBe(true);
    expect(holds('$.eventTime < "2026-11-20T00:30:00.001Z"', event)).toBe(true);
    expect(holds('$.eventTime > "2026-11-20"', event)).toBe(true);
  });

  test('values of different types compare false with every operator', () => {
    const event: JsonObject = { n: 5, s: 'abc', t: '2026-11-20T00:00:00Z', b: true, l: [1], o: { a: 1 }, z: null };
    for (const op of ['<', '<=', '>', '>=']) {
      for (const path of ['$.s', '$.b', '$.l', '$.o', '$.z', '$.missing']) {
        expect(holds(`${path} ${op} 1`, event), `${path} ${op} 1`).toBe(false);
        expect(holds(`${path} ${op} "2026-01-01T00:00:00Z"`, event), `${path} ${op} time`).toBe(false);
      }
      expect(holds(`$.n ${op} "2026-01-01T00:00:00Z"`, event)).toBe(false);
      expect(holds(`$.t ${op} 5`, event)).toBe(false);
      expect(holds(`$.s ${op} $.t`, event)).toBe(false);
    }
  });

  test('numbers, and path against path', () => {
    const event: JsonObject = { a: 2, b: 10, c: [1, 20] };
    expect(holds('$.a < $.b', event)).toBe(true);
    expect(holds('$.b <= 10 and $.b >= 10', event)).toBe(true);
    expect(holds('$.c[*] > 15', event)).toBe(true);
    expect(holds('$.c[*] > 25', event)).toBe(false);
    expect(holds('$.c > 15', event)).toBe(false);
  });

  test('a literal that cannot be ordered is an error, not a constant false', () => {
    expect(errorOf('$.eventTime > "yesterday"')).toMatch(/^> compares numbers or ISO 8601 timestamps/);
    expect(errorOf('$.a < true')).toMatch(/^< compares numbers/);
    expect(errorOf('$.a < "2026-02-30"')).toMatch(/^< compares numbers/);
    expect(errorOf('null >= $.a')).toMatch(/^>= compares numbers/);
  });
});

describe('substrings', () => {
  test('strings, list elements, and never objects', () => {
    expect(holds('$.a contains "b"', { a: 'abc' })).toBe(true);
    expect(holds('$.a contains "b"', { a: ['x', 'abc'] })).toBe(true);
    expect(holds('$.a contains "b"', { a: [['abc']] })).toBe(false);
    expect(holds('$.a contains "b"', { a: { b: 'b' } })).toBe(false);
    expect(holds('$.a startswith "ab"', { a: 'abc' })).toBe(true);
    expect(holds('$.a endswith "bc"', { a: 'abc' })).toBe(true);
    expect(holds('$.a endswith "ab"', { a: 'abc' })).toBe(false);
  });

  test('the needle may be a path; a needle that is not a string is false', () => {
    expect(holds('$.arn endswith $.name', { arn: 'role/alice', name: 'alice' })).toBe(true);
    expect(holds('$.arn endswith $.name', { arn: 'role/alice', name: 5 })).toBe(false);
    expect(holds('$.arn contains $.missing', { arn: 'role/alice' })).toBe(false);
  });

  test('~ forms ignore case on both sides', () => {
    expect(holds('$.a contains~ "DENIED"', { a: 'AccessDenied' })).toBe(true);
    expect(holds('$.a startswith~ "access"', { a: 'AccessDenied' })).toBe(true);
    expect(holds('$.a endswith~ "DeNiEd"', { a: ['x', 'AccessDenied'] })).toBe(true);
    expect(holds('$.a contains "DENIED"', { a: 'AccessDenied' })).toBe(false);
  });
});

describe('=~ and !~', () => {
  test('strings ignoring case, everything else exactly; !~ is the negation', () => {
    const cases: [JsonValue, JsonValue, boolean][] = [
      ['Admin', 'ADMIN', true],
      ['1', 1, false],
      [null, null, true],
      [['A', 'b'], ['a', 'B'], true],
      [{ K: 'v' }, { k: 'v' }, false],
    ];
    for (const [a, b, equal] of cases) {
      const event = { a, b };
      expect(holds('$.a =~ $.b', event), JSON.stringify(event)).toBe(equal);
      expect(holds('$.a !~ $.b', event), JSON.stringify(event)).toBe(!equal);
    }
  });
});

describe('functions', () => {
  test('cidr: IPv4, IPv6, mapped addresses, and non-addresses', () => {
    expect(holds('cidr($.ip, "10.0.0.0/8")', { ip: '10.200.1.1' })).toBe(true);
    expect(holds('cidr($.ip, "10.0.0.0/8")', { ip: '11.0.0.1' })).toBe(false);
    expect(holds('cidr($.ip, "2001:db8::/32")', { ip: '2001:db8:1::5' })).toBe(true);
    expect(holds('cidr($.ip, "2001:db8::/32")', { ip: '2001:db9::5' })).toBe(false);
    expect(holds('cidr($.ip, "10.0.0.0/8")', { ip: '::ffff:10.1.2.3' })).toBe(true);
    expect(holds('cidr($.ip, "::ffff:0:0/96")', { ip: '10.1.2.3' })).toBe(true);
    expect(holds('cidr($.ip, "192.0.2.7")', { ip: '192.0.2.7' })).toBe(true);
    expect(holds('cidr($.ip, "0.0.0.0/0")', { ip: 'ec2.amazonaws.com' })).toBe(false);
    expect(holds('cidr($.ip, "0.0.0.0/0")', { ip: '10.1' })).toBe(false);
    expect(holds('cidr($.ip, "0.0.0.0/0")', {})).toBe(false);
    expect(holds('cidr($.ips[*], "10.0.0.0/8")', { ips: ['1.1.1.1', '10.0.0.1'] })).toBe(true);
  });

  test('cidr blocks are checked before any event is read', () => {
    expect(errorOf('cidr($.ip, "10.0.0.0/33")')).toMatch(/^cidr\(\) needs an IPv4 or IPv6 block/);
    expect(errorOf('cidr($.ip, "10.0.0/8")')).toMatch(/^cidr\(\) needs/);
    expect(errorOf('cidr($.ip, $.block)')).toMatch(/^cidr\(\) takes a string literal/);
    expect(errorOf('cidr($.ip)')).toBe('cidr() takes 2 arguments but was given 1');
  });

  test('json: parse, reach inside with a path, pass non-strings through', () => {
    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:*' }, { Effect: 'Allow', Action: ['iam:*'] }] };
    const event: JsonObject = { requestParameters: { policyDocument: JSON.stringify(policy) }, object: policy, bad: '{"a":' };
    expect(holds('json($.requestParameters.policyDocument, "$.Statement[*].Effect") == "Allow"', event)).toBe(true);
    expect(holds('json($.requestParameters.policyDocument, "$.Statement[0].Effect") == "Allow"', event)).toBe(false);
    expect(holds('json($.requestParameters.policyDocument, "$..Action") == "iam:*"', event)).toBe(false);
    expect(holds('json($.requestParameters.policyDocument, "$..Action[*]") == "iam:*"', event)).toBe(true);
    expect(holds('json($.object, "$.Version") == "2012-10-17"', event)).toBe(true);
    expect(holds('json($.bad) == null', event)).toBe(true);
    expect(holds('json($.missing, "$.a") == null', event)).toBe(true);
    expect(holds('len(json($.requestParameters.policyDocument, "$.Statement")) == 2', event)).toBe(true);
    expect(errorOf('json($.a, "Statement")')).toMatch(/^json\(\) takes a ctq path/);
    expect(errorOf('json($.a, "$.a[?(@.x")')).toMatch(/^json\(\)/);
  });

  test('lower, upper and len apply to each value', () => {
    const event: JsonObject = { a: ['X', 'Yy'], s: 'ÄB', n: 3, e: '😀x' };
    expect(holds('lower($.a[*]) == "yy"', event)).toBe(true);
    expect(holds('upper($.s) == "ÄB" and lower($.s) == "äb"', event)).toBe(true);
    expect(holds('lower($.n) == null', event)).toBe(true);
    expect(holds('len($.a[*]) == 2', event)).toBe(true);
    expect(holds('len($.e) == 2', event)).toBe(true);
    expect(holds('len($.n) == null', event)).toBe(true);
    expect(holds('len($.a) == 2', event)).toBe(true);
  });
});

describe('path filters cannot reach a backtracking regex engine', () => {
  test.each([
    '$.list[?(@.match("(a+)+$"))]',
    '$.list[?(/(a+)+$/.test(@))]',
    '$.list[?(@["replace"](/(a|a)*$/, ""))]',
    '$.list[?(@ && @.split("x").length > 1)]',
    'json($.doc, "$.Statement[?(@.Sid.search(\'x\') >= 0)]") != null',
  ])('%s is refused before any event is read', (text) => {
    expect(errorOf(text)).toMatch(/^(json\(\): )?a path filter may not (call methods|hold a \/regex\/)/);
  });

  test('comparisons, logic and member reads still work, with @root', () => {
    expect(holds('$.r[?(@.a == 1 && @.b != @root.x)]', { r: [{ a: 1, b: 2 }], x: 3 })).toBe(true);
    expect(holds('$.r[?(@.a > 1 || !@.b)]', { r: [{ a: 1, b: 2 }] })).toBe(false);
  });
});
