/**
 * What an access key ID's prefix says about the credentials. The prefixes are the IAM User Guide's
 * "Unique identifiers" table (reference_identifiers.md, "Understanding unique ID prefixes",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-prefixes;
 * the copy in the awsdocs/iam-user-guide repository lists AAGA and lacks ABIA, which the published
 * page and the "Service bearer tokens" page give): four prefixes name credentials that sign
 * requests; the others (AIDA user, AROA role, AGPA group, ANPA policy, …) are principal and resource
 * IDs, never an `accessKeyId`.
 *
 * A key whose prefix the table does not give (plaso's anonymised `0123456789ABCDEFGHIJ`, a prefix
 * AWS adds later) is still a key: the record says it signed the request. It is kept, of kind
 * `unknown`, and never dropped.
 */

export type AccessKeyKind = 'long-term' | 'temporary' | 'unknown';

/**
 * Prefix → kind, from the IAM "Unique identifiers" table and the pages it links; null for the
 * table's prefixes that name principals and resources, which never sign a request.
 */
const KIND_OF_PREFIX: Readonly<Record<string, AccessKeyKind | null>> = {
  // "AKIA: Access key" — an IAM user's or root's long-term access key.
  AKIA: 'long-term',
  // "ASIA: Temporary (AWS STS) keys".
  ASIA: 'temporary',
  // "ABIA: AWS STS service bearer token". The bearer-token page (id_credentials_bearer.md) says the
  // token is obtained from STS for one service and Region, and that its "access key ID begins with
  // the ABIA prefix" so it can be told apart in CloudTrail logs: temporary credentials.
  ABIA: 'temporary',
  // "ACCA: Context-specific credential". AWS says nothing more (neither lifetime nor issuer): a key,
  // of a kind we cannot tell.
  ACCA: 'unknown',
  AAGA: null, // action group
  AGPA: null, // user group
  AIDA: null, // IAM user
  AIPA: null, // Amazon EC2 instance profile
  ANPA: null, // managed policy
  ANVA: null, // version in a managed policy
  APKA: null, // public key
  AROA: null, // role
  ASCA: null, // certificate
};

/** A credential prefix and at least eight more characters (what ctq accepted before the table grew). */
const PREFIXED_KEY_ID = /^A[A-Z]{3}[A-Z0-9]{8,124}$/;
/**
 * Any other key: STS's `Credentials.AccessKeyId` is 16 to 128 characters (STS API reference,
 * Credentials), and every key AWS issues is upper-case letters and digits.
 */
const ANY_KEY_ID = /^[A-Z0-9]{16,128}$/;

/** The kind of the key, or null when the string is not an access key ID (a principal ID, a name). */
export function accessKeyKind(key: string): AccessKeyKind | null {
  const prefix = key.slice(0, 4);
  if (prefix in KIND_OF_PREFIX) return PREFIXED_KEY_ID.test(key) ? KIND_OF_PREFIX[prefix]! : null;
  return ANY_KEY_ID.test(key) ? 'unknown' : null;
}
