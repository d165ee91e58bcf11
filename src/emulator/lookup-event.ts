/**
 * A CloudTrail record as LookupEvents serves it: the record's text plus the summary fields of the
 * API's `Event` type (API reference page `API_Event`), derived once when the data is loaded.
 */
import { isJsonObject, type JsonObject, type JsonValue } from '../language/json';

export interface ApiResource {
  readonly ResourceType?: string;
  readonly ResourceName?: string;
}

/** Event history holds management events, and Insights events when `EventCategory` is `insight`. */
export type EventCategory = 'management' | 'insight';

export interface LookupEvent {
  /** eventTime in epoch milliseconds. */
  readonly time: number;
  readonly eventId: string;
  readonly eventName: string | null;
  readonly eventSource: string | null;
  /** `"true"` or `"false"` as the API carries it (a string), null when the record has no readOnly. */
  readonly readOnly: string | null;
  readonly accessKeyId: string | null;
  readonly username: string | null;
  readonly resources: readonly ApiResource[];
  readonly category: EventCategory;
  readonly account: string;
  readonly region: string;
  /** The `CloudTrailEvent` member: the record as a JSON string. */
  readonly text: string;
}

/** The response's `Event` structure; absent members are left out, as the service does. */
export interface ApiEvent {
  readonly EventId: string;
  readonly EventName?: string;
  readonly ReadOnly?: string;
  readonly AccessKeyId?: string;
  /** awsJson1_1 timestamps are epoch seconds (Smithy `epoch-seconds` format). */
  readonly EventTime: number;
  readonly EventSource?: string;
  readonly Username?: string;
  readonly Resources: readonly ApiResource[];
  readonly CloudTrailEvent: string;
}

export type Conversion =
  | { readonly kind: 'event'; readonly event: LookupEvent }
  /** Not in event history at all (data and network activity events): skipped without complaint. */
  | { readonly kind: 'not-served'; readonly reason: string }
  | { readonly kind: 'bad'; readonly message: string };

/** Turns one record into what LookupEvents serves, or says why it can't. `text` is the record's JSON text if known. */
export function toLookupEvent(record: JsonObject, text: string | null): Conversion {
  const eventId = stringField(record, 'eventID');
  if (eventId === null) return { kind: 'bad', message: 'record has no eventID' };
  const eventTime = stringField(record, 'eventTime');
  const time = eventTime === null ? NaN : Date.parse(eventTime);
  if (Number.isNaN(time)) return { kind: 'bad', message: `record ${eventId} has no valid eventTime` };
  const region = stringField(record, 'awsRegion');
  if (region === null) return { kind: 'bad', message: `record ${eventId} has no awsRegion` };
  const category = categoryOf(record);
  if (typeof category === 'object') return { kind: 'not-served', reason: category.notServed };
  const identity = isJsonObject(record['userIdentity']) ? record['userIdentity'] : {};
  return {
    kind: 'event',
    event: {
      time,
      eventId,
      eventName: stringField(record, 'eventName'),
      eventSource: stringField(record, 'eventSource'),
      readOnly: typeof record['readOnly'] === 'boolean' ? String(record['readOnly']) : stringField(record, 'readOnly'),
      accessKeyId: stringField(identity, 'accessKeyId'),
      username: usernameOf(identity),
      resources: resourcesOf(record['resources']),
      category,
      account: stringField(record, 'recipientAccountId') ?? stringField(identity, 'accountId') ?? 'unknown',
      region,
      text: text ?? JSON.stringify(record),
    },
  };
}

export function toApiEvent(event: LookupEvent): ApiEvent {
  return {
    EventId: event.eventId,
    ...(event.eventName !== null && { EventName: event.eventName }),
    ...(event.readOnly !== null && { ReadOnly: event.readOnly }),
    ...(event.accessKeyId !== null && { AccessKeyId: event.accessKeyId }),
    EventTime: event.time / 1000,
    ...(event.eventSource !== null && { EventSource: event.eventSource }),
    ...(event.username !== null && { Username: event.username }),
    Resources: event.resources,
    CloudTrailEvent: event.text,
  };
}

/**
 * Event history "records management events" (user guide, `view-cloudtrail-events`); Insights events
 * are returned only for `EventCategory: insight` (API_LookupEvents). `eventCategory` exists from
 * record version 1.07; older data events say `managementEvent: false` (record-contents page).
 */
function categoryOf(record: JsonObject): EventCategory | { notServed: string } {
  const declared = stringField(record, 'eventCategory');
  if (declared === 'Insight' || record['eventType'] === 'AwsCloudTrailInsight') return 'insight';
  if (declared === 'Management') return 'management';
  if (declared !== null) return { notServed: `${declared} events are not in event history` };
  if (record['managementEvent'] === false) return { notServed: 'data events are not in event history' };
  return 'management';
}

/**
 * The API reference only says `Username` is "a user name or role name of the requester that called
 * the API". What event history shows, and what we reproduce: an IAM user's userName, `root` for the
 * root user, the session name (last ARN segment) for assumed roles and federated users, the calling
 * service (`invokedBy`) for AWSService identities, else any userName the identity carries.
 */
function usernameOf(identity: JsonObject): string | null {
  const type = stringField(identity, 'type');
  const arn = stringField(identity, 'arn');
  switch (type) {
    case 'Root':
      return 'root';
    case 'AssumedRole':
    case 'FederatedUser':
      return arn !== null && arn.includes('/') ? arn.slice(arn.lastIndexOf('/') + 1) : stringField(identity, 'userName');
    case 'AWSService':
      return stringField(identity, 'invokedBy');
    default:
      return stringField(identity, 'userName');
  }
}

/**
 * The real service fills `Resources` with per-service knowledge it does not publish. We serve what
 * the record itself declares in its `resources` array (record-contents page: `ARN`, `accountId`,
 * `type`): ResourceType is `type`, ResourceName is the `ARN` (or `ARNPrefix`).
 */
function resourcesOf(value: JsonValue | undefined): ApiResource[] {
  if (!Array.isArray(value)) return [];
  const resources: ApiResource[] = [];
  for (const item of value) {
    if (!isJsonObject(item)) continue;
    const type = stringField(item, 'type');
    const name = stringField(item, 'ARN') ?? stringField(item, 'ARNPrefix');
    if (type === null && name === null) continue;
    resources.push({ ...(type !== null && { ResourceType: type }), ...(name !== null && { ResourceName: name }) });
  }
  return resources;
}

function stringField(object: JsonObject, key: string): string | null {
  const value = object[key];
  return typeof value === 'string' ? value : null;
}
