import { describe, expect, test } from 'vitest';
import { compileExpression, type FunctionImplementation, type FunctionImplementations, type JsonObject } from '../../src/language';

const none: FunctionImplementations = new Map();

function holds(text: string, event: JsonObject, implementations: FunctionImplementations = none): boolean {
  const compiled = compileExpression(text, implementations);
  if (!compiled.ok) throw new Error(`${text}: ${compiled.error.message}`);
  return compiled.predicate(event);
}

const event: JsonObject = {
  eventName: 'GetObject',
  errorCode: 'AccessDenied',
  responseElements: null,
  readOnly: true,
  managementEvent: false,
  count: 1,
  text: '1',
  empty: '',
  zero: 0,
  list: [],
  obj: {},
  userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::1:assumed-role/R/s' },
  resources: [
    { type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::b/k' },
    { type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::b', accountId: '1' },
  ],
  tags: { b: 2, a: 1 },
  pair: [1, 2],
  'x-amz-id-2': 'id2',
};

describe('missing values', () => {
  test('missing property compares equal to null', () => {
    expect(holds('$.noSuchField == null', event)).toBe(true);
  });
  test('a null property compares equal to null', () => {
    expect(holds('$.responseElements == null', event)).toBe(true);
  });
  test('!= null is true when the property is present and not null', () => {
    expect(holds('$.errorCode != null', event)).toBe(true);
    expect(holds('$.noSuchField != null', event)).toBe(false);
    expect(holds('$.responseElements != null', event)).toBe(false);
  });
  test('a member of a missing or non-object value is null', () => {
    expect(holds('$.noSuchField.deeper == null', event)).toBe(true);
    expect(holds('$.eventName.deeper == null', event)).toBe(true);
    expect(holds('$.readOnly.deeper == null', event)).toBe(true);
  });
  test('an index past the end or into a non-list is null', () => {
    expect(holds('$.resources[9] == null', event)).toBe(true);
    expect(holds('$.eventName[0] == null', event)).toBe(true);
  });
  test('inherited names such as length and constructor are not properties', () => {
    expect(holds('$.eventName.length == null', event)).toBe(true);
    expect(holds('$.resources.length == null', event)).toBe(true);
    expect(holds('$.constructor == null', event)).toBe(true);
    expect(holds('$.tags.toString', event)).toBe(false);
    expect(holds('$.resources.length', event)).toBe(false);
  });
  test('an own property named like an inherited one is read', () => {
    expect(holds('$.constructor == "mine"', JSON.parse('{"constructor":"mine"}') as JsonObject)).toBe(true);
    expect(holds('$.__proto__ == "x"', JSON.parse('{"__proto__":"x"}') as JsonObject)).toBe(true);
  });
});

describe('equality', () => {
  test('a string never equals a number', () => {
    expect(holds('$.text == 1', event)).toBe(false);
    expect(holds('$.count == "1"', event)).toBe(false);
    expect(holds('$.count == 1', event)).toBe(true);
    expect(holds('"1" == 1', event)).toBe(false);
  });
  test('a string never equals a boolean', () => {
    expect(holds('$.readOnly == "true"', event)).toBe(false);
    expect(holds('$.readOnly == true', event)).toBe(true);
  });
  test('objects compare regardless of key order', () => {
    expect(holds('$.tags == {"a": 1, "b": 2}', event)).toBe(true);
    expect(holds('$.tags == {"a": 1}', event)).toBe(false);
    expect(holds('$.tags == {"a": 1, "b": 2, "c": 3}', event)).toBe(false);
  });
  test('lists compare in order', () => {
    expect(holds('$.pair == [1, 2]', event)).toBe(true);
    expect(holds('$.pair == [2, 1]', event)).toBe(false);
    expect(holds('$.pair == [1]', event)).toBe(false);
  });
  test('a list never equals an object', () => {
    expect(holds('$.list == {}', event)).toBe(false);
    expect(holds('$.obj == []', event)).toBe(false);
  });
  test('!= is the negation of ==', () => {
    for (const right of ['"GetObject"', '"PutObject"', 'null', '1', '[1]']) {
      expect(holds(`$.eventName != ${right}`, event)).toBe(!holds(`$.eventName == ${right}`, event));
    }
  });
  test('literal == literal is evaluated', () => {
    expect(holds('1 == 1', event)).toBe(true);
    expect(holds('"a" != "a"', event)).toBe(false);
    expect(holds('{"a": [1]} == {"a": [1]}', event)).toBe(true);
  });
  test('path == path compares both values', () => {
    expect(holds('$.text == $.text', event)).toBe(true);
    expect(holds('$.text == $.count', event)).toBe(false);
    expect(holds('$.noSuchField == $.responseElements', event)).toBe(true);
  });
  test('a bracketed name with dashes reads the member', () => {
    expect(holds("$['x-amz-id-2'] == 'id2'", event)).toBe(true);
  });
});

describe('several values', () => {
  test('== is true when any selected value matches', () => {
    expect(holds('$.resources[*].type == "AWS::S3::Bucket"', event)).toBe(true);
    expect(holds('$.resources[*].type == "AWS::Lambda::Function"', event)).toBe(false);
  });
  test('!= is the exact negation of == over several values', () => {
    expect(holds('$.resources[*].type != "AWS::S3::Bucket"', event)).toBe(false);
    expect(holds('$.resources[*].type != "AWS::Lambda::Function"', event)).toBe(true);
  });
  test('a path selecting nothing behaves like a single null', () => {
    expect(holds('$.resources[*].nothing == null', event)).toBe(true);
    expect(holds('$.resources[*].nothing != null', event)).toBe(false);
    expect(holds('$.resources[*].nothing', event)).toBe(false);
    expect(holds('$.resources[*].nothing regex ""', event)).toBe(false);
  });
  test('recursive descent finds members at any depth', () => {
    expect(holds('$..arn == "arn:aws:sts::1:assumed-role/R/s"', event)).toBe(true);
    expect(holds('$..accountId == "1"', event)).toBe(true);
  });
  test('a filter selects the items it accepts', () => {
    expect(holds(`$.resources[?(@.type == 'AWS::S3::Bucket')].ARN == "arn:aws:s3:::b"`, event)).toBe(true);
    expect(holds(`$.resources[?(@.type == 'AWS::S3::Bucket')].ARN == "arn:aws:s3:::b/k"`, event)).toBe(false);
  });
  test('a filter that fails on some items does not fail the run', () => {
    expect(holds('$.resources[?(@.nothing.deeper == 1)]', event)).toBe(false);
  });
  test('both sides may select several values', () => {
    expect(holds('$.resources[*].ARN == $..ARN', event)).toBe(true);
    expect(holds('$.resources[*].type == $..arn', event)).toBe(false);
  });
  test('slices and index unions select by position', () => {
    expect(holds('$.resources[-1:].type == "AWS::S3::Bucket"', event)).toBe(true);
    expect(holds('$.resources[0:1].type == "AWS::S3::Bucket"', event)).toBe(false);
    expect(holds('$.resources[0,1].ARN == "arn:aws:s3:::b"', event)).toBe(true);
  });
  test('a wildcard does not invent null for items missing the member', () => {
    expect(holds('$.resources[*].accountId == null', event)).toBe(false);
  });
});

describe('regex', () => {
  test('regex is an unanchored search', () => {
    expect(holds('$.eventName regex "Obj"', event)).toBe(true);
    expect(holds('$.eventName regex "^Obj"', event)).toBe(false);
  });
  test('regex flags apply', () => {
    expect(holds('$.eventName regex /getobject/i', event)).toBe(true);
    expect(holds('$.eventName regex /getobject/', event)).toBe(false);
  });
  test('regex on a non-string is false', () => {
    expect(holds('$.count regex "1"', event)).toBe(false);
    expect(holds('$.readOnly regex "true"', event)).toBe(false);
    expect(holds('$.noSuchField regex ".*"', event)).toBe(false);
    expect(holds('$.tags regex ".*"', event)).toBe(false);
  });
  test('regex on several values is true if any matches', () => {
    expect(holds('$.resources[*].ARN regex "/k$"', event)).toBe(true);
  });
  test('a regex matches the same way on every call', () => {
    const compiled = compileExpression('$.eventName regex "Get"', none);
    if (!compiled.ok) throw new Error(compiled.error.message);
    expect([1, 2, 3].map(() => compiled.predicate(event))).toEqual([true, true, true]);
  });
});

describe('tests and logic', () => {
  test('a bare path is true when present and not null or false', () => {
    expect(holds('$.errorCode', event)).toBe(true);
    expect(holds('$.readOnly', event)).toBe(true);
    expect(holds('$.managementEvent', event)).toBe(false);
    expect(holds('$.responseElements', event)).toBe(false);
    expect(holds('$.noSuchField', event)).toBe(false);
  });
  test('zero, empty string, empty list and empty object count as present', () => {
    for (const field of ['zero', 'empty', 'list', 'obj']) expect(holds(`$.${field}`, event)).toBe(true);
  });
  test('not, and, or follow boolean logic', () => {
    expect(holds('not $.errorCode', event)).toBe(false);
    expect(holds('$.errorCode and $.noSuchField', event)).toBe(false);
    expect(holds('$.errorCode or $.noSuchField', event)).toBe(true);
    expect(holds('$.noSuchField or $.errorCode and $.readOnly', event)).toBe(true);
    expect(holds('($.noSuchField or $.errorCode) and $.managementEvent', event)).toBe(false);
  });
  test('literals used as tests follow the same rule', () => {
    expect(holds('true', event)).toBe(true);
    expect(holds('null', event)).toBe(false);
    expect(holds('0', event)).toBe(true);
  });
});

describe('functions', () => {
  const implementations: FunctionImplementations = new Map<string, FunctionImplementation>([
    ['session', (e) => ((e.userIdentity as JsonObject | undefined)?.arn as string | undefined) ?? null],
    ['chainOf', (_e, args) => args[0] === 'wanted'],
  ]);
  test('a function result compares like any value', () => {
    expect(holds('session() == "arn:aws:sts::1:assumed-role/R/s"', event, implementations)).toBe(true);
    expect(holds('session() regex "assumed-role"', event, implementations)).toBe(true);
    expect(holds('session() == null', {}, implementations)).toBe(true);
  });
  test('a boolean function is a test and receives its literal argument', () => {
    expect(holds('chainOf("wanted")', event, implementations)).toBe(true);
    expect(holds('chainOf("other")', event, implementations)).toBe(false);
  });
});
