/**
 * The errors the emulator answers, in the awsJson1_1 shape the SDKs parse: HTTP status, an
 * `x-amzn-ErrorType` header and a body `{"__type": "...", "message": "..."}` (the SDK takes the
 * error name from either and strips any `namespace#` prefix).
 *
 * LookupEvents' own errors are listed on the API reference page `API_LookupEvents` (all HTTP 400).
 * The rest are the common errors every AWS JSON API can answer (`CommonErrors` page).
 */
export interface ApiError {
  readonly type: string;
  readonly status: number;
  readonly message: string;
}

function error(type: string, status: number) {
  return (message: string): ApiError => ({ type, status, message });
}

export const apiErrors = {
  invalidLookupAttributes: error('InvalidLookupAttributesException', 400),
  invalidMaxResults: error('InvalidMaxResultsException', 400),
  invalidNextToken: error('InvalidNextTokenException', 400),
  invalidTimeRange: error('InvalidTimeRangeException', 400),
  invalidEventCategory: error('InvalidEventCategoryException', 400),
  /**
   * The common-errors page documents ThrottlingException as HTTP 400; the CloudTrail Smithy model
   * gives its modeled ThrottlingException 429. Both SDK v3 and botocore classify a throttle by the
   * error name (and by 429), so 400 keeps us on the documented side without losing the retry.
   */
  throttling: error('ThrottlingException', 400),
  /** Malformed JSON, or a member of the wrong JSON type. */
  serialization: error('SerializationException', 400),
  unknownOperation: error('UnknownOperationException', 400),
  missingAuthenticationToken: error('MissingAuthenticationTokenException', 403),
  /** What AWS answers for an access key it does not know: the SDK surfaces it by name, and does not retry. */
  unrecognizedClient: error('UnrecognizedClientException', 400),
  internalFailure: error('InternalFailure', 500),
  serviceUnavailable: error('ServiceUnavailable', 503),
} as const;
