/** Required literals of a regex: what a match cannot do without, in JavaScript's and RE2's dialects alike. */
import { describe, expect, test } from 'vitest';
import { requiredLiterals } from '../../src/athena-sql';

const literals = (source: string, flags = '') => requiredLiterals(source, flags)?.literals ?? null;

describe('required literals of a regex', () => {
  test.each([
    ['assumed-role/admin/', ['assumed-role/admin/']],
    ['^arn:aws:iam::\\d{12}:root$', ['arn:aws:iam::', ':root']],
    ['colou?r', ['colo']],
    ['ab*c', []], // 'a' and 'c': single characters are not worth a strpos
    ['abc+d', ['abc']],
    ['ab{0,2}cd', ['cd']],
    ['ab{2}cd', ['ab', 'cd']],
    ['x(ab|cd)yz', ['yz']],
    ['[]a]bc', ['bc']],
    ['[^]x]yz', ['yz']],
    ['a\\.b\\/c', ['a.b/c']],
    ['\\x41bc', ['bc']],
    ['\\u{1F511}key', ['key']],
    ['\\p{Lu}xyz', ['xyz']],
    ['ab\\1cd', ['ab', 'cd']],
  ] as const)('%s → %j', (source, expected) => {
    expect(literals(source)).toEqual(expected.length === 0 ? null : expected);
  });

  test.each([
    ['a|b'],
    ['foo|bar'],
    ['(?i)admin'],
    ['\\Qa.b\\E'],
    ['\\pLabc'],
    ['abc\\z'],
    ['.*'],
    ['[abc]'],
  ])('%s has no requirement', (source) => {
    expect(literals(source)).toBeNull();
  });

  test('case-insensitive: lower-cased, ASCII only, and s/k (folded with ſ and the Kelvin sign) break a run', () => {
    expect(requiredLiterals('AdminRole', 'i')).toEqual({ literals: ['adminrole'], caseInsensitive: true });
    expect(literals('AssumeRole', 'i')).toEqual(['umerole']);
    expect(literals('Brücke-Gateway', 'iu')).toEqual(['br', 'e-gateway']);
    expect(literals('ſk', 'i')).toBeNull();
  });

  test('the v flag (nested classes) gives no requirement', () => {
    expect(literals('[[a]--[b]]xyz', 'v')).toBeNull();
  });
});
