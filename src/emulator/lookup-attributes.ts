/**
 * The eight lookup attributes (API reference `API_LookupAttribute`; enum values as in the SDK's
 * `LookupAttributeKey`) and the values of an event each one can find it by.
 *
 * Matching rule: the AttributeValue must equal one of the event's values exactly, case included.
 * The user guide (`view-cloudtrail-events-cli`, "Looking up events by attribute") says the keys are
 * case sensitive and its examples are all exact values (`iam.amazonaws.com`, `AWS::S3::Bucket`,
 * `ReadOnly=false`); event history offers no prefix or wildcard match for any attribute.
 */
import type { ApiResource, LookupEvent } from './lookup-event';

export const LOOKUP_ATTRIBUTE_KEYS = [
  'EventId',
  'EventName',
  'ReadOnly',
  'Username',
  'ResourceType',
  'ResourceName',
  'EventSource',
  'AccessKeyId',
] as const;

export type LookupAttributeKey = (typeof LOOKUP_ATTRIBUTE_KEYS)[number];

export interface LookupAttribute {
  readonly key: LookupAttributeKey;
  readonly value: string;
}

/** API_LookupAttribute: AttributeValue is at most 2000 characters. */
export const MAX_ATTRIBUTE_VALUE_LENGTH = 2000;

export function isLookupAttributeKey(key: string): key is LookupAttributeKey {
  return (LOOKUP_ATTRIBUTE_KEYS as readonly string[]).includes(key);
}

/** The values under which `key` finds `event`; an event can have several resources, hence a list. */
export function attributeValues(key: LookupAttributeKey, event: LookupEvent): readonly string[] {
  switch (key) {
    case 'EventId':
      return [event.eventId];
    case 'EventName':
      return present(event.eventName);
    case 'ReadOnly':
      return present(event.readOnly);
    case 'Username':
      return present(event.username);
    case 'EventSource':
      return present(event.eventSource);
    case 'AccessKeyId':
      return present(event.accessKeyId);
    case 'ResourceType':
      return distinct(event.resources, (resource) => resource.ResourceType);
    case 'ResourceName':
      return distinct(event.resources, (resource) => resource.ResourceName);
  }
}

function present(value: string | null): readonly string[] {
  return value === null ? [] : [value];
}

/** Each value once, so an event naming the same resource twice is still found (and listed) once. */
function distinct(resources: readonly ApiResource[], field: (resource: ApiResource) => string | undefined): readonly string[] {
  const values: string[] = [];
  for (const resource of resources) {
    const value = field(resource);
    if (value !== undefined && !values.includes(value)) values.push(value);
  }
  return values;
}
