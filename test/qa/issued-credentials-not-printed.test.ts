/**
 * STS, Cognito and SSO responses log the credentials they issue in `responseElements.credentials`
 * (CloudTrail record contents, `responseElements`:
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html;
 * AssumeRole example in https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html).
 * The access key ID is an identifier; the secret key and session token are the credentials themselves.
 * Summaries and threshold alerts are what a responder pastes into a ticket: a group-by or count-by path
 * that reaches them must not print them.
 */
import { describe, expect, it } from 'vitest';
import { runCtq } from '../support/run-ctq';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLESECRET';
const TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN';

function assumeRole(i: number): string {
  return JSON.stringify({
    eventVersion: '1.08',
    eventID: `cred-${i}`,
    eventTime: `2024-01-01T00:00:0${i}Z`,
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
    awsRegion: 'us-east-1',
    sourceIPAddress: 'ec2.amazonaws.com',
    userIdentity: { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' },
    requestParameters: { roleArn: 'arn:aws:iam::111122223333:role/Web', roleSessionName: 'i-0abc' },
    responseElements: {
      credentials: {
        accessKeyId: 'ASIAQAEXAMPLE0000001',
        secretAccessKey: SECRET,
        sessionToken: `${TOKEN}${i}`,
        expiration: 'Jan 1, 2024, 6:00:00 AM',
      },
    },
  });
}

const INPUT = [1, 2, 3].map(assumeRole).join('\n') + '\n';

function expectNoSecrets(text: string): void {
  expect(text).not.toContain(SECRET);
  expect(text).not.toContain(TOKEN);
}

describe('issued credentials stay out of summaries and alerts', () => {
  for (const path of ['$.responseElements.credentials', '$.responseElements.credentials.secretAccessKey', '$.responseElements']) {
    it(`--summary --group-by '${path}' does not print the secret key or session token`, async () => {
      for (const format of ['ndjson', 'table']) {
        const r = await runCtq(['sts:*', '--input', '-', '--summary', '--group-by', path, '--format', format], { stdin: INPUT });
        expect(r.code).toBe(0);
        expect(r.stdout).not.toBe('');
        expectNoSecrets(r.stdout + r.stderr);
      }
    });
  }

  it('the access key ID, which is not secret, is still a usable group key', async () => {
    const r = await runCtq(['sts:*', '--input', '-', '--summary', '--group-by', '$.responseElements.credentials.accessKeyId'], { stdin: INPUT });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ASIAQAEXAMPLE0000001');
  });

  it('--count-by a secret does not print it as the alert key', async () => {
    const r = await runCtq(
      ['sts:*', '--input', '-', '--count-by', '$.responseElements.credentials.secretAccessKey', '--threshold', '2', '--window', '5m'],
      { stdin: INPUT },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"alert":"threshold"');
    expectNoSecrets(r.stdout + r.stderr);
  });

  it('--distinct over session tokens does not print them among the alert values', async () => {
    const r = await runCtq(
      ['sts:*', '--input', '-', '--count-by', '$.eventName', '--threshold', '1', '--window', '5m', '--distinct', '$.responseElements.credentials.sessionToken'],
      { stdin: INPUT },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"distinct"');
    expectNoSecrets(r.stdout + r.stderr);
  });
});
