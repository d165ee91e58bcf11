import type { JsonObject } from '../language/json';

/** `ec2:RunInstances` for an event or summary row with eventSource `ec2.amazonaws.com` and eventName `RunInstances`. */
export function apiName(record: JsonObject): string {
  const source = typeof record['eventSource'] === 'string' ? record['eventSource'].replace(/\.amazonaws\.com$/, '') : '';
  return `${source}:${String(record['eventName'] ?? '')}`;
}
