/**
 * A match written with a `_ctq` member (rules, --enrich) reads exactly as the event with `_ctq` set
 * on a copy would serialize, whatever the event holds; and the record's event is that copy.
 */
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../src/language/json';
import { compileQuery } from '../../src/query/query';

const OPEN = { fromMs: null, toMs: null };

const rulesQuery = () => {
  const compiled = compileQuery({ actions: [], matches: [], window: OPEN, rules: [{ id: 'r', title: 'R', actions: ['*:*'], matches: ['$.eventName == "A"'] }] });
  if (!compiled.ok) throw new Error(compiled.message);
  return compiled.query;
};

describe('annotated output lines', () => {
  const query = rulesQuery();
  const ctq = { rules: ['r'], titles: ['R'] };
  const events: JsonObject[] = [
    { eventName: 'A', eventSource: 's3.amazonaws.com' },
    { eventName: 'A', _ctq: 'earlier', tail: 1 },
    JSON.parse('{"2":"two","eventName":"A","1":"one","__proto__":{"x":1},"s":"é\\u2028/"}') as JsonObject,
  ];

  it('serializes as the event with _ctq set on a copy: members in order, an existing _ctq replaced in place', () => {
    for (const event of events) {
      const expected = JSON.stringify({ ...event, _ctq: ctq });
      expect(query.lineOf(event, null)).toBe(expected);
      const record = query.recordOf(event, JSON.stringify(event));
      expect(record.text).toBe(expected);
      expect(record.event).toEqual(JSON.parse(expected));
    }
    expect(query.lineOf({ eventName: 'A', _ctq: 'earlier', tail: 1 }, null)).toBe('{"eventName":"A","_ctq":{"rules":["r"],"titles":["R"]},"tail":1}');
  });

  it('writes --enrich extras the same way, including on an empty event', () => {
    const plain = compileQuery({ actions: [], matches: [], window: OPEN });
    if (!plain.ok) throw new Error(plain.message);
    expect(plain.query.lineOf({}, null, { identity: null })).toBe('{"_ctq":{"identity":null}}');
    expect(plain.query.lineOf({ a: 1 }, null, null)).toBe('{"a":1,"_ctq":null}');
    expect(plain.query.recordOf({ a: 1 }, '{"a":1}', { x: 2 }).event).toEqual({ a: 1, _ctq: { x: 2 } });
  });
});
