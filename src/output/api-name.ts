import { isJsonObject, type JsonObject } from '../language/json';

/** `ec2:RunInstances` for an event or summary row with eventSource `ec2.amazonaws.com` and eventName `RunInstances`. */
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
  return `${typeof source === 'string' ? source.replace(/\.amazonaws\.com$/, '') : ''}:${String(name ?? '')}`;
}
