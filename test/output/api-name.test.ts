/**
 * The `action` column of `--format table` and the `api` column of the summary table. CloudTrail Insights
 * events (eventType AwsCloudTrailInsight, delivered under CloudTrail-Insight/) have no eventSource or
 * eventName of their own: the API they are about is in insightDetails (CloudTrail User Guide, "CloudTrail
 * Insights events record fields"). Such a row used to read `:`.
 */
import { describe, expect, it } from 'vitest';
import { apiName } from '../../src/output/api-name';

describe('apiName', () => {
  it('names an API call by its eventSource host and event name', () => {
    expect(apiName({ eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances' })).toBe('ec2:RunInstances');
  });

  it('names the IAM action where the service prefix is not the host (an action glob selects it so)', () => {
    expect(apiName({ eventSource: 'monitoring.amazonaws.com', eventName: 'PutMetricAlarm' })).toBe('cloudwatch:PutMetricAlarm');
    // One host, two IAM prefixes (sso, sso-oauth): the host stands.
    expect(apiName({ eventSource: 'sso.amazonaws.com', eventName: 'ListInstances' })).toBe('sso:ListInstances');
    expect(apiName({ eventSource: 'example.internal', eventName: 'Call' })).toBe('example.internal:Call');
  });

  it('names an Insights event by the API it is about', () => {
    const insight = { eventType: 'AwsCloudTrailInsight', insightDetails: { state: 'Start', eventSource: 'autoscaling.amazonaws.com', eventName: 'CompleteLifecycleAction', insightType: 'ApiCallRateInsight' } };
    expect(apiName(insight)).toBe('autoscaling:CompleteLifecycleAction (insight)');
  });

  it('says so when a record or summary row names no API', () => {
    expect(apiName({ eventSource: null, eventName: null })).toBe('(no eventSource or eventName)');
    expect(apiName({})).toBe('(no eventSource or eventName)');
  });
});
