import { isJsonObject, type JsonObject } from '../language/json';
import { prefixesOfEventSource } from '../selection/service-table';

/**
 * `ec2:RunInstances` for an event or summary row with eventSource `ec2.amazonaws.com` and eventName
 * `RunInstances`: the IAM action a policy (and an action glob) names, so `cloudwatch:PutMetricAlarm` for
 * eventSource `monitoring.amazonaws.com`. Where an eventSource serves several IAM prefixes (`sso`,
 * `sso-oauth`) or none ctq knows, its host name stands instead.
 */
export function apiName(record: JsonObject): string {
  const named = namedApi(record);
  if (named !== null) return named;
  // Insights events name the API they are about in insightDetails, not at the top ("CloudTrail Insights
  // events record fields", CloudTrail User Guide).
  const insight = record['insightDetails'];
  const about = isJsonObject(insight) ? namedApi(insight) : null;
  return about !== null ? `${about} (insight)` : '(no eventSource or eventName)';
}

function namedApi(record: JsonObject): string | null {
  const source = record['eventSource'];
  const name = record['eventName'];
  if ((source === undefined || source === null) && (name === undefined || name === null)) return null;
  return `${typeof source === 'string' ? serviceOf(source) : ''}:${String(name ?? '')}`;
}

function serviceOf(eventSource: string): string {
  const prefixes = prefixesOfEventSource(eventSource);
  return prefixes.length === 1 ? prefixes[0]! : eventSource.replace(/\.amazonaws\.com$/, '');
}
