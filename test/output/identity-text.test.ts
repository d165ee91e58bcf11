/**
 * Who made a call, as the table's identity column and the summary's `identities` show it. Records without
 * an ARN must still tell callers apart: the userIdentity page of the CloudTrail User Guide
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html)
 * documents `IdentityCenterUser`, whose user is `onBehalfOf.userId` (every user of an account used to be
 * shown as the account alone, and counted as one identity), and IAM Identity Center sign-in records of
 * type `Unknown` with an empty `arn`, whose `principalId` is the account and whose user is `userName`.
 */
import { describe, expect, it } from 'vitest';
import { identityText } from '../../src/output/identity-text';

const ACCOUNT = '111122223333';
const STORE = `arn:aws:identitystore::${ACCOUNT}:identitystore/d-9067642ac7`;

describe('identityText', () => {
  it('tells IAM Identity Center users apart by onBehalfOf.userId', () => {
    const user = (userId: string) => ({ userIdentity: { type: 'IdentityCenterUser', accountId: ACCOUNT, onBehalfOf: { userId, identityStoreArn: STORE }, credentialId: 'c' } });
    expect(identityText(user('544894e8-80c1-707f-60e3-3ba6510dfac1'))).toBe(`${ACCOUNT}/544894e8-80c1-707f-60e3-3ba6510dfac1`);
    expect(identityText(user('a'))).not.toBe(identityText(user('b')));
  });

  it('names the user of a record without an ARN by userName', () => {
    expect(identityText({ userIdentity: { type: 'Unknown', principalId: ACCOUNT, arn: '', accountId: ACCOUNT, accessKeyId: '', userName: 'alice' } })).toBe(`${ACCOUNT}/alice`);
  });

  it('keeps the ARN, invokedBy and account/principal forms', () => {
    expect(identityText({ userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/Alice`, accountId: ACCOUNT, userName: 'Alice' } })).toBe(`arn:aws:iam::${ACCOUNT}:user/Alice`);
    expect(identityText({ userIdentity: { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' } })).toBe('ec2.amazonaws.com');
    expect(identityText({ userIdentity: { type: 'AWSAccount', principalId: 'AIDAEXAMPLE', accountId: '444455556666' } })).toBe('444455556666/AIDAEXAMPLE');
    expect(identityText({ userIdentity: { type: 'Directory', principalId: 'd-1', accountId: ACCOUNT } })).toBe(`${ACCOUNT}/d-1`);
    expect(identityText({})).toBe('');
  });
});
