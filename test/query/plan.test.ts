import { describe, expect, test } from 'vitest';
import type { Expr } from '../../src/language/ast';
import { parseExpression } from '../../src/language/parse';
import { explain } from '../../src/query/explain';
import { defaultWindow, planLookups, type PlannedSelection } from '../../src/query/plan';
import { bestPushdown, topLevelConjuncts } from '../../src/query/pushdown';
import { parseActions } from '../../src/selection';

function expr(text: string): Expr {
  const parsed = parseExpression(text);
  if (!parsed.ok) throw new Error(`bad test expression ${text}: ${parsed.error.message}`);
  return parsed.expr;
}

/** The real action selection (src/selection), so the planner is tested on what the CLI hands it. */
function selection(...texts: string[]): PlannedSelection {
  const parsed = parseActions(texts);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.selection;
}

const NOW = new Date('2026-11-27T12:00:00Z');

function scans(sel: PlannedSelection, ...matches: string[]): string[] {
  const plan = planLookups({ selection: sel, matches: matches.map(expr), regions: ['us-east-1'], now: NOW });
  return plan.lookups.map((l) => (l.attribute === null ? 'full' : `${l.attribute.key}=${l.attribute.value}`));
}

describe('action selection', () => {
  test('an exact action looks up its event name', () => {
    expect(scans(selection('sts:AssumeRole'))).toEqual(['EventName=AssumeRole']);
  });

  test('a glob within one service scans its event source', () => {
    expect(scans(selection('s3:Get*'))).toEqual(['EventSource=s3.amazonaws.com']);
  });

  test('several globs of one service share one scan', () => {
    expect(scans(selection('s3:Get*', 's3:List*', 's3:Put*'))).toEqual(['EventSource=s3.amazonaws.com']);
  });

  test('an exact action of a service already scanned whole needs no lookup of its own', () => {
    expect(scans(selection('s3:Get*', 's3:DeleteBucket', 'sts:AssumeRole'))).toEqual([
      'EventSource=s3.amazonaws.com',
      'EventName=AssumeRole',
    ]);
  });

  test('*:* is a full scan, whatever else is selected', () => {
    expect(scans(selection('s3:Get*', '*:*'))).toEqual(['full']);
  });

  test('a glob over services is a full scan: services missing from the table match it too', () => {
    expect(scans(selection('*:Get*'))).toEqual(['full']);
    expect(scans(selection('s3*:List*', 'sts:AssumeRole'))).toEqual(['full']);
  });

  test('no action selects everything: a full scan', () => {
    expect(scans(selection())).toEqual(['full']);
  });

  test('an unknown service prefix scans the event source the selection guesses for it', () => {
    expect(scans(selection('madeup:Get*'))).toEqual(['EventSource=madeup.amazonaws.com']);
  });

  test('an exact action is looked up in CloudTrail\'s spelling, whatever case it was typed in', () => {
    // LookupEvents compares EventName exactly; the selection matches without regard to case.
    expect(scans(selection('s3:getobject'))).toEqual(['EventName=GetObject']);
    expect(scans(selection('s3:Getobject'))).toEqual(['EventName=GetObject']);
    expect(scans(selection('sts:ASSUMEROLE'))).toEqual(['EventName=AssumeRole']);
    expect(scans(selection('signin:consolelogin'))).toEqual(['EventName=ConsoleLogin']);
  });

  test('an IAM action logged under other event names looks those up', () => {
    expect(scans(selection('s3:ListBucket'))).toEqual(['EventName=ListObjects', 'EventName=ListObjectsV2']);
    expect(scans(selection('s3:listallmybuckets'))).toEqual(['EventName=ListBuckets']);
  });

  test('an action its service does not have is looked up as typed only when written in PascalCase', () => {
    expect(scans(selection('s3:GetObjects'))).toEqual(['EventName=GetObjects']);
    expect(scans(selection('s3:getobjects'))).toEqual(['EventSource=s3.amazonaws.com']);
  });

  test('an action of a service missing from the IAM reference is looked up by name only when written in PascalCase', () => {
    expect(scans(selection('nosuchservice:DoThing'))).toEqual(['EventName=DoThing']);
    expect(scans(selection('nosuchservice:dothing'))).toEqual(['EventSource=nosuchservice.amazonaws.com']);
  });

  test('an exact action of a service with versioned event names scans the service', () => {
    expect(scans(selection('lambda:GetFunction'))).toEqual(['EventSource=lambda.amazonaws.com']);
  });

  test('an exact name over all services also scans the services that version their event names', () => {
    const got = scans(selection('*:ConsoleLogin'));
    expect(got).toContain('EventName=ConsoleLogin');
    expect(got).toContain('EventSource=lambda.amazonaws.com');
    expect(got.filter((s) => s.startsWith('EventSource=')).length).toBeLessThan(10);
  });

  test('exact actions of different services each get their lookup, once per name', () => {
    expect(scans(selection('sts:AssumeRole', 'iam:CreateUser', 'sts:AssumeRole'))).toEqual(['EventName=AssumeRole', 'EventName=CreateUser']);
  });

  test('one action over several regions gives one lookup per region with the window', () => {
    const window = { fromMs: Date.parse('2026-11-01T00:00:00Z'), toMs: Date.parse('2026-11-02T00:00:00Z') };
    const plan = planLookups({ selection: selection('s3:Get*'), matches: [], regions: ['us-east-1', 'eu-west-1', 'us-east-1'], window });
    expect(plan.lookups.map((l) => l.region)).toEqual(['us-east-1', 'eu-west-1']);
    expect(plan.lookups.every((l) => l.fromMs === window.fromMs && l.toMs === window.toMs)).toBe(true);
  });

  test('the default window is the last 90 days', () => {
    const window = defaultWindow(NOW);
    expect(window.toMs).toEqual(NOW.getTime());
    expect((NOW.getTime() - window.fromMs) / 86_400_000).toBe(90);
  });
});

