/**
 * Sigma → ctq expression text: every modifier, wildcard and condition form the compiler accepts, and
 * the reasons it gives for what it does not. The text is what runs (and what --explain-rules shows).
 */
import { describe, expect, it } from 'vitest';
import { parseYamlText } from '../../src/rules/yaml-files';
import { readSigmaFile } from '../../src/sigma';
import { parseCondition } from '../../src/sigma/condition';
import { parseSigmaString, stringTest } from '../../src/sigma/sigma-string';

const rule = (detection: string, extra = '') =>
  `title: T\nid: r1\n${extra}logsource:\n  product: aws\n  service: cloudtrail\ndetection:\n${detection.replace(/^/gm, '  ')}\n`;

function translate(detection: string, extra = ''): string {
  const read = readSigmaFile(parseYamlText('t.yml', rule(detection, extra)));
  if (read.problems.length > 0) throw new Error(read.problems.map((p) => p.message).join('; '));
  return read.rules[0]!.spec.matches[0]!;
}

function problem(detection: string, extra = '') {
  const read = readSigmaFile(parseYamlText('t.yml', rule(detection, extra)));
  expect(read.rules).toHaveLength(0);
  return read.problems[0]!;
}

describe('Sigma strings: wildcards and escapes', () => {
  it('splits * and ? from text; \\* \\? \\\\ are literal; a backslash before anything else stays', () => {
    expect(parseSigmaString('a*b?c')).toEqual([{ kind: 'text', text: 'a' }, { kind: 'any' }, { kind: 'text', text: 'b' }, { kind: 'one' }, { kind: 'text', text: 'c' }]);
    expect(parseSigmaString('a\\*b\\?c\\\\d\\e')).toEqual([{ kind: 'text', text: 'a*b?c\\d\\e' }]);
    expect(parseSigmaString('\\\\*')).toEqual([{ kind: 'text', text: '\\' }, { kind: 'any' }]);
  });

  it('uses the substring operators for wildcards at the ends, an anchored regex for inner ones', () => {
    expect(stringTest('*abc*', 'equals')).toEqual({ kind: 'contains', text: 'abc' });
    expect(stringTest('abc*', 'equals')).toEqual({ kind: 'startswith', text: 'abc' });
    expect(stringTest('*abc', 'equals')).toEqual({ kind: 'endswith', text: 'abc' });
    expect(stringTest('abc', 'contains')).toEqual({ kind: 'contains', text: 'abc' });
    expect(stringTest('a*c', 'equals')).toEqual({ kind: 'pattern', source: '^a.*c$' });
    expect(stringTest('a?c.d', 'startswith')).toEqual({ kind: 'pattern', source: '^a.c\\.d.*$' });
    expect(stringTest('*', 'contains')).toEqual({ kind: 'any-string' });
  });
});

