/** The wire protocol seen raw: awsJson1_1 framing, error shapes, SigV4 scope and NextToken encoding. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NextTokenCodec } from '../../src/emulator/next-token';
import { parseCredentialScope } from '../../src/emulator/sigv4-scope';
import { syntheticEvents } from '../support/synthetic-events';
import { startOn, type Harness } from './harness';

const AUTH =
  'AWS4-HMAC-SHA256 Credential=AKIAEMULATOR/20261127/us-east-1/cloudtrail/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc';

let harness: Harness;
beforeAll(async () => {
  harness = await startOn(syntheticEvents({ count: 20, seed: 2, regions: ['us-east-1'] }));
});
afterAll(async () => harness.stop());

async function post(body: string, headers: Record<string, string>): Promise<{ status: number; type: string | null; json: Record<string, unknown> }> {
  const response = await fetch(harness.emulator.url, { method: 'POST', body, headers });
  return { status: response.status, type: response.headers.get('x-amzn-errortype'), json: (await response.json()) as Record<string, unknown> };
}

const lookup = { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'CloudTrail_20131101.LookupEvents', Authorization: AUTH };

describe('awsJson1_1 protocol', () => {
  it('serves LookupEvents under the full botocore target prefix as well', async () => {
    const answer = await post('{"MaxResults":3}', {
      ...lookup,
      'X-Amz-Target': 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents',
    });
    expect(answer.status).toBe(200);
    expect(answer.json['Events']).toHaveLength(3);
    expect(typeof (answer.json['Events'] as Array<Record<string, unknown>>)[0]!['EventTime']).toBe('number');
  });

  it('names errors in both the x-amzn-ErrorType header and the __type member', async () => {
    const answer = await post('{"MaxResults":99}', lookup);
    expect(answer).toMatchObject({ status: 400, type: 'InvalidMaxResultsException', json: { __type: 'InvalidMaxResultsException' } });
  });

  it('answers SerializationException for a body that is not JSON', async () => {
    expect((await post('{', lookup)).type).toBe('SerializationException');
  });

  it('answers UnknownOperationException for other CloudTrail operations', async () => {
    expect((await post('{}', { ...lookup, 'X-Amz-Target': 'CloudTrail_20131101.DescribeTrails' })).type).toBe('UnknownOperationException');
  });

  it('answers MissingAuthenticationTokenException to an unsigned request', async () => {
    const { Authorization: _, ...unsigned } = lookup;
    expect(await post('{}', unsigned)).toMatchObject({ status: 403, type: 'MissingAuthenticationTokenException' });
  });
});

describe('parseCredentialScope', () => {
  it('reads the access key and region from the credential scope', () => {
    expect(parseCredentialScope(AUTH)).toEqual({ accessKeyId: 'AKIAEMULATOR', date: '20261127', region: 'us-east-1', service: 'cloudtrail' });
  });

  it('rejects headers that are not SigV4', () => {
    expect(parseCredentialScope(undefined)).toBeNull();
    expect(parseCredentialScope('Basic dXNlcjpwYXNz')).toBeNull();
    expect(parseCredentialScope('AWS4-HMAC-SHA256 Credential=AKIA/2026/us-east-1')).toBeNull();
  });
});

describe('NextTokenCodec', () => {
  it('round-trips a position for the same query', () => {
    const codec = new NextTokenCodec();
    expect(codec.decode(codec.encode(1234, 'query'), 'query')).toBe(1234);
  });

  it('refuses a token for another query, from another process, or altered', () => {
    const codec = new NextTokenCodec();
    const token = codec.encode(50, 'query');
    expect(codec.decode(token, 'other query')).toBeNull();
    expect(new NextTokenCodec().decode(token, 'query')).toBeNull();
    const altered = Buffer.from(Buffer.from(token, 'base64').toString('utf8').replace('50.', '51.'), 'utf8').toString('base64');
    expect(codec.decode(altered, 'query')).toBeNull();
    expect(codec.decode('', 'query')).toBeNull();
  });
});
