import { describe, expect, test } from 'vitest';
import { compileExpression, literalPrefilter, parseExpression, type JsonObject, type JsonValue } from '../../src/language';
import type { Expr } from '../../src/language/ast';
import { memberRequirement } from '../../src/language/member-requirement';
import { memberGate } from '../../src/sources/local/member-gate';

function prefilterOf(text: string): ((raw: string) => boolean) | null {
  const parsed = parseExpression(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return literalPrefilter(parsed.expr);
}

describe('which expressions get a pre-filter', () => {
  test.each([
    'not $.a == "x"',
    '$.a != "x"',
    '$.a == null',
    '$.a == 12',
    '$.a regex "x+"',
    '$.a regex /x/i',
    '$.a regex /^x/m',
    '$.a',
    'session() == "x"',
    '"x" == "x"',
    '$.a == "x" or $.b',
    '$.a == "with \\"quote\\""',
    '$.a == "line\\nbreak"',
    '$.a == ""',
  ])('no requirement: %s', (text) => {
    expect(prefilterOf(text)).toBeNull();
  });

  test('path == "str" requires the string', () => {
    const prefilter = prefilterOf('$.errorCode == "AccessDenied"');
    expect(prefilter?.('{"errorCode":"AccessDenied"}')).toBe(true);
    expect(prefilter?.('{"errorCode":"Throttling"}')).toBe(false);
  });

  test('a needle with a quote also passes the event as JSON text inside a string (lookup-events, CloudWatch Logs)', () => {
    const wrapped = (inner: object) => JSON.stringify({ CloudTrailEvent: JSON.stringify(inner) });
    for (const text of ['$.errorCode endswith "Denied"', '$.errorCode startswith "Access"', '$.errorCode regex "^AccessDenied$"']) {
      expect(prefilterOf(text)?.(wrapped({ errorCode: 'AccessDenied' })), text).toBe(true);
      expect(prefilterOf(text)?.(wrapped({ errorCode: 'Throttling' })), text).toBe(false);
    }
  });

  test('the literal may be on either side', () => {
    expect(prefilterOf('"AccessDenied" == $.errorCode')?.('{"errorCode":"Throttling"}')).toBe(false);
  });

  test('path == true or false requires the keyword', () => {
    expect(prefilterOf('$.readOnly == true')?.('{"readOnly":false}')).toBe(false);
    expect(prefilterOf('$.readOnly == false')?.('{"readOnly":true}')).toBe(false);
  });

  test('and keeps the longer requirement', () => {
    const prefilter = prefilterOf('$.a == "ab" and $.b == "abcdef"');
    expect(prefilter?.('{"a":"ab"}')).toBe(false);
    expect(prefilter?.('{"b":"abcdef"}')).toBe(true);
  });

  test('or needs both sides and accepts either', () => {
    const prefilter = prefilterOf('$.a == "left" or $.b == "right"');
    expect(prefilter?.('{"b":"right"}')).toBe(true);
    expect(prefilter?.('{"a":"left"}')).toBe(true);
    expect(prefilter?.('{"a":"neither"}')).toBe(false);
  });

  test('a list or object literal requires one of its strings', () => {
    expect(prefilterOf('$.a == ["short", "longer one"]')?.('{"a":["short"]}')).toBe(false);
    expect(prefilterOf('$.a == {"key": 1}')?.('{"a":{"other":1}}')).toBe(false);
  });

  test('a \\u escape anywhere in the text defeats the pre-filter', () => {
    const prefilter = prefilterOf('$.errorCode == "AccessDenied"');
    expect(prefilter?.('{"errorCode":"Acc\\u0065ssDenied"}')).toBe(true);
  });

  test('an escaped slash defeats the pre-filter only for literals with a slash', () => {
    expect(prefilterOf('$.key == "a/b"')?.('{"key":"a\\/b"}')).toBe(true);
    expect(prefilterOf('$.key == "ab"')?.('{"key":"a\\/c"}')).toBe(false);
  });
});

/** A small deterministic PRNG (mulberry32) so failures reproduce. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = ['a', 'b', 'errorCode', 'x-y'];
const STRINGS = [
  'AccessDenied',
  'a/b',
  'é',
  'q"t',
  'back\\slash',
  'nl\n',
  'true',
  'false',
  '',
  'Acc',
  'x',
  'ACCESSdenied',
  'arn:aws:iam::111122223333:root',
  'ARN:AWS:IAM::111122223333:Root',
  '::1112',
  'İ-123-K',
  'i̇-123-k',
  'Straße 42',
];

describe('soundness: a false pre-filter means the predicate is false', () => {
  const rand = random(20240501);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;

  function value(depth: number): JsonValue {
    const r = rand();
    if (r < 0.4) return pick(STRINGS);
    if (r < 0.5) return pick([0, 1, -2.5]);
    if (r < 0.6) return pick([true, false]);
    if (r < 0.65) return null;
    if (depth > 1) return pick(STRINGS);
    if (r < 0.8) return Array.from({ length: Math.floor(rand() * 3) }, () => value(depth + 1));
    return object(depth + 1);
  }

  function object(depth: number): JsonObject {
    const out: JsonObject = {};
    for (const key of KEYS) if (rand() < 0.5) out[key] = value(depth);
    return out;
  }

  /** JSON text, sometimes pretty-printed or spaced, sometimes written with \uXXXX and \/ escapes as other producers may. */
  function serialize(event: JsonObject): string {
    const r = rand();
    if (r < 0.1) return JSON.stringify(event, null, 2);
    if (r < 0.2) return JSON.stringify(event).replace(/":/g, '" : ').replace(/,"/g, ', "');
    const text = JSON.stringify(event);
    if (r < 0.7) return text;
    return text.replace(/[A-Za-z/]/g, (c) => (rand() < 0.1 ? (c === '/' ? '\\/' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : c));
  }

  function literal(): string {
    const r = rand();
    if (r < 0.6) return JSON.stringify(pick(STRINGS));
    if (r < 0.75) return pick(['true', 'false', 'null', '1']);
    if (r < 0.9) return JSON.stringify([pick(STRINGS)]);
    return JSON.stringify({ [pick(KEYS)]: pick(STRINGS) });
  }

  function path(): string {
    return pick([`$.${pick(['a', 'b', 'errorCode'])}`, "$['x-y']", `$..${pick(['a', 'b'])}`, '$.a[*]', '$.*', '$.a[0]', '$.b.a']);
  }

  function list(): string {
    return JSON.stringify(Array.from({ length: Math.floor(rand() * 4) }, () => (rand() < 0.85 ? pick(STRINGS) : pick([1, true, null]))));
  }

  function expression(depth: number): string {
    const r = rand();
    if (depth < 2 && r < 0.2) return `(${expression(depth + 1)}) and (${expression(depth + 1)})`;
    if (depth < 2 && r < 0.4) return `(${expression(depth + 1)}) or (${expression(depth + 1)})`;
    if (depth < 2 && r < 0.45) return `not (${expression(depth + 1)})`;
    if (r < 0.6) return `${path()} ${pick(['==', '==', '!=', '=~', '=~', '!~'])} ${literal()}`;
    if (r < 0.75) return `${path()} ${pick(['contains', 'startswith', 'endswith'])}${rand() < 0.5 ? '~' : ''} ${JSON.stringify(pick(STRINGS))}`;
    if (r < 0.88) return `${path()} ${rand() < 0.8 ? '' : 'not '}in${rand() < 0.5 ? '~' : ''} ${list()}`;
    if (r < 0.92) return `${path()} ${pick(['<', '>=', '>'])} ${pick(['1', '"2024-05-01T00:00:00Z"'])}`;
    if (r < 0.97) return `${path()} regex ${pick(['"c"', '"^Acc"', '"ied$"', '"^x$"', '/a\\/b/', '"é"', '/^acc/i', '"c+"'])}`;
    return path();
  }

  /**
   * Over `expressions` random expressions, 40 random events each: an event that the pre-filter `filterOf` makes
   * for the expression rules out must fail the expression's predicate.
   */
  function holdsFor(expressions: number, filterOf: (expr: Expr) => ((raw: string) => boolean) | null): void {
    let rejected = 0;
    let checked = 0;
    for (let i = 0; i < expressions; i++) {
      const text = expression(0);
      const compiled = compileExpression(text, new Map());
      if (!compiled.ok) throw new Error(`${text}: ${compiled.error.message}`);
      const passes = filterOf(compiled.expr);
      if (passes === null) continue;
      for (let j = 0; j < 40; j++) {
        const raw = serialize(object(0));
        checked++;
        if (passes(raw)) continue;
        rejected++;
        expect(compiled.predicate(JSON.parse(raw) as JsonObject), `${text} on ${raw}`).toBe(false);
      }
    }
    // The property is only meaningful if the pre-filter actually rejects things.
    expect(checked).toBeGreaterThan(2000);
    expect(rejected).toBeGreaterThan(500);
  }

  test('holds for random events and expressions', () => {
    holdsFor(600, literalPrefilter);
  });

  test('the member gate holds too: a record it rules out does not match', () => {
    holdsFor(1500, (expr) => {
      const requirement = memberRequirement(expr);
      if (requirement === null) return null;
      const gate = memberGate(requirement);
      // Asked of the record as a scan asks: a span of a chunk, with other records around it.
      return (raw) => gate(Buffer.from(`${raw}\n${raw}\n`))(0, Buffer.byteLength(raw));
    });
  });
});

describe('the new operators pre-filter on what they cannot match without', () => {
  test.each([
    ['$.userAgent contains "python"', '{"userAgent":"aws-cli Python/3"}', '{"userAgent":"aws-cli python/3"}'],
    ['$.userAgent startswith "aws-cli"', '{"userAgent":"boto3 aws-cli"}', '{"userAgent":"aws-cli/2"}'],
    ['$.userAgent endswith "x86_64"', '{"userAgent":"x86_64 linux"}', '{"userAgent":"exe/x86_64"}'],
    ['$.eventName in ["GetObject", "PutObject"]', '{"eventName":"HeadObject"}', '{"eventName":"PutObject"}'],
    ['$.arn =~ "arn:aws:iam::111122223333:root"', '{"arn":"arn:aws:iam::999999999999:root"}', '{"arn":"ARN:AWS:IAM::111122223333:ROOT"}'],
    ['$.arn contains~ "::111122223333:"', '{"arn":"::111122223334:"}', '{"arn":"X::111122223333:Y"}'],
    ['$.userAgent regex "curl"', '{"userAgent":"wget"}', '{"userAgent":"x curl/8"}'],
    ['$.eventName regex /^Get/', '{"eventName":"ForGet"}', '{"eventName":"GetObject"}'],
    ['$.eventName regex "Object$"', '{"eventName":"ObjectLock"}', '{"eventName":"GetObject"}'],
  ])('%s', (text, rejected, accepted) => {
    const prefilter = prefilterOf(text);
    expect(prefilter?.(rejected)).toBe(false);
    expect(prefilter?.(accepted)).toBe(true);
  });

  test.each([
    '$.eventName =~ "getobject"',
    '$.eventName contains~ "get"',
    '$.eventName not in ["GetObject"]',
    '$.eventName !~ "x-123"',
    '$.eventTime >= "2024-05-01T00:00:00Z"',
    '$.n < 5',
    `$.eventName in ${JSON.stringify(Array.from({ length: 33 }, (_, i) => `Event${i}`))}`,
    '$.eventName in ["GetObject", 1]',
    'lower($.eventName) contains "get"',
  ])('steps aside: %s', (text) => {
    expect(prefilterOf(text)).toBeNull();
  });
});