describe('Sigma fields and modifiers', () => {
  it('compares strings case-insensitively unless |cased, fields as dotted paths', () => {
    expect(translate('sel:\n  eventName: CreateUser\n  userIdentity.arn|cased: X\ncondition: sel')).toBe('$.eventName =~ "CreateUser" and $.userIdentity[].arn[] == "X"');
    expect(translate("sel:\n  requestParameters.x-amz-acl|contains: public\ncondition: sel")).toBe('$.requestParameters[]["x-amz-acl"][] contains~ "public"');
  });

  it('turns a list of plain strings into one set lookup, other values ORed beside it; |all ANDs', () => {
    expect(translate('sel:\n  eventName: [A, B, C*]\ncondition: sel')).toBe('$.eventName in~ ["A", "B"] or $.eventName startswith~ "C"');
    expect(translate('sel:\n  userAgent|contains|all: [a, b]\ncondition: sel')).toBe('$.userAgent contains~ "a" and $.userAgent contains~ "b"');
    expect(translate('sel:\n  userAgent|startswith: [a, b]\ncondition: sel')).toBe('$.userAgent startswith~ "a" or $.userAgent startswith~ "b"');
  });

  it("matches 'true'/'false' and numbers against JSON booleans and numbers as well as strings", () => {
    expect(translate("sel:\n  readOnly: 'false'\ncondition: sel")).toBe('$.readOnly == false or $.readOnly =~ "false"');
    expect(translate('sel:\n  readOnly: true\ncondition: sel')).toBe('$.readOnly == true or $.readOnly =~ "true"');
    expect(translate('sel:\n  n: 5\ncondition: sel')).toBe('$.n == 5 or $.n == "5"');
    expect(translate("sel:\n  n: '403'\ncondition: sel")).toBe('$.n == "403" or $.n == 403');
  });

  it('writes null, exists, re (with i/m/s), cidr, fieldref and gt/lt', () => {
    expect(translate('sel:\n  errorCode: null\ncondition: sel')).toBe('$.errorCode == null');
    expect(translate('sel:\n  errorCode|exists: true\ncondition: sel')).toBe('$.errorCode != null');
    expect(translate("sel:\n  userIdentity.arn|re: '.+:assumed-role/aws:.+'\ncondition: sel")).toBe('$.userIdentity[].arn[] regex /.+:assumed-role\\/aws:.+/');
    expect(translate("sel:\n  a|re|i|s: 'x'\ncondition: sel")).toBe('$.a regex /x/is');
    expect(translate("sel:\n  sourceIPAddress|cidr: ['10.0.0.0/8', '2001:db8::/32']\ncondition: sel")).toBe(
      'cidr($.sourceIPAddress, "10.0.0.0/8") or cidr($.sourceIPAddress, "2001:db8::/32")',
    );
    expect(translate('sel:\n  userIdentity.arn|fieldref: requestParameters.userName\ncondition: sel')).toBe('$.userIdentity[].arn[] == $.requestParameters[].userName[]');
    expect(translate('sel:\n  n|gte: 10\ncondition: sel')).toBe('$.n >= 10');
  });

  it('looks inside the object-valued record members (requestParameters, …) for string tests', () => {
    expect(translate('sel:\n  requestParameters|contains: Suspended\n  responseElements: null\ncondition: sel')).toBe('$.requestParameters..* contains~ "Suspended" and $.responseElements == null');
  });

  it('searches every string of the event for keywords', () => {
    expect(translate("keywords:\n  - 'evil'\n  - 'a*b'\ncondition: keywords")).toBe('$..* contains~ "evil" or $..* regex /^.*a.*b.*$/si');
  });

  it('escapes quotes, slashes and regex characters in values', () => {
    expect(translate(`sel:\n  a: 'say "hi"'\n  b: 'x/y*z.'\ncondition: sel`)).toBe('$.a =~ "say \\"hi\\"" and $.b regex /^x\\/y.*z\\.$/si');
  });
});

describe('Sigma conditions', () => {
  const detection = 'sel_a:\n  a: 1\nsel_b:\n  b: 2\n_hidden:\n  h: 3\nfilter:\n  f: 4\ncondition: ';
  const A = '($.a == 1 or $.a == "1")';
  const B = '($.b == 2 or $.b == "2")';
  const F = '($.f == 4 or $.f == "4")';
  const H = '($.h == 3 or $.h == "3")';
  it('and, or, not and parentheses, with not tightest and and before or', () => {
    expect(translate(detection + 'sel_a or sel_b and not filter')).toBe(`${A} or (${B} and not ${F})`);
    expect(translate(detection + '(sel_a or sel_b) and not filter')).toBe(`(${A} or ${B}) and not ${F}`);
  });
  it('1 of / all of a pattern, and of them (which skips names starting with _)', () => {
    expect(translate(detection + '1 of sel_* and not filter')).toBe(`(${A} or ${B}) and not ${F}`);
    expect(translate(detection + 'all of sel_*')).toBe(`${A} and ${B}`);
    expect(translate(detection + '1 of them')).toBe(`${A} or ${B} or ${F}`);
    expect(translate(detection + 'all of them')).toBe(`${A} and ${B} and ${F}`);
    expect(translate(detection + 'any of _hid*')).toBe(H.slice(1, -1)); // the outermost parentheses are dropped
  });
  it('reports aggregations and near as unsupported, with the reason', () => {
    const agg = parseCondition('sel | count() by userIdentity.arn > 10');
    expect(agg).toMatchObject({ ok: false, unsupported: true });
    expect(!agg.ok && agg.message).toMatch(/aggregation.*count\(\) by/);
    expect(parseCondition('sel near other')).toMatchObject({ ok: false, unsupported: true });
    expect(parseCondition('sel and')).toMatchObject({ ok: false, unsupported: false });
  });
});

