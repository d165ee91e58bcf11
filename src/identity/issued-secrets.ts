/**
 * Credentials that a response hands out are logged in the event: STS (`AssumeRole*`, `GetSessionToken`,
 * `GetFederationToken`) logs `responseElements.credentials` with `secretAccessKey` and `sessionToken`
 * (IAM user guide, "Logging IAM and AWS STS API calls with AWS CloudTrail", AssumeRole example), and other
 * services log the same pair under other names (Cognito identity's `secretKey`). The access key ID and the
 * expiration identify a session; the secret key and the token *are* the credentials. What ctq writes about
 * events rather than the events themselves (summary group keys, threshold alert keys and distinct values, and
 * the --state windows that keep them) passes through `hideIssuedSecrets`, so no path can print them.
 */
import { isJsonObject, type JsonObject, type JsonValue } from '../language/json';

/** Member names that hold a secret, lower-cased. */
const SECRET_MEMBERS: ReadonlySet<string> = new Set(['secretaccesskey', 'secretkey', 'sessiontoken']);

export const REDACTED_SECRET = '(redacted)';

const NONE: ReadonlySet<string> = new Set();

/**
 * The secrets issued in this event's response (the values of the members above, under `responseElements`);
 * an empty set, without allocating, for nearly every event. Walked with a stack: a record may be nested as
 * deep as the reader allows.
 */
export function issuedSecretsOf(event: JsonObject): ReadonlySet<string> {
  const response = event['responseElements'];
  if (response === undefined || response === null || typeof response !== 'object') return NONE;
  let secrets: Set<string> | null = null;
  const pending: JsonValue[] = [response];
  for (let value = pending.pop(); value !== undefined; value = pending.pop()) {
    // One push per item: spreading a list of hundreds of thousands of items overflows the call stack.
    if (Array.isArray(value)) for (const item of value) pending.push(item);
    else if (isJsonObject(value)) {
      for (const [name, member] of Object.entries(value)) {
        if (SECRET_MEMBERS.has(name.toLowerCase()) && typeof member === 'string' && member !== '') (secrets ??= new Set()).add(member);
        else pending.push(member);
      }
    }
  }
  return secrets ?? NONE;
}

/**
 * `value` (read from `event` by any path or function) with every issued secret in it replaced by `(redacted)`:
 * a secret selected directly, inside a selected object, or inside a longer string. The event is not copied, so
 * lookups keyed by the event itself (its session) still work.
 */
export function hideIssuedSecrets<T extends JsonValue | JsonValue[]>(value: T, event: JsonObject): T {
  const secrets = issuedSecretsOf(event);
  return secrets.size === 0 ? value : (hidden(value, secrets) as T);
}

function hidden(value: JsonValue, secrets: ReadonlySet<string>): JsonValue {
  if (typeof value === 'string') {
    let text = value;
    for (const secret of secrets) if (text.includes(secret)) text = text.split(secret).join(REDACTED_SECRET);
    return text;
  }
  if (Array.isArray(value)) return value.map((item) => hidden(item, secrets));
  if (!isJsonObject(value)) return value;
  // fromEntries defines own properties, so a member named __proto__ stays a plain member.
  return Object.fromEntries(Object.entries(value).map(([name, member]): [string, JsonValue] => [name, hidden(member, secrets)]));
}
