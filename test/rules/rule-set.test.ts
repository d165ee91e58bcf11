/** The compiled rule set: which rules match an event, and the literal pre-filter the set offers. */
import { describe, expect, it } from 'vitest';
import { compileRuleSet } from '../../src/rules/compile-rule';
import type { JsonObject } from '../../src/language/json';
import type { RuleSpec } from '../../src/rules/rule';

const rule = (id: string, match: string, actions = ['*:*']): RuleSpec => ({ id, title: id, actions, matches: [match] });

describe('compileRuleSet', () => {
  it('names every rule an event matches, in rule order, checking each rule\'s actions', () => {
    const set = compileRuleSet([rule('a', '$.errorCode == "AccessDenied"'), rule('b', '$.readOnly == false', ['iam:*']), rule('c', '$.readOnly == false', ['s3:*'])], new Map());
    const event = { eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', errorCode: 'AccessDenied', readOnly: false };
    expect(set.matching(event).map((r) => r.spec.id)).toEqual(['a', 'b']);
    expect(set.matching({ eventSource: 's3.amazonaws.com', eventName: 'GetObject', readOnly: true })).toEqual([]);
  });

  it('tests only the rules an event\'s source can select, with the same answers as testing every rule', () => {
    const rules = [
      rule('any', '$.errorCode == "AccessDenied"'),
      rule('iam', '$.readOnly == false', ['iam:*']),
      rule('s3-or-iam', '$.readOnly == false', ['s3:PutObject', 'iam:CreateUser']),
      rule('glob', '$.readOnly == false', ['s3*:*']),
      rule('lambda', '$.readOnly == false', ['lambda:UpdateFunctionConfiguration']),
    ];
    const set = compileRuleSet(rules, new Map());
    const events: JsonObject[] = [
      { eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', readOnly: false, errorCode: 'AccessDenied' },
      { eventSource: 'IAM.amazonaws.com', eventName: 'createuser', readOnly: false },
      { eventSource: 's3.amazonaws.com', eventName: 'PutObject', readOnly: false },
      { eventSource: 'lambda.amazonaws.com', eventName: 'UpdateFunctionConfiguration20150331v2', readOnly: false },
      { eventSource: 42, eventName: 'CreateUser', readOnly: false, errorCode: 'AccessDenied' },
      { eventName: 'CreateUser', readOnly: false },
    ];
    for (const event of events) {
      expect(set.matching(event).map((r) => r.spec.id)).toEqual(set.rules.filter((r) => r.test(event)).map((r) => r.spec.id));
    }
    expect(set.matching(events[1]!).map((r) => r.spec.id)).toEqual(['iam', 's3-or-iam']);
    expect(set.matching(events[3]!).map((r) => r.spec.id)).toEqual(['lambda']);
  });

  it('pre-filters on the union of each rule\'s strongest literal; a rule without one, or too many needles, turn it off', () => {
    const set = compileRuleSet([rule('a', '$.errorCode == "AccessDenied" and $.awsRegion == "eu-west-1"'), rule('b', '$.userAgent contains "Boto3"')], new Map());
    expect([...set.literal!.needles].sort()).toEqual(['AccessDenied', 'Boto3']);
    expect(compileRuleSet([rule('a', '$.errorCode == "AccessDenied"'), rule('b', '$.errorCode != null')], new Map()).literal).toBeNull();
    const many = Array.from({ length: 40 }, (_, i) => rule(`ioc-${i}`, `$.sourceIPAddress == "203.0.113.${i}"`));
    expect(compileRuleSet(many, new Map()).literal).toBeNull();
    expect(compileRuleSet(many.slice(0, 30), new Map()).literal!.needles).toHaveLength(30);
  });
});