describe('global services', () => {
  const ALL = ['us-east-1', 'us-east-2', 'eu-west-1', 'ap-south-1'];
  const partitionOf = (region: string): string => (region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws');
  function regionsOf(regions: readonly string[], ...texts: string[]): string[] {
    const plan = planLookups({ selection: selection(...texts), matches: [], regions, now: NOW, partitionOf });
    return plan.lookups.map((l) => `${l.region} ${l.attribute === null ? 'full' : `${l.attribute.key}=${l.attribute.value}`}`);
  }

  test('IAM, Organizations, Route 53 and CloudFront are looked up in us-east-1 only', () => {
    expect(regionsOf(ALL, 'iam:*')).toEqual(['us-east-1 EventSource=iam.amazonaws.com']);
    expect(regionsOf(ALL, 'organizations:LeaveOrganization')).toEqual(['us-east-1 EventName=LeaveOrganization']);
    expect(regionsOf(ALL, 'route53:*')).toEqual(['us-east-1 EventSource=route53.amazonaws.com']);
    expect(regionsOf(ALL, 'cloudfront:*')).toEqual(['us-east-1 EventSource=cloudfront.amazonaws.com']);
  });

  test('STS and regional services stay in every region', () => {
    expect(regionsOf(ALL, 'sts:AssumeRole')).toHaveLength(ALL.length);
    expect(regionsOf(ALL, 'route53resolver:*')).toHaveLength(ALL.length);
  });

  test('a mixed selection narrows only the global service\'s lookup', () => {
    const got = regionsOf(ALL, 'iam:*', 's3:*');
    expect(got.filter((l) => l.endsWith('iam.amazonaws.com'))).toEqual(['us-east-1 EventSource=iam.amazonaws.com']);
    expect(got.filter((l) => l.endsWith('s3.amazonaws.com'))).toHaveLength(ALL.length);
  });

  test('an event name shared with a regional service is looked up everywhere', () => {
    // EventName=CreateUser returns both services' events; only IAM's are all in us-east-1.
    expect(regionsOf(ALL, 'iam:CreateUser', 'transfer:CreateUser')).toHaveLength(ALL.length);
  });

  test('a pushed-down condition under a global-only selection is narrowed too', () => {
    const plan = planLookups({ selection: selection('iam:*'), matches: [expr('$.userIdentity.accessKeyId == "AKIAEXAMPLE"')], regions: ALL, now: NOW, partitionOf });
    expect(plan.lookups.map((l) => `${l.region} ${l.attribute?.key}`)).toEqual(['us-east-1 AccessKeyId']);
  });

  test('other partitions, whose global Region the documentation does not name, are looked up in every region', () => {
    expect(regionsOf(['cn-north-1', 'cn-northwest-1'], 'iam:*')).toHaveLength(2);
    expect(regionsOf(['us-gov-west-1', 'us-gov-east-1'], 'iam:*')).toHaveLength(2);
  });

  test('without the recording Region among those asked for, the plan keeps them and warns', () => {
    const plan = planLookups({ selection: selection('iam:*'), matches: [], regions: ['eu-west-1', 'eu-central-1'], now: NOW, partitionOf });
    expect(plan.lookups).toHaveLength(2);
    expect(plan.warnings).toEqual(['iam:*: CloudTrail records these events in us-east-1 only, which is not among the regions asked for (add it to --regions)']);
  });

  test('explain says where a global service is looked up and why other regions have no lookup', () => {
    const text = explain(planLookups({ selection: selection('iam:*'), matches: [], regions: ['us-east-1', 'eu-west-1'], now: NOW, partitionOf }));
    expect(text).toContain('plan: 1 lookup in 2 regions');
    expect(text).toContain('covers iam:* (recorded in us-east-1 only)');
    expect(text).toContain('  no lookup in 1 region (eu-west-1): CloudTrail records the selected events in the region above only');
    expect(text).not.toContain('  eu-west-1\n');
  });
});

describe('push-down of --match conjuncts', () => {
  test('access key equality replaces the service scan', () => {
    expect(scans(selection('s3:Get*'), '$.userIdentity.accessKeyId == "AKIAEXAMPLE"')).toEqual(['AccessKeyId=AKIAEXAMPLE']);
  });

  test('bracket notation names the same field', () => {
    expect(scans(selection('s3:Get*'), "$['userIdentity']['accessKeyId'] == \"AKIAEXAMPLE\"")).toEqual(['AccessKeyId=AKIAEXAMPLE']);
  });

  test('literal on the left pushes down too', () => {
    expect(scans(selection('*:*'), '"e-1" == $.eventID')).toEqual(['EventId=e-1']);
  });

  test('event ID outranks access key, whatever the order of the conjuncts', () => {
    expect(scans(selection('*:*'), '$.userIdentity.accessKeyId == "AKIA1" and $.eventID == "e-1"')).toEqual(['EventId=e-1']);
  });

  test('conjuncts of several --match expressions count (they are ANDed)', () => {
    expect(scans(selection('*:*'), '$.errorCode == "AccessDenied"', '$.eventName == "GetObject"')).toEqual(['EventName=GetObject']);
  });

  test('eventName equality narrows a service scan', () => {
    expect(scans(selection('s3:*'), '$.eventName == "GetObject"')).toEqual(['EventName=GetObject']);
  });

  test('eventSource equality replaces a full scan but not a more selective event-name lookup', () => {
    expect(scans(selection('*:*'), '$.eventSource == "iam.amazonaws.com"')).toEqual(['EventSource=iam.amazonaws.com']);
    expect(scans(selection('sts:AssumeRole'), '$.eventSource == "sts.amazonaws.com"')).toEqual(['EventName=AssumeRole']);
  });

  test('one pushed-down scan replaces several selection scans of the same rank', () => {
    expect(scans(selection('s3:Get*', 'iam:*'), '$.eventSource == "iam.amazonaws.com"')).toEqual(['EventSource=iam.amazonaws.com']);
  });

  test('readOnly pushes down as "true"/"false", and only for a boolean literal', () => {
    expect(scans(selection('*:*'), '$.readOnly == false')).toEqual(['ReadOnly=false']);
    expect(scans(selection('*:*'), '$.readOnly == true')).toEqual(['ReadOnly=true']);
    expect(scans(selection('*:*'), '$.readOnly == "true"')).toEqual(['full']);
  });

  test('readOnly does not replace a more selective service scan', () => {
    expect(scans(selection('s3:Get*'), '$.readOnly == true')).toEqual(['EventSource=s3.amazonaws.com']);
  });

  test('never pushes down inside or', () => {
    expect(scans(selection('*:*'), '$.userIdentity.accessKeyId == "AKIA1" or $.errorCode == "AccessDenied"')).toEqual(['full']);
    expect(scans(selection('s3:*'), '$.errorCode == "x" and ($.eventName == "GetObject" or $.eventName == "PutObject")')).toEqual([
      'EventSource=s3.amazonaws.com',
    ]);
  });

  test('never pushes down inside not', () => {
    expect(scans(selection('*:*'), 'not $.userIdentity.accessKeyId == "AKIA1"')).toEqual(['full']);
    expect(scans(selection('*:*'), 'not ($.eventID != "e-1")')).toEqual(['full']);
  });

  test('!=, regex and functions are not pushed down', () => {
    expect(scans(selection('*:*'), '$.eventID != "e-1"')).toEqual(['full']);
    expect(scans(selection('*:*'), '$.eventName regex /^Get/')).toEqual(['full']);
  });

  test('user names and resources are not pushed down: the lookup semantics are not a documented superset', () => {
    expect(scans(selection('*:*'), '$.userIdentity.userName == "alice"')).toEqual(['full']);
    expect(scans(selection('*:*'), '$.resources[0].ARN == "arn:aws:s3:::b"')).toEqual(['full']);
  });

  test('non-string values and empty strings are not pushed down', () => {
    expect(scans(selection('*:*'), '$.eventID == null')).toEqual(['full']);
    expect(scans(selection('*:*'), '$.eventName == ""')).toEqual(['full']);
    expect(scans(selection('*:*'), '$.eventName == 3')).toEqual(['full']);
  });

  test('a wildcard path is not a single field', () => {
    expect(scans(selection('*:*'), '$..eventID == "e-1"')).toEqual(['full']);
  });

  test('the substring, case-insensitive, ordering and negated list operators are not pushed down', () => {
    for (const condition of [
      '$.eventName =~ "GetObject"',
      '$.eventName !~ "GetObject"',
      '$.eventName contains "Get"',
      '$.eventName startswith "Get"',
      '$.eventName endswith~ "Object"',
      '$.eventName in~ ["GetObject"]',
      '$.eventName not in ["GetObject"]',
      '$.eventTime >= "2026-11-20T00:00:00Z"',
      'lower($.eventName) == "getobject"',
    ]) {
      expect(scans(selection('*:*'), condition), condition).toEqual(['full']);
    }
  });

  test('a one-value in list is equality, and pushes down', () => {
    expect(scans(selection('*:*'), '$.userIdentity.accessKeyId in ["AKIA1"]')).toEqual(['AccessKeyId=AKIA1']);
  });

  test('an in list becomes one lookup per value, whose union holds every event it accepts', () => {
    expect(scans(selection('*:*'), '$.eventName in ["StopLogging", "DeleteTrail", "StopLogging"]')).toEqual(['EventName=StopLogging', 'EventName=DeleteTrail']);
    expect(scans(selection('cloudtrail:*'), '$.eventName in ["StopLogging", "DeleteTrail"]')).toEqual(['EventName=StopLogging', 'EventName=DeleteTrail']);
  });

  test('an in list does not replace as selective a selection that needs fewer lookups', () => {
    expect(scans(selection('cloudtrail:StopLogging'), '$.eventName in ["StopLogging", "DeleteTrail"]')).toEqual(['EventName=StopLogging']);
    expect(scans(selection('*:*'), '$.eventName in ["A", "B", "C"] and $.eventName == "A"')).toEqual(['EventName=A']);
  });

  test('an in list is not pushed down when a value cannot be looked up or there are too many', () => {
    expect(scans(selection('*:*'), '$.eventName in ["StopLogging", 3]')).toEqual(['full']);
    expect(scans(selection('*:*'), '$.eventName in ["StopLogging", ""]')).toEqual(['full']);
    expect(scans(selection('*:*'), `$.eventName in ${JSON.stringify(Array.from({ length: 11 }, (_, i) => `E${i}`))}`)).toEqual(['full']);
    expect(scans(selection('*:*'), '$.eventName in []')).toEqual(['full']);
  });

  test('explain names the value and the list each lookup covers', () => {
    const plan = planLookups({ selection: selection('*:*'), matches: [expr('$.eventName in ["StopLogging", "DeleteTrail"]')], regions: ['us-east-1'], now: NOW });
    expect(plan.lookups.map((lookup) => lookup.covers)).toEqual([
      '$.eventName == "StopLogging" (one value of in […])',
      '$.eventName == "DeleteTrail" (one value of in […])',
    ]);
  });

  test('new operators beside a pushable conjunct leave its push-down in place', () => {
    expect(scans(selection('*:*'), '$.eventName == "GetObject" and $.userAgent contains~ "curl" and $.eventTime > "2026-11-20"')).toEqual([
      'EventName=GetObject',
    ]);
  });

  test('top-level conjuncts flatten nested and, and stop at or', () => {
    const kinds = topLevelConjuncts([expr('($.a == 1 and $.b == 2) and ($.c == 3 or $.d == 4)')]).map((e) => e.kind);
    expect(kinds).toEqual(['compare', 'compare', 'or']);
    expect(bestPushdown([expr('$.a == 1')])).toBeNull();
  });
});

describe('explain', () => {
  test('renders each region with the attribute, the value and the window', () => {
    const window = { fromMs: Date.parse('2026-11-01T00:00:00Z'), toMs: Date.parse('2026-11-02T00:00:00Z') };
    const plan = planLookups({ selection: selection('s3:Get*', 'sts:AssumeRole'), matches: [], regions: ['us-east-1', 'eu-west-1'], window });
    const text = explain(plan);
    expect(text).toContain('plan: 4 lookups in 2 regions, 2026-11-01T00:00:00Z .. 2026-11-02T00:00:00Z');
    const lines = text.trimEnd().split('\n');
    expect(lines[1]).toBe('  us-east-1');
    expect(lines[2]).toBe('    EventSource=s3.amazonaws.com  2026-11-01T00:00:00Z .. 2026-11-02T00:00:00Z  covers s3:Get*');
    expect(lines[3]).toContain('EventName=AssumeRole');
    expect(lines[4]).toBe('  eu-west-1');
  });

  test('names the pushed-down condition a lookup covers', () => {
    const plan = planLookups({
      selection: selection('s3:Get*'),
      matches: [expr('$.userIdentity.accessKeyId == "ASIAEXAMPLE" and $.errorCode == "AccessDenied"')],
      regions: ['us-east-1'],
      now: NOW,
    });
    expect(explain(plan)).toContain('AccessKeyId=ASIAEXAMPLE  2026-08-29T12:00:00Z .. 2026-11-27T12:00:00Z  covers $.userIdentity.accessKeyId == "ASIAEXAMPLE"');
  });

  test('shows the condition as written, not the lookup value', () => {
    const plan = planLookups({ selection: selection('*:*'), matches: [expr('$.readOnly == false')], regions: ['us-east-1'], now: NOW });
    expect(explain(plan)).toContain('ReadOnly=false  2026-08-29T12:00:00Z .. 2026-11-27T12:00:00Z  covers $.readOnly == false');
  });

  test('says full scan for a lookup without an attribute', () => {
    const plan = planLookups({ selection: selection('*:*'), matches: [], regions: ['us-east-1'], now: NOW });
    expect(explain(plan)).toContain('full scan (no lookup attribute)');
  });
});
