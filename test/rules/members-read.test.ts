/** Which rules the record gate can decide on top-level members: those that read nothing else. */
import { describe, expect, it } from 'vitest';
import { parseExpression } from '../../src/language';
import { topLevelMembersRead } from '../../src/rules/members-read';

function readsOf(...texts: string[]): string[] | null {
  const exprs = texts.map((text) => {
    const parsed = parseExpression(text);
    if (!parsed.ok) throw new Error(text);
    return parsed.expr;
  });
  const names = topLevelMembersRead(exprs);
  return names === null ? null : [...names].sort();
}

describe('topLevelMembersRead', () => {
  it('names the top-level members of plain one-step paths, builtins and all', () => {
    expect(readsOf('$.errorCode == "AccessDenied"', '$.eventName in ["A", "B"]')).toEqual(['errorCode', 'eventName']);
    expect(readsOf('not ($.readOnly == true) and lower($.userAgent) contains "boto3"', "$['awsRegion'] startswith~ \"eu-\"")).toEqual(['awsRegion', 'readOnly', 'userAgent']);
    expect(readsOf('"a" == "a"')).toEqual([]);
  });

  it('is null for any deeper, wider or whole-event read', () => {
    expect(readsOf('$.errorCode != null', '$.userIdentity.type == "Root"')).toBeNull();
    expect(readsOf('$..arn != null')).toBeNull();
    expect(readsOf('$.resources[0] != null')).toBeNull();
    expect(readsOf('$.* contains "x"')).toBeNull();
    expect(readsOf('len($.requestParameters.policy) > 5')).toBeNull();
    expect(readsOf('$.__proto__ != null')).toBeNull();
  });
});
