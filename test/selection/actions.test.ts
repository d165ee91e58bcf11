import { describe, expect, it } from 'vitest';
import { parseActions, type ActionSelection } from '../../src/selection';
import table from '../../src/selection/data/service-event-sources.json';

function select(...args: string[]): { selection: ActionSelection; warnings: string[] } {
  const result = parseActions(args);
  if (!result.ok) throw new Error(result.message);
  return { selection: result.selection, warnings: result.warnings };
}

describe('parseActions: matching events', () => {
  it('an exact action matches its event and no other', () => {
    const { selection } = select('s3:GetObject');
    expect(selection.matches('s3.amazonaws.com', 'GetObject')).toBe(true);
    expect(selection.matches('s3.amazonaws.com', 'GetObjectAcl')).toBe(false);
    expect(selection.matches('s3.amazonaws.com', 'PutObject')).toBe(false);
    expect(selection.matches('ec2.amazonaws.com', 'GetObject')).toBe(false);
  });

  it('matching ignores case in both the action and the event', () => {
    const { selection } = select('S3:getobject');
    expect(selection.matches('s3.amazonaws.com', 'GetObject')).toBe(true);
    expect(selection.matches('S3.AMAZONAWS.COM', 'GETOBJECT')).toBe(true);
  });

  it('a glob in the action part matches anywhere in the name', () => {
    const { selection } = select('s3:*Object*');
    for (const name of ['GetObject', 'PutObjectAcl', 'DeleteObjects', 'object']) {
      expect(selection.matches('s3.amazonaws.com', name)).toBe(true);
    }
    expect(selection.matches('s3.amazonaws.com', 'ListBuckets')).toBe(false);
  });

  it('? matches exactly one character', () => {
    const { selection } = select('iam:Get?ser');
    expect(selection.matches('iam.amazonaws.com', 'GetUser')).toBe(true);
    expect(selection.matches('iam.amazonaws.com', 'GetUUser')).toBe(false);
  });

  it('several actions are ORed', () => {
    const { selection } = select('iam:*Policy*', 'sts:AssumeRole');
    expect(selection.matches('iam.amazonaws.com', 'PutRolePolicy')).toBe(true);
    expect(selection.matches('sts.amazonaws.com', 'AssumeRole')).toBe(true);
    expect(selection.matches('sts.amazonaws.com', 'GetCallerIdentity')).toBe(false);
  });

  it('maps prefixes whose eventSource host differs from the prefix', () => {
    expect(select('cloudwatch:PutMetricAlarm').selection.matches('monitoring.amazonaws.com', 'PutMetricAlarm')).toBe(true);
    expect(select('cloudwatch:PutMetricAlarm').selection.matches('cloudwatch.amazonaws.com', 'PutMetricAlarm')).toBe(false);
    expect(select('tag:GetResources').selection.matches('tagging.amazonaws.com', 'GetResources')).toBe(true);
    expect(select('mobiletargeting:*').selection.matches('pinpoint.amazonaws.com', 'GetCampaigns')).toBe(true);
    expect(select('rds-data:*').selection.matches('rdsdata.amazonaws.com', 'ExecuteStatement')).toBe(true);
    expect(select('mq:*').selection.matches('amazonmq.amazonaws.com', 'CreateBroker')).toBe(true);
  });

  it('a prefix with several eventSources matches all of them', () => {
    const { selection } = select('aws-marketplace:*');
    expect(selection.matches('metering-marketplace.amazonaws.com', 'BatchMeterUsage')).toBe(true);
    expect(selection.matches('marketplacecatalog.amazonaws.com', 'DescribeEntity')).toBe(true);
    expect(selection.matches('aws-marketplace.amazonaws.com', 'Subscribe')).toBe(true);
  });

  it('a Lambda action matches the version-suffixed event name CloudTrail records', () => {
    const { selection } = select('lambda:GetFunction', 'lambda:UpdateFunctionCode');
    expect(selection.matches('lambda.amazonaws.com', 'GetFunction20150331v2')).toBe(true);
    expect(selection.matches('lambda.amazonaws.com', 'UpdateFunctionCode20150331v2')).toBe(true);
    expect(selection.matches('lambda.amazonaws.com', 'GetFunction')).toBe(true);
    expect(selection.matches('lambda.amazonaws.com', 'GetFunctionConfiguration20150331v2')).toBe(false);
  });

  it('CloudFront actions match event names with the underscored API version', () => {
    expect(select('cloudfront:UpdateDistribution').selection.matches('cloudfront.amazonaws.com', 'UpdateDistribution2016_11_25')).toBe(true);
  });

  it('Identity Center OIDC actions match both sources its events use', () => {
    const { selection } = select('sso-oauth:CreateToken*');
    expect(selection.matches('sso.amazonaws.com', 'CreateToken')).toBe(true);
    expect(selection.matches('sso-oauth.amazonaws.com', 'CreateTokenWithIAM')).toBe(true);
    expect(selection.actions[0]?.eventSources).toEqual(['sso-oauth.amazonaws.com', 'sso.amazonaws.com']);
  });

  it('version suffixes are not stripped for services that do not use them', () => {
    expect(select('iam:GetUser').selection.matches('iam.amazonaws.com', 'GetUser20150331')).toBe(false);
  });

  it('a service glob matches by IAM prefix, through the table', () => {
    const { selection } = select('cloud*:Put*');
    // cloudwatch logs as monitoring.amazonaws.com, and cloud* matches the prefix "cloudwatch".
    expect(selection.matches('monitoring.amazonaws.com', 'PutMetricData')).toBe(true);
    expect(selection.matches('cloudtrail.amazonaws.com', 'PutEventSelectors')).toBe(true);
    expect(selection.matches('s3.amazonaws.com', 'PutObject')).toBe(false);
  });

  it('a service glob also matches eventSources missing from the table by their host label', () => {
    const { selection } = select('zz*:Do*');
    expect(selection.matches('zzservice.amazonaws.com', 'DoThing')).toBe(true);
  });

  it('*:Action matches the action in every service', () => {
    const { selection } = select('*:ConsoleLogin');
    expect(selection.matches('signin.amazonaws.com', 'ConsoleLogin')).toBe(true);
    expect(selection.matches('signin.amazonaws.com', 'CheckMfa')).toBe(false);
  });

  it('*:* and no argument at all select every event', () => {
    for (const args of [['*:*'], [], ['s3:GetObject', '*:*']]) {
      const result = parseActions(args);
      expect(result.ok).toBe(true);
      if (result.ok) expect(result.selection.matches('anything.amazonaws.com', 'Whatever')).toBe(true);
    }
  });

  it('records without string eventSource or eventName never match a real selection', () => {
    const { selection } = select('s3:*');
    expect(selection.matches(undefined, 'GetObject')).toBe(false);
    expect(selection.matches('s3.amazonaws.com', null)).toBe(false);
    expect(selection.matches(42, 42)).toBe(false);
  });
});

