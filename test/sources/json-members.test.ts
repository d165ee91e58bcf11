/**
 * The strict raw reading of a record (json-members.ts) must never say yes where `JSON.parse` says no,
 * and the member spans it gives must be the members `JSON.parse` gives.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MemberNames, readMembers } from '../../src/sources/local/json-members';
import { Rng } from '../support/synthetic-events';

const NAMES = new MemberNames(['userIdentity', 'eventName', 'x']);
const MAX_DEPTH = 8;

function read(text: string, maxDepth = MAX_DEPTH): Record<string, string> | null {
  const bytes = Buffer.from(text);
  const spans = NAMES.spans();
  if (!readMembers(bytes, 0, bytes.length, NAMES, spans, maxDepth)) return null;
  const found: Record<string, string> = {};
  NAMES.list.forEach((name, i) => {
    if (spans[2 * i]! >= 0) found[name] = bytes.toString('utf8', spans[2 * i]!, spans[2 * i + 1]!);
  });
  return found;
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('the strict raw reading of a record', () => {
  it('finds the named top-level members, whatever the blanks, and not nested ones', () => {
    expect(read('{"eventName":"GetObject","userIdentity":{"type":"Root","x":1}}')).toEqual({ eventName: '"GetObject"', userIdentity: '{"type":"Root","x":1}' });
    expect(read('{ "x" :\t[1, 2.5e-3, -0, true, false, null, "é"] ,\r\n "y": {} }')).toEqual({ x: '[1, 2.5e-3, -0, true, false, null, "é"]' });
    expect(read('{"a":{"eventName":"AssumeRole"},"b":["userIdentity"]}')).toEqual({});
    expect(read('{}')).toEqual({});
  });

  it.each([
    ['a trailing comma', '{"a":1,}'],
    ['a leading zero', '{"a":01}'],
    ['a bare minus', '{"a":-}'],
    ['a fraction without digits', '{"a":1.}'],
    ['an exponent without digits', '{"a":1e}'],
    ['a misspelt literal', '{"a":tru}'],
    ['a raw tab in a string', '{"a":"x\ty"}'],
    ['a missing colon', '{"a" 1}'],
    ['a missing comma', '{"a":1 "b":2}'],
    ['a second value after the object', '{"a":1}{"b":2}'],
    ['bytes after the object', '{"a":1}x'],
    ['an unclosed object', '{"a":{"b":1}'],
    ['a mismatched bracket', '{"a":[1}'],
    ['a key that is not a string', '{a:1}'],
    ['a non-ASCII byte outside strings', '{"a":1é}'],
  ])('refuses %s, as JSON.parse does', (_, text) => {
    expect(parses(text)).toBe(false);
    expect(read(text)).toBeNull();
  });

  it.each([
    ['any backslash (an escape could spell a key)', '{"user\\u0049dentity":{}}'],
    ['a named key twice (JSON.parse keeps the last)', '{"x":1,"x":2}'],
    ['an array (a record is an object; the ordinary path reports it)', '[1]'],
  ])('answers no, to be sure, on valid JSON with %s', (_, text) => {
    expect(parses(text)).toBe(true);
    expect(read(text)).toBeNull();
  });

  it('takes an unnamed key twice, as JSON.parse does', () => {
    expect(read('{"a":1,"a":2,"x":3}')).toEqual({ x: '3' });
  });

  it('refuses records nested deeper than the limit', () => {
    const nested = (depth: number) => '{"a":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1);
    expect(read(nested(MAX_DEPTH))).toEqual({});
    expect(read(nested(MAX_DEPTH + 1))).toBeNull();
  });

  it('says yes only to what JSON.parse takes, with its members, on damaged copies of real records', () => {
    const lines = readFileSync('fixtures/identity/assume-role-chain.ndjson', 'utf8')
      .split('\n')
      .concat(readFileSync('fixtures/events.ndjson', 'utf8').split('\n'))
      .filter((line) => line.startsWith('{') && !line.includes('\\'));
    expect(lines.length).toBeGreaterThan(10);
    // Every undamaged one is taken whole, spaced out or not.
    for (const line of lines) {
      expect(read(line, 512)).not.toBeNull();
      expect(read(JSON.stringify(JSON.parse(line), null, 2), 512)).not.toBeNull();
    }
    const rng = new Rng(7);
    const alphabet = '{}[]":,. \t\n-+eE019tfnrul\\x\u00e9';
    let accepted = 0;
    let refused = 0;
    for (let trial = 0; trial < 20_000; trial++) {
      const line = rng.pick(lines);
      const at = rng.int(line.length);
      const edit = rng.int(3);
      const char = alphabet[rng.int(alphabet.length)]!;
      const damaged = edit === 0 ? line.slice(0, at) + line.slice(at + 1) : edit === 1 ? line.slice(0, at) + char + line.slice(at) : line.slice(0, at) + char + line.slice(at + 1);
      const found = read(damaged, 512);
      if (found === null) {
        refused++;
        continue;
      }
      accepted++;
      expect(parses(damaged), damaged).toBe(true);
      const event = JSON.parse(damaged) as Record<string, unknown>;
      for (const name of NAMES.list) {
        if (name in found) expect(JSON.parse(found[name]!), damaged).toEqual(event[name]);
        else expect(Object.hasOwn(event, name), damaged).toBe(false);
      }
    }
    // Both answers were exercised.
    expect(accepted).toBeGreaterThan(1000);
    expect(refused).toBeGreaterThan(1000);
  });
});
