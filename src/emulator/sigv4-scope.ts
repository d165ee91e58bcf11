/**
 * Who is calling and which region they are calling, read from the SigV4 `Authorization` header:
 * `AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/cloudtrail/aws4_request, SignedHeaders=…, Signature=…`
 * (IAM user guide, "Elements of an AWS API request signature"). The emulator does not check the
 * signature: it has no secrets to check it with, and the SDK's signing is not what it is testing.
 */
export interface CredentialScope {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
}

const CREDENTIAL = /(?:^|[\s,])Credential=([^/\s,]+)\/(\d{8})\/([^/\s,]+)\/([^/\s,]+)\/aws4_request/;

/** The credential scope of a SigV4 `Authorization` header, or null if the header is absent or not SigV4. */
export function parseCredentialScope(authorization: string | undefined): CredentialScope | null {
  if (authorization === undefined || !authorization.startsWith('AWS4-HMAC-SHA256 ')) return null;
  const match = CREDENTIAL.exec(authorization);
  if (match === null) return null;
  const [, accessKeyId, date, region, service] = match;
  if (accessKeyId === undefined || date === undefined || region === undefined || service === undefined) return null;
  return { accessKeyId, date, region, service };
}