describe('parseActions: what the planner sees', () => {
  it('an exact action gives its eventSources and the event name to look up', () => {
    const { selection } = select('cloudwatch:DeleteAlarms');
    expect(selection.actions).toEqual([
      {
        text: 'cloudwatch:DeleteAlarms',
        service: 'cloudwatch',
        actionGlob: 'DeleteAlarms',
        eventSources: ['monitoring.amazonaws.com'],
        sourcesComplete: true,
        lookupNames: ['DeleteAlarms'],
        matchesAll: false,
      },
    ]);
  });

  it('a glob action has no name to look up', () => {
    expect(select('s3:Get*').selection.actions[0]?.lookupNames).toBeNull();
  });

  it('a Lambda action whose versioned event name is unknown has no name to look up', () => {
    expect(select('lambda:DeleteFunction').selection.actions[0]?.lookupNames).toBeNull();
  });

  it('a service glob lists the known sources it covers and says the list may be incomplete', () => {
    const action = select('sso*:*').selection.actions[0];
    expect(action?.eventSources).toEqual([
      'sso-directory.amazonaws.com',
      'sso-oauth.amazonaws.com',
      'sso.amazonaws.com',
    ]);
    expect(action?.sourcesComplete).toBe(false);
    expect(action?.matchesAll).toBe(false);
  });

  it('*:* matches all', () => {
    expect(select('*:*').selection.actions[0]?.matchesAll).toBe(true);
    expect(select('*:Get*').selection.actions[0]?.matchesAll).toBe(false);
  });
});

describe('parseActions: errors and warnings', () => {
  it.each([
    ['s3GetObject', "no ':'"],
    [':GetObject', 'no service'],
    ['s3:', 'no action'],
    ['s3:Get Object', 'may hold only'],
    ['s3:{Get,Put}Object', 'may hold only'],
    ['s_3:GetObject', 'may hold only'],
  ])('%s is a usage error naming the argument', (arg, why) => {
    const result = parseActions(['s3:GetObject', arg]);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message).toContain(`'${arg}'`);
      expect(result.message).toContain(why);
    }
  });

  it('an unknown prefix is a warning and falls back to <prefix>.amazonaws.com', () => {
    const { selection, warnings } = select('madeupservice:Do*');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("unknown IAM service prefix 'madeupservice'");
    expect(selection.actions[0]?.eventSources).toEqual(['madeupservice.amazonaws.com']);
    expect(selection.matches('madeupservice.amazonaws.com', 'DoIt')).toBe(true);
  });

  it('known prefixes give no warning', () => {
    expect(select('s3:GetObject', 'iam:*', 'sts:AssumeRole', 'cloudwatch:*').warnings).toEqual([]);
  });

  it('selecting API Gateway by an HTTP-verb action warns that event names are operation names', () => {
    const { warnings } = select('apigateway:GET');
    expect(warnings.join('\n')).toContain('HTTP verbs');
    expect(select('apigateway:Get*').warnings).toEqual([]);
  });

  it('a service glob that matches no known prefix warns', () => {
    expect(select('qqq*:*').warnings[0]).toContain('matches no IAM prefix');
  });
});

