/**
 * The LookupEvents request body (awsJson1_1), checked against API_LookupEvents. Errors come back as
 * values in the documented exception for each member.
 */
import { apiErrors, type ApiError } from './errors';
import { isLookupAttributeKey, LOOKUP_ATTRIBUTE_KEYS, MAX_ATTRIBUTE_VALUE_LENGTH, type LookupAttribute } from './lookup-attributes';
import type { EventCategory } from './lookup-event';
import { isJsonObject, type JsonValue } from '../language/json';

/** API_LookupEvents: "Possible values are 1 through 50. The default is 50." */
export const MAX_RESULTS_LIMIT = 50;

export interface LookupEventsRequest {
  readonly attribute: LookupAttribute | null;
  readonly startMs: number | null;
  readonly endMs: number | null;
  readonly category: EventCategory;
  readonly maxResults: number;
  readonly nextToken: string | null;
}

export type Parsed = { readonly ok: true; readonly request: LookupEventsRequest } | { readonly ok: false; readonly error: ApiError };

export function parseLookupEventsRequest(body: string): Parsed {
  let json: unknown;
  try {
    json = body.trim() === '' ? {} : JSON.parse(body);
  } catch {
    return fail(apiErrors.serialization('The request body is not valid JSON.'));
  }
  if (!isJsonObject(json)) return fail(apiErrors.serialization('The request body must be a JSON object.'));

  const attribute = parseAttributes(json['LookupAttributes']);
  if ('type' in attribute) return fail(attribute);
  const startMs = parseTimestamp(json['StartTime'], 'StartTime');
  if (typeof startMs === 'object' && startMs !== null) return fail(startMs);
  const endMs = parseTimestamp(json['EndTime'], 'EndTime');
  if (typeof endMs === 'object' && endMs !== null) return fail(endMs);
  if (startMs !== null && endMs !== null && startMs > endMs) {
    return fail(apiErrors.invalidTimeRange('Start time must be less than or equal to end time.'));
  }

  const maxResults = json['MaxResults'] ?? MAX_RESULTS_LIMIT;
  if (typeof maxResults !== 'number') return fail(apiErrors.serialization('MaxResults must be a number.'));
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_RESULTS_LIMIT) {
    return fail(apiErrors.invalidMaxResults(`MaxResults must be between 1 and ${MAX_RESULTS_LIMIT}; got ${maxResults}.`));
  }

  const category = json['EventCategory'] ?? null;
  if (category !== null && category !== 'insight') {
    return fail(apiErrors.invalidEventCategory(`EventCategory must be 'insight'; got ${JSON.stringify(category)}.`));
  }

  const nextToken = json['NextToken'] ?? null;
  if (nextToken !== null && typeof nextToken !== 'string') return fail(apiErrors.serialization('NextToken must be a string.'));

  return {
    ok: true,
    request: {
      attribute: attribute.attribute,
      startMs,
      endMs,
      category: category === 'insight' ? 'insight' : 'management',
      maxResults,
      nextToken,
    },
  };
}

function fail(error: ApiError): Parsed {
  return { ok: false, error };
}

/** "Contains a list of lookup attributes. Currently the list can contain only one item." (API_LookupEvents) */
function parseAttributes(value: JsonValue | undefined): { attribute: LookupAttribute | null } | ApiError {
  if (value === undefined || value === null) return { attribute: null };
  if (!Array.isArray(value)) return apiErrors.serialization('LookupAttributes must be a list.');
  if (value.length === 0) return { attribute: null };
  if (value.length > 1) {
    return apiErrors.invalidLookupAttributes(`You can specify only one lookup attribute; got ${value.length}.`);
  }
  const [item] = value;
  if (!isJsonObject(item)) return apiErrors.serialization('A lookup attribute must be an object.');
  const key = item['AttributeKey'];
  const attributeValue = item['AttributeValue'];
  if (typeof key !== 'string' || !isLookupAttributeKey(key)) {
    return apiErrors.invalidLookupAttributes(
      `AttributeKey must be one of ${LOOKUP_ATTRIBUTE_KEYS.join(', ')}; got ${JSON.stringify(key ?? null)}.`,
    );
  }
  if (typeof attributeValue !== 'string' || attributeValue === '') {
    return apiErrors.invalidLookupAttributes('AttributeValue must be a non-empty string.');
  }
  if (attributeValue.length > MAX_ATTRIBUTE_VALUE_LENGTH) {
    return apiErrors.invalidLookupAttributes(`AttributeValue must be at most ${MAX_ATTRIBUTE_VALUE_LENGTH} characters.`);
  }
  return { attribute: { key, value: attributeValue } };
}

/** awsJson1_1 sends timestamps as epoch seconds, possibly fractional (Smithy `epoch-seconds`). */
function parseTimestamp(value: JsonValue | undefined, member: string): number | null | ApiError {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return apiErrors.serialization(`${member} must be a timestamp in epoch seconds.`);
  }
  return value * 1000;
}
