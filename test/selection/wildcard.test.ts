import { describe, expect, it } from 'vitest';
import { wildcardRegex } from '../../src/selection/wildcard';

describe('wildcardRegex', () => {
  it('reads * as any run of characters, the empty one too', () => {
    expect(wildcardRegex('Get*').test('Get')).toBe(true);
    expect(wildcardRegex('Get*').test('GetObject')).toBe(true);
    expect(wildcardRegex('*Policy*').test('AttachRolePolicy')).toBe(true);
    expect(wildcardRegex('*.*').test('a.')).toBe(true);
  });

  it('reads ? as exactly one character', () => {
    expect(wildcardRegex('Get?').test('Gets')).toBe(true);
    expect(wildcardRegex('Get?').test('Get')).toBe(false);
    expect(wildcardRegex('Get?').test('GetsX')).toBe(false);
  });

  it('matches the whole name, without regard to case', () => {
    expect(wildcardRegex('getobject').test('GetObject')).toBe(true);
    expect(wildcardRegex('Get').test('GetObject')).toBe(false);
    expect(wildcardRegex('Object').test('GetObject')).toBe(false);
  });

  it('takes . and - literally', () => {
    expect(wildcardRegex('a.b').test('a.b')).toBe(true);
    expect(wildcardRegex('a.b').test('axb')).toBe(false);
    expect(wildcardRegex('ec2-*').test('ec2-instance-connect')).toBe(true);
  });
});