describe('the service table', () => {
  it('lists no prefix twice', () => {
    const equal = table.hostEqualsPrefix;
    expect(new Set(equal).size).toBe(equal.length);
    for (const prefix of Object.keys(table.described)) expect(equal).not.toContain(prefix);
  });

  it('covers the common services', () => {
    expect(table.hostEqualsPrefix.length + Object.keys(table.described).length).toBeGreaterThanOrEqual(150);
    for (const prefix of ['iam', 'sts', 'ec2', 'kms', 'secretsmanager', 'ssm', 'cloudtrail', 'guardduty', 'organizations']) {
      expect(select(`${prefix}:*`).warnings).toEqual([]);
    }
  });

  it('every eventSource is a lower-case amazonaws.com host and every entry cites a page', () => {
    for (const entry of Object.values(table.described)) {
      expect(entry.doc).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
      for (const source of entry.eventSources) expect(source).toMatch(/^[a-z0-9-]+\.amazonaws\.com$/);
    }
    for (const prefix of table.hostEqualsPrefix) expect(prefix).toMatch(/^[a-z0-9-]+$/);
  });
});

describe('parseActions: IAM action names and CloudTrail event names', () => {
  it('an IAM action logged under other event names matches those events', () => {
    const { selection, warnings } = select('s3:ListBucket');
    expect(warnings).toEqual([]);
    expect(selection.matches('s3.amazonaws.com', 'ListObjects')).toBe(true);
    expect(selection.matches('s3.amazonaws.com', 'ListObjectsV2')).toBe(true);
    expect(selection.matches('s3.amazonaws.com', 'ListBuckets')).toBe(false);
    expect(select('s3:ListAllMyBuckets').selection.matches('s3.amazonaws.com', 'ListBuckets')).toBe(true);
  });

  it('an exact action the service does not have is a warning naming the nearest real names', () => {
    const { warnings, selection } = select('s3:GetObjects');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^'s3:GetObjects': s3 has no action or event named 'GetObjects' \(nearest: GetObject, /);
    expect(selection.matches('s3.amazonaws.com', 'GetObjects')).toBe(true);
  });

  it('a glob that fits no name of the service is a warning, still matched as typed; globs that fit one are not', () => {
    const { warnings, selection } = select('s3:Gett*');
    expect(warnings).toEqual(["'s3:Gett*': no s3 action or event name ctq knows fits 'Gett*'; it is still matched against each event's eventName as typed"]);
    expect(selection.matches('s3.amazonaws.com', 'GettyImages')).toBe(true);
    for (const fits of ['s3:Get*', 's3:*Object', 'lambda:Invoke*', 'lambda:UpdateFunctionCode*', 'signin:Console?ogin', 'iam:*', 'sts:Assume*']) expect(select(fits).warnings, fits).toEqual([]);
    // A service ctq's reference lacks has nothing to check a glob against.
    expect(select('nosuchservice:Get*').warnings.filter((w) => w.includes('fits'))).toEqual([]);
  });

  it('event names that are no IAM action, and Lambda\'s versioned names, are not warned about', () => {
    expect(select('signin:ConsoleLogin').warnings).toEqual([]);
    expect(select('sso:GetRoleCredentials').warnings).toEqual([]);
    expect(select('s3:ListObjectsV2').warnings).toEqual([]);
    expect(select('s3:CopyObject', 's3:CompleteMultipartUpload').warnings).toEqual([]);
    expect(select('lambda:CreateFunction').warnings).toEqual([]);
    expect(select('lambda:UpdateFunctionCode20150331v2').warnings).toEqual([]);
    expect(select('lambda:CreateFunction').selection.matches('lambda.amazonaws.com', 'CreateFunction20150331')).toBe(true);
  });

  it('the names to look up are CloudTrail\'s spelling, whatever the case typed', () => {
    expect(select('s3:Getobject').selection.actions[0]?.lookupNames).toEqual(['GetObject']);
    expect(select('IAM:createuser').selection.actions[0]?.lookupNames).toEqual(['CreateUser']);
    expect(select('s3:listbucket').selection.actions[0]?.lookupNames).toEqual(['ListObjects', 'ListObjectsV2']);
    expect(select('lambda:updatefunctioncode20150331v2').selection.actions[0]?.lookupNames).toEqual(['UpdateFunctionCode20150331v2']);
  });
});
