/** Which expressions require a member written with a value (language/member-requirement.ts); soundness is checked in prefilter.test.ts. */
import { describe, expect, test } from 'vitest';
import { parseExpression } from '../../src/language';
import { memberRequirement } from '../../src/language/member-requirement';

function requirementOf(text: string) {
  const parsed = parseExpression(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return memberRequirement(parsed.expr);
}

describe('member requirements', () => {
  test.each([
    ['$.readOnly == false', [[{ name: 'readOnly', values: ['false'] }]]],
    ['"AccessDenied" == $.errorCode', [[{ name: 'errorCode', values: ['"AccessDenied"'] }]]],
    ['$.userIdentity.sessionContext.sessionIssuer.type == "Role"', [[{ name: 'type', values: ['"Role"'] }]]],
    ['$.resources[0].type == "AWS::S3::Bucket"', [[{ name: 'type', values: ['"AWS::S3::Bucket"'] }]]],
    ['$.eventName in ["GetObject", "PutObject"]', [[{ name: 'eventName', values: ['"GetObject"', '"PutObject"'] }]]],
    // Both sides of `and` must hold; `or` needs one of each side's.
    ['$.readOnly == false and $.errorCode == "AccessDenied"', [[{ name: 'readOnly', values: ['false'] }], [{ name: 'errorCode', values: ['"AccessDenied"'] }]]],
    ['$.errorCode == "A" or $.errorCode == "B" or $.eventName == "C"', [[{ name: 'errorCode', values: ['"A"', '"B"'] }, { name: 'eventName', values: ['"C"'] }]]],
    ['$.readOnly == false and $.x > 3', [[{ name: 'readOnly', values: ['false'] }]]],
  ])('%s', (text, clauses) => {
    expect(requirementOf(text)?.clauses).toEqual(clauses);
  });

  test.each([
    '$.errorCode == null', // true for a missing member
    '$.count == 1', // 1, 1.0 and 1e0 are the same number
    '$.a == "x\\"y"', // a value JSON escapes
    '$["we\\"ird"] == "x"', // a name JSON escapes
    '$..errorCode == "AccessDenied"', // not a plain path
    '$.a[*] == "x"',
    '$.tags[0] == "x"', // the value is a list element, not a member's
    '$.a != "x"',
    'not $.a == "x"',
    '$.a =~ "x"',
    '$.a in~ ["x"]',
    '$.a not in ["x"]',
    '$.a in ["x", 1]',
    '$.a == "x" or $.b > 1',
    '$.a contains "x"',
  ])('none: %s', (text) => {
    expect(requirementOf(text)).toBeNull();
  });
});
