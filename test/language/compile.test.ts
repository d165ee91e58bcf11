import { JSONPath } from 'jsonpath-plus';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { addFilterFaults, compileExpression, takeFilterFaults, type JsonObject } from '../../src/language';
import { jsonPathPlusCalls } from '../../src/language/path-query';

function compile(text: string): (event: JsonObject) => boolean {
  const compiled = compileExpression(text, new Map());
  if (!compiled.ok) throw new Error(compiled.error.message);
  return compiled.predicate;
}

const event: JsonObject = { a: { b: [{ c: 'x' }] }, errorCode: 'AccessDenied', 'x-y': 1 };

describe('compiled predicates', () => {
  afterEach(() => vi.restoreAllMocks());

  test('plain paths do not call jsonpath-plus', () => {
    const before = jsonPathPlusCalls.count;
    const evaluate = vi.spyOn(JSONPath.prototype as unknown as { evaluate: () => unknown }, 'evaluate');
    const predicates = [
      '$.errorCode == "AccessDenied"',
      '$.a.b[0].c == "x" and $["x-y"] == 1',
      '$.a.b[0] == {"c": "x"} or $.errorCode regex "Denied"',
      '$.missing != null or not $.errorCode',
      '$.a == $.a',
    ].map(compile);
    for (const predicate of predicates) for (let i = 0; i < 100; i++) predicate(event);
    expect(evaluate).not.toHaveBeenCalled();
    expect(jsonPathPlusCalls.count).toBe(before);
    expect(predicates.map((predicate) => predicate(event))).toEqual([true, true, true, false, true]);
  });

  test('paths that need it do call jsonpath-plus, once per evaluation', () => {
    const before = jsonPathPlusCalls.count;
    const evaluate = vi.spyOn(JSONPath.prototype as unknown as { evaluate: () => unknown }, 'evaluate');
    const predicate = compile('$..c == "x"');
    expect(predicate(event)).toBe(true);
    expect(predicate({ other: 1 })).toBe(false);
    expect(jsonPathPlusCalls.count - before).toBe(2);
    expect(evaluate).toHaveBeenCalledTimes(2);
  });

  test('compiling is separate from evaluating: one compile serves many events', () => {
    const predicate = compile('$.errorCode == "AccessDenied"');
    const events: JsonObject[] = [{ errorCode: 'AccessDenied' }, { errorCode: 'Throttling' }, {}, { errorCode: null }];
    expect(events.map(predicate)).toEqual([true, false, false, false]);
  });

  test('deep paths beyond three steps are read', () => {
    expect(compile('$.a.b.c.d.e == 1')({ a: { b: { c: { d: { e: 1 } } } } })).toBe(true);
    expect(compile('$.a.b.c.d.e == 1')({ a: { b: { c: { d: 1 } } } })).toBe(false);
  });

  test('the compile result carries the AST', () => {
    const compiled = compileExpression('$.a == 1', new Map());
    expect(compiled.ok && compiled.expr.kind).toBe('compare');
  });
});

describe('JSONPath filters', () => {
  const event: JsonObject = {
    userIdentity: { accountId: '111122223333' },
    requestParameters: { valuesToAdd: ['111122223333', '444455556666'] },
    resources: [{ a: { b: 1 } }, { other: true }],
  };

  test('@root inside a filter is the event', () => {
    expect(compile('$.requestParameters.valuesToAdd[?(@ != @root.userIdentity.accountId)] == "444455556666"')(event)).toBe(true);
    expect(compile('$.requestParameters.valuesToAdd[?(@ != @root.userIdentity.accountId)] == "111122223333"')(event)).toBe(false);
    expect(compile('$.requestParameters.valuesToAdd[?(@ == @root.userIdentity.accountId)]')(event)).toBe(true);
    expect(compile('$.requestParameters.valuesToAdd[?(@ == @root.userIdentity.accountId)]')({ ...event, userIdentity: { accountId: '9' } })).toBe(false);
  });

  test('@root changes with every event (the engine is reused)', () => {
    const predicate = compile('$.list[?(@ == @root.wanted)]');
    expect(predicate({ list: ['a'], wanted: 'a' })).toBe(true);
    expect(predicate({ list: ['a'], wanted: 'b' })).toBe(false);
  });

  test('a filter that throws counts as false there and is recorded once per filter, with a count', () => {
    takeFilterFaults();
    const predicate = compile('$.resources[?(@.a.b == 1)]');
    expect(predicate(event)).toBe(true);
    expect(predicate(event)).toBe(true);
    const faults = takeFilterFaults();
    expect(faults).toEqual([{ filter: '@.a.b == 1', message: expect.stringContaining("reading 'b'") as unknown as string, count: 2 }]);
    expect(takeFilterFaults()).toEqual([]);
  });

  test('faults from elsewhere (a scan worker) add to the count', () => {
    takeFilterFaults();
    addFilterFaults([{ filter: '@.x.y', message: 'boom', count: 3 }]);
    addFilterFaults([{ filter: '@.x.y', message: 'boom again', count: 2 }]);
    expect(takeFilterFaults()).toEqual([{ filter: '@.x.y', message: 'boom', count: 5 }]);
  });
});
