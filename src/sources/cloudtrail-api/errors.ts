/**
 * What a failed LookupEvents call means for the run, in one line a user can act on.
 *
 * The SDK retries throttles and transient faults itself (standard retry strategy); an error that
 * reaches us is final for that call.
 */

export type ApiProblem =
  /** No credentials, or the provider chain could not produce them (SSO session expired, …). Fatal. */
  | { readonly kind: 'credentials'; readonly message: string }
  /**
   * The region refused the credentials. For a region the account has not enabled (an opt-in
   * region) CloudTrail answers exactly as for an invalid key: UnrecognizedClientException "The
   * security token included in the request is invalid" (InvalidClientTokenId on query-protocol
   * services). Only when every region says so are the credentials to blame.
   */
  | { readonly kind: 'region-refused'; readonly message: string }
  | { readonly kind: 'aborted'; readonly message: string }
  /** Anything else, after the SDK's retries: reported for the region, other regions go on. */
  | { readonly kind: 'failed'; readonly message: string };

const REFUSED = new Set(['UnrecognizedClientException', 'InvalidClientTokenId', 'AuthFailure']);
const EXPIRED = new Set(['ExpiredTokenException', 'ExpiredToken', 'TokenRefreshRequired']);

export const NO_CREDENTIALS_MESSAGE =
  'no AWS credentials found: set AWS_PROFILE or pass --profile, run `aws sso login` for an SSO profile, ' +
  'or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY';

export function classifyApiError(error: unknown, profile?: string): ApiProblem {
  const name = errorName(error);
  const message = errorMessage(error);
  if (name === 'AbortError') return { kind: 'aborted', message: 'cancelled' };
  if (name === 'CredentialsProviderError' || name === 'TokenProviderError') return { kind: 'credentials', message: credentialsMessage(message, profile) };
  if (EXPIRED.has(name)) {
    return { kind: 'credentials', message: `AWS credentials have expired (${name}): ${refreshHint(profile)}` };
  }
  if (REFUSED.has(name)) return { kind: 'region-refused', message: `${name}: ${message}` };
  if (name === 'AccessDeniedException') {
    return { kind: 'failed', message: `not allowed to call cloudtrail:LookupEvents (${message})` };
  }
  const status = httpStatus(error);
  return { kind: 'failed', message: `${name}${status === null ? '' : ` (HTTP ${status})`}: ${message}` };
}

/** The message for "every region refused the credentials". */
export function refusedEverywhereMessage(profile?: string): string {
  return `AWS rejected the credentials in every region (the security token is invalid): ${refreshHint(profile)}`;
}

function credentialsMessage(detail: string, profile?: string): string {
  if (/sso/i.test(detail) && /expired|invalid|refresh/i.test(detail)) {
    return `the AWS SSO session is missing or expired: run \`aws sso login${profile === undefined ? '' : ` --profile ${profile}`}\``;
  }
  if (/could not load credentials|unable to find|no credentials|credential is missing|not found/i.test(detail)) {
    if (profile === undefined) return NO_CREDENTIALS_MESSAGE;
    return `no AWS credentials found for profile ${profile}: check the profile's name in ~/.aws/config, or run \`aws sso login --profile ${profile}\``;
  }
  return `could not load AWS credentials (${oneLine(detail)}): ${refreshHint(profile)}`;
}

function refreshHint(profile?: string): string {
  const p = profile === undefined ? '' : ` --profile ${profile}`;
  return `run \`aws sso login${p}\` or refresh the keys of the profile or environment in use`;
}

function errorName(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const e = error as { name?: unknown; Code?: unknown };
    if (typeof e.name === 'string' && e.name !== 'Error') return e.name;
    if (typeof e.Code === 'string') return e.Code;
    if (typeof e.name === 'string') return e.name;
  }
  return 'Error';
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return oneLine(error.message);
  return oneLine(String(error));
}

function httpStatus(error: unknown): number | null {
  const meta = (error as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata;
  return typeof meta?.httpStatusCode === 'number' ? meta.httpStatusCode : null;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** A throttling answer: counted, never shown (the SDK backs off and retries it). */
export function isThrottle(error: unknown): boolean {
  const name = errorName(error);
  if (name === 'ThrottlingException' || name === 'Throttling' || name === 'TooManyRequestsException') return true;
  const e = error as { $metadata?: { httpStatusCode?: unknown }; $retryable?: { throttling?: unknown } } | null;
  return e?.$metadata?.httpStatusCode === 429 || e?.$retryable?.throttling === true;
}

/**
 * The endpoint no longer accepts the NextToken it issued: "InvalidNextTokenException ... thrown if the token is not
 * valid" (API_LookupEvents), which is what a restarted or failed-over endpoint answers mid-scan.
 */
export function isInvalidNextToken(error: unknown): boolean {
  return errorName(error) === 'InvalidNextTokenException';
}
