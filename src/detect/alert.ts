/**
 * The alert record a threshold writes (one NDJSON line), instead of the events that made it fire:
 *
 *   {"alert":"threshold","rule":"many-denied","title":"…","severity":"high","key":{"session()":"…"},
 *    "count":10,"threshold":10,"window":"5m","firstTime":"…","lastTime":"…","sampleEventIDs":["…"],
 *    "distinct":{"path":"$.eventName","values":["…"]}}
 *
 * `rule`, `title` and `severity` are null for `--count-by` on the command line; `distinct` only with a
 * distinct count.
 */
import type { JsonObject, JsonValue } from '../language/json';
import type { WindowHit } from './sliding-window';

export const SAMPLE_EVENT_IDS = 5;
export const SAMPLE_DISTINCT_VALUES = 50;

export interface AlertSource {
  readonly rule: string | null;
  readonly title: string | null;
  readonly severity: string | null;
  readonly keyNames: readonly string[];
  readonly threshold: number;
  readonly window: string;
  readonly distinct: string | null;
}

export function alertRecord(source: AlertSource, hit: WindowHit): JsonObject {
  const values = JSON.parse(hit.key) as JsonValue[];
  const key: Record<string, JsonValue> = {};
  source.keyNames.forEach((name, i) => (key[name] = values[i] ?? null));
  const first = hit.entries[0]!;
  const last = hit.entries[hit.entries.length - 1]!;
  const record: Record<string, JsonValue> = {
    alert: 'threshold',
    rule: source.rule,
    title: source.title,
    severity: source.severity,
    key,
    count: hit.count,
    threshold: source.threshold,
    window: source.window,
    firstTime: new Date(first.ms).toISOString(),
    lastTime: new Date(last.ms).toISOString(),
    sampleEventIDs: hit.entries.slice(0, SAMPLE_EVENT_IDS).map((e) => e.eventID),
  };
  if (source.distinct !== null) {
    record.distinct = {
      path: source.distinct,
      values: hit.entries.slice(0, SAMPLE_DISTINCT_VALUES).map((e) => (e.value === undefined ? null : (JSON.parse(e.value) as JsonValue))),
    };
  }
  return record;
}
