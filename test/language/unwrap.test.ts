/**
 * `[]` (unwrap) in paths: a list's elements, or a value that is no list itself. The events are shaped
 * like EC2's CloudTrail records, which log lists as `{"items": [...]}` (test/support/ec2-records.ts).
 */
import { describe, expect, test } from 'vitest';
import { compileExpression, type JsonObject } from '../../src/language';
import { jsonPathPlusCalls } from '../../src/language/path-query';
import { ingress } from '../support/ec2-records';

function holds(text: string, event: JsonObject): boolean {
  const compiled = compileExpression(text, new Map());
  if (!compiled.ok) throw new Error(`${text}: ${compiled.error.message}`);
  return compiled.predicate(event);
}

const CIDR = '$.requestParameters[].ipPermissions[].items[].ipRanges[].items[].cidrIp[]';

describe('[] unwraps lists at any level of a path', () => {
  test('any value found through lists of lists of objects', () => {
    expect(holds(`${CIDR} == "0.0.0.0/0"`, ingress)).toBe(true);
    expect(holds(`${CIDR} == "10.0.0.0/8"`, ingress)).toBe(true);
    expect(holds(`${CIDR} == "172.16.0.0/12"`, ingress)).toBe(false);
    expect(holds('cidr($.r[].ip[], "10.0.0.0/8")', { r: [{ ip: '192.0.2.1' }, { ip: ['172.16.0.1', '10.1.2.3'] }] })).toBe(true);
    expect(holds('cidr($.r[].ip[], "10.0.0.0/8")', { r: [{ ip: '192.0.2.1' }] })).toBe(false);
    expect(holds('$.requestParameters.ipPermissions.items[].fromPort < 100', ingress)).toBe(true);
    expect(holds('$.requestParameters.ipPermissions.items[].ipRanges.items[].description contains "off"', ingress)).toBe(true);
  });

  test('the same path reads a member that holds one object instead of a list', () => {
    const single: JsonObject = { requestParameters: { ipPermissions: { items: { ipRanges: { items: { cidrIp: '0.0.0.0/0' } } } } } };
    expect(holds(`${CIDR} == "0.0.0.0/0"`, single)).toBe(true);
    expect(holds('$.requestParameters[].groupId[] == "sg-0123456789abcdef0"', ingress)).toBe(true);
  });

  test('nested lists are flattened; an empty list holds no value, which reads as one null', () => {
    expect(holds('$.a[] == 3', { a: [[1, 2], [[3]]] })).toBe(true);
    expect(holds('$.a[] == null', { a: [] })).toBe(true);
    expect(holds('$.a[]', { a: [] })).toBe(false);
    expect(holds('$.a[] != null', { a: [] })).toBe(false);
    expect(holds('$.a[] == null', {})).toBe(true);
  });

  test('an element without the member contributes nothing; an explicit null contributes null', () => {
    expect(holds('$.r[].accountId == null', { r: [{ type: 'a' }, { accountId: '1' }] })).toBe(false);
    expect(holds('$.r[].accountId == null', { r: [{ type: 'a' }, { accountId: null }] })).toBe(true);
    expect(holds('$.r[].accountId == null', { r: [{ type: 'a' }] })).toBe(true);
  });

  test('!= and not in are the exact negations of == and in', () => {
    const event = { r: [{ t: 'a' }, { t: 'b' }] };
    expect(holds('$.r[].t != "b"', event)).toBe(false);
    expect(holds('$.r[].t != "c"', event)).toBe(true);
    expect(holds('$.r[].t not in ["a"]', event)).toBe(false);
    expect(holds('not ($.r[].t == "b")', event)).toBe(false);
  });

  test('indexes and members mix with []; names objects and lists inherit are not members', () => {
    expect(holds('$.r[1].t[] == "y"', { r: [{ t: 'x' }, { t: ['z', 'y'] }] })).toBe(true);
    expect(holds('$.r[].length == 2', { r: [[1, 2]] })).toBe(false);
    expect(holds('$.r.length[] == 2', { r: [1, 2] })).toBe(false);
    expect(holds('$.r[].constructor', { r: [{}] })).toBe(false);
  });

  test('paths on both sides: any pair', () => {
    expect(holds('$.a[].id[] == $.b[].id[]', { a: [{ id: 1 }, { id: 2 }], b: { id: 2 } })).toBe(true);
    expect(holds('$.a[].id[] == $.b[].id[]', { a: [{ id: 1 }], b: [{ id: 2 }] })).toBe(false);
  });

  test('json() selects with [] inside a decoded policy, whether Statement and Action are lists or not', () => {
    const one = { p: JSON.stringify({ Statement: { Effect: 'Allow', Action: 'iam:PassRole' } }) };
    const many = { p: JSON.stringify({ Statement: [{ Effect: 'Deny', Action: 's3:*' }, { Effect: 'Allow', Action: ['s3:GetObject', 'iam:PassRole'] }] }) };
    for (const event of [one, many]) expect(holds('json($.p, "$.Statement[].Action[]") == "iam:PassRole"', event)).toBe(true);
    expect(holds('json($.p, "$.Statement[].Action[]") == "iam:*"', many)).toBe(false);
  });

  test('a path with [] never reaches jsonpath-plus', () => {
    jsonPathPlusCalls.count = 0;
    holds(`${CIDR} == "0.0.0.0/0" or $.a[].b[] regex "x" or len($.a[]) > 1`, ingress);
    expect(jsonPathPlusCalls.count).toBe(0);
  });
});
