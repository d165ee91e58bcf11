import { describe, expect, it } from 'vitest';
import { describeDenial, parseAccessDenied } from '../../src/output/access-denied';

// Messages in the shapes of the IAM User Guide's "Access denied error messages" page and of real reports quoted in
// public issues (account IDs and names replaced).
describe('parseAccessDenied', () => {
  it('reads an implicit deny by identity-based policy with a resource', () => {
    const message =
      'User: arn:aws:sts::123456789012:assumed-role/ReadOnly/alice is not authorized to perform: kms:GetKeyRotationStatus on resource: arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab because no identity-based policy allows the kms:GetKeyRotationStatus action';
    expect(parseAccessDenied(message)).toEqual({
      principal: 'arn:aws:sts::123456789012:assumed-role/ReadOnly/alice',
      action: 'kms:GetKeyRotationStatus',
      resource: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      denial: 'implicit',
      policyType: 'identity-based policy',
      policyArn: null,
    });
  });

  it('reads an implicit deny by resource-based policy', () => {
    const d = parseAccessDenied(
      'User: arn:aws:iam::111122223333:user/bob is not authorized to perform: lambda:GetFunction on resource: arn:aws:lambda:us-east-1:444455556666:function:billing because no resource-based policy allows the lambda:GetFunction action',
    );
    expect(d?.resource).toBe('arn:aws:lambda:us-east-1:444455556666:function:billing');
    expect(d?.denial).toBe('implicit');
    expect(d?.policyType).toBe('resource-based policy');
  });

  it('reads a message without "on resource:"', () => {
    const d = parseAccessDenied(
      'User: arn:aws:iam::777788889999:user/MaryMajor is not authorized to perform: codecommit:ListRepositories because no identity-based policy allows the codecommit:ListRepositories action',
    );
    expect(d).toMatchObject({ action: 'codecommit:ListRepositories', resource: null, denial: 'implicit' });
  });

  it('reads an explicit deny in a service control policy', () => {
    const d = parseAccessDenied(
      'User: arn:aws:sts::123456789012:assumed-role/karpenter/i-0abc is not authorized to perform: waf-regional:GetWebACLForResource on resource: arn:aws:waf-regional:eu-west-1:123456789012:*/* with an explicit deny in a service control policy',
    );
    expect(d).toMatchObject({
      action: 'waf-regional:GetWebACLForResource',
      resource: 'arn:aws:waf-regional:eu-west-1:123456789012:*/*',
      denial: 'explicit',
      policyType: 'service control policy',
      policyArn: null,
    });
  });

  it('reads the policy ARN that newer explicit-deny messages append', () => {
    const d = parseAccessDenied(
      'User: arn:aws:iam::123456789012:user/dev is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::123456789012:user/eve with an explicit deny in an identity-based policy: arn:aws:iam::123456789012:policy/DenyIamWrites',
    );
    expect(d).toMatchObject({
      resource: 'arn:aws:iam::123456789012:user/eve',
      policyType: 'identity-based policy',
      policyArn: 'arn:aws:iam::123456789012:policy/DenyIamWrites',
    });
  });

  it('reads the older explicit deny with no policy type', () => {
    const d = parseAccessDenied(
      'User: arn:aws:iam::111111111111:user/USERNAME is not authorized to perform: lambda:GetFunction on resource: arn:aws:lambda:us-east-1:111111111111:function:custodian-s3 with an explicit deny',
    );
    expect(d).toMatchObject({
      resource: 'arn:aws:lambda:us-east-1:111111111111:function:custodian-s3',
      denial: 'explicit',
      policyType: null,
    });
  });

  it('unquotes the resource S3 quotes', () => {
    const d = parseAccessDenied(
      'User: arn:aws:iam::123456789012:user/u is not authorized to perform: s3:ListBucket on resource: "arn:aws:s3:::my-bucket" with an explicit deny in a resource-based policy',
    );
    expect(d?.resource).toBe('arn:aws:s3:::my-bucket');
    expect(d?.policyType).toBe('resource-based policy');
  });

  it('keeps a resource that is no ARN and holds spaces', () => {
    const d = parseAccessDenied(
      'User: arn:aws:iam::304349946642:user/Scout is not authorized to perform: iam:ListPolicies on resource: policy path / with an explicit deny',
    );
    expect(d?.resource).toBe('policy path /');
  });

  it('reads denials by the other policy types', () => {
    for (const type of ['permissions boundary', 'session policy', 'VPC endpoint policy', 'resource control policy']) {
      const d = parseAccessDenied(
        `User: arn:aws:sts::1:assumed-role/r/s is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::b/k with an explicit deny in a ${type}`,
      );
      expect(d?.policyType).toBe(type);
      expect(d?.resource).toBe('arn:aws:s3:::b/k');
    }
    expect(
      parseAccessDenied(
        'User: arn:aws:sts::1:assumed-role/r/s is not authorized to perform: sqs:SendMessage on resource: arn:aws:sqs:us-east-1:1:q because no VPC endpoint policy allows the sqs:SendMessage action',
      )?.policyType,
    ).toBe('VPC endpoint policy');
  });

  it('reads a principal named without "User: "', () => {
    const d = parseAccessDenied(
      'GlueJobRunnerSession is not authorized to perform: ecr:GetAuthorizationToken on resource: * because no identity-based policy allows the ecr:GetAuthorizationToken action',
    );
    expect(d).toMatchObject({ principal: 'GlueJobRunnerSession', action: 'ecr:GetAuthorizationToken', resource: '*' });
  });

  it('returns null for messages that name no action', () => {
    expect(parseAccessDenied('Access Denied')).toBeNull();
    expect(
      parseAccessDenied('You are not authorized to perform this operation. Encoded authorization failure message: 0l-KPWQJ8q5'),
    ).toBeNull();
    expect(parseAccessDenied(undefined)).toBeNull();
    expect(parseAccessDenied(42)).toBeNull();
  });
});

describe('describeDenial', () => {
  it('names the action, target and why in one line', () => {
    const explicit = parseAccessDenied(
      'User: arn:aws:sts::1:assumed-role/r/s is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:us-east-1:1:key/k with an explicit deny in a service control policy',
    );
    expect(explicit && describeDenial(explicit)).toBe(
      'kms:Decrypt on arn:aws:kms:us-east-1:1:key/k (explicit deny in service control policy)',
    );
    const implicit = parseAccessDenied(
      'User: arn:aws:iam::1:user/u is not authorized to perform: iam:ListUsers because no identity-based policy allows the iam:ListUsers action',
    );
    expect(implicit && describeDenial(implicit)).toBe('iam:ListUsers (no identity-based policy allows it)');
  });
});