describe('what Sigma rules need and ctq cannot do', () => {
  it('names the rule, the place and the reason', () => {
    const base64 = problem('sel:\n  a|base64: x\ncondition: sel');
    expect(base64).toMatchObject({ kind: 'unsupported', ruleId: 'r1', position: { file: 't.yml', line: 8, column: 5 } });
    expect(base64.message).toMatch(/'base64' modifier is not supported/);
    expect(problem('sel:\n  a|expand: "%x%"\ncondition: sel').message).toMatch(/'expand'/);
    expect(problem('sel:\n  a: 1\ntimeframe: 5m\ncondition: sel | count() > 5').message).toMatch(/aggregation/);
    expect(problem('sel:\n  a: 1\ncondition: sel | count() by b > 5').message).toMatch(/aggregation/);
    expect(problem('sel:\n  a: 1\ncondition: nothere').message).toMatch(/does not define/);
    expect(problem("sel:\n  a|re: '(a)\\1'\ncondition: sel").message).toMatch(/'a\|re': invalid regex.*backreferences/);
  });

  it('leaves out rules for other log sources and correlation rules, saying so', () => {
    const other = readSigmaFile(parseYamlText('w.yml', 'title: W\nid: w\nlogsource:\n  product: windows\ndetection:\n  sel:\n    a: 1\n  condition: sel\n'));
    expect(other.problems[0]!.message).toMatch(/product 'windows'.*ctq reads CloudTrail/);
    const correlation = readSigmaFile(parseYamlText('c.yml', 'title: C\nid: c\ncorrelation:\n  type: event_count\n'));
    expect(correlation.problems[0]!.message).toMatch(/correlation rule/);
  });
});

describe('IAM actions derived from a Sigma rule, for LookupEvents planning', () => {
  const actions = (detection: string) => readSigmaFile(parseYamlText('t.yml', rule(detection))).rules[0]!.spec.actions;
  it('turns eventSource and eventName conditions into service:Action, as case-insensitive as Sigma', () => {
    expect(actions('sel:\n  eventSource: cloudtrail.amazonaws.com\n  eventName: [StopLogging, DeleteTrail]\ncondition: sel')).toEqual(['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail']);
    expect(actions('sel:\n  eventName: ConsoleLogin\ncondition: sel')).toEqual(['*:ConsoleLogin']);
    expect(actions('sel:\n  eventSource: lambda.amazonaws.com\n  eventName|startswith: UpdateFunctionConfiguration\ncondition: sel')).toEqual(['lambda:UpdateFunctionConfiguration*']);
    expect(actions('a:\n  eventSource: sts.amazonaws.com\n  eventName: AssumeRoleWithSAML\nb:\n  eventSource: iam.amazonaws.com\n  eventName: UpdateSAMLProvider\ncondition: 1 of them')).toEqual(['sts:AssumeRoleWithSAML', 'iam:UpdateSAMLProvider']);
  });
  it('selects every event when the rule does not pin the action (or only excludes one)', () => {
    expect(actions('sel:\n  userAgent: x\ncondition: sel')).toEqual(['*:*']);
    expect(actions('sel:\n  eventName: X\ncondition: not sel')).toEqual(['*:*']);
    expect(actions('a:\n  eventName: X\nb:\n  userAgent: y\ncondition: a or b')).toEqual(['*:*']);
    expect(actions('sel:\n  eventName: X*Y\ncondition: sel')).toEqual(['*:*']);
  });
});
