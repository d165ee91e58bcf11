/**
 * Credentials that a response hands out are logged in the event: STS (`AssumeRole*`, `GetSessionToken`,
 * `GetFederationToken`) logs `responseElements.credentials` with `secretAccessKey` and `sessionToken`
 * (IAM user guide, "Logging IAM and AWS STS API calls with AWS CloudTrail", AssumeRole example), and other
 * services log the same pair under other names (Cognito identity's `secretKey`). The access key ID and the
 * expiration identify a session; the secret key and the token *are* the credentials. Anything ctq writes
 * about events rather than the events themselves (summary rows, threshold alerts, their --state windows)
 * reads them through `withoutIssuedSecrets`, so no group or count key can carry them.
 */
import { isJsonObject, type JsonObject, type JsonValue } from '../language/json';

/** Member names that hold a secret, lower-cased. */
const SECRET_MEMBERS: ReadonlySet<string> = new Set(['secretaccesskey', 'secretkey', 'sessiontoken']);

export const REDACTED_SECRET = '(redacted)';

/**
 * The event with every secret member under `responseElements` replaced by `(redacted)`; the event itself,
 * untouched and uncopied, when it has none (nearly always).
 */
export function withoutIssuedSecrets(event: JsonObject): JsonObject {
  const response = event['responseElements'];
  if (response === undefined || response === null || !holdsSecret(response)) return event;
  return { ...event, responseElements: redacted(response) };
}

/** Walks with a stack, not recursion: a record may be nested as deep as the reader allows. */
function holdsSecret(root: JsonValue): boolean {
  const pending: JsonValue[] = [root];
  for (let value = pending.pop(); value !== undefined; value = pending.pop()) {
    if (Array.isArray(value)) pending.push(...value);
    else if (isJsonObject(value)) {
      for (const [name, member] of Object.entries(value)) {
        if (SECRET_MEMBERS.has(name.toLowerCase()) && member !== null) return true;
        pending.push(member);
      }
    }
  }
  return false;
}

function redacted(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(redacted);
  if (!isJsonObject(value)) return value;
  // fromEntries defines own properties, so a member named __proto__ stays a plain member.
  return Object.fromEntries(
    Object.entries(value).map(([name, member]): [string, JsonValue] =>
      SECRET_MEMBERS.has(name.toLowerCase()) && member !== null ? [name, REDACTED_SECRET] : [name, redacted(member)],
    ),
  );
}
