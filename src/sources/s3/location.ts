/** `s3://BUCKET[/PREFIX]` inputs: telling them from paths, and taking them apart. */

export interface S3Location {
  readonly bucket: string;
  /** The key prefix as given, without a leading slash ('' for the whole bucket). */
  readonly prefix: string;
}

export function isS3Url(input: string): boolean {
  return /^s3:\/\//i.test(input);
}

/**
 * Bucket names are 3–63 lowercase letters, digits, dots and hyphens
 * (AmazonS3 user guide, bucketnamingrules.html); anything else is a typo worth a usage error.
 */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function parseS3Url(input: string): S3Location | Error {
  const rest = input.replace(/^s3:\/\//i, '');
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const prefix = slash < 0 ? '' : rest.slice(slash + 1).replace(/^\/+/, '');
  if (!BUCKET.test(bucket)) return new Error(`--input ${input}: '${bucket}' is not an S3 bucket name (expected s3://BUCKET[/PREFIX])`);
  return { bucket, prefix };
}

export function s3Url(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}
