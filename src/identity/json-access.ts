/** Small typed reads of event members; CloudTrail records are untrusted JSON. */
import { isJsonObject, type JsonObject, type JsonValue } from '../language/json';

export function member(value: JsonValue | undefined, name: string): JsonValue | undefined {
  return isJsonObject(value) ? value[name] : undefined;
}

export function objectAt(value: JsonValue | undefined, ...path: string[]): JsonObject | null {
  let current: JsonValue | undefined = value;
  for (const name of path) current = member(current, name);
  return isJsonObject(current) ? current : null;
}

/** A non-empty string at the path, or null: CloudTrail writes `""` where it has no value. */
export function stringAt(value: JsonValue | undefined, ...path: string[]): string | null {
  let current: JsonValue | undefined = value;
  for (const name of path) current = member(current, name);
  return typeof current === 'string' && current !== '' ? current : null;
}
