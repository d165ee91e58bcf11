/**
 * Who made a call, as one short line for people: the ARN when the record has one, else what the record does say.
 * Records without an ARN are documented in the userIdentity page of the CloudTrail User Guide
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html):
 * `AWSService` has only `invokedBy`, `AWSAccount` an `accountId` and `principalId`, some service events no `type`.
 */
import { isJsonObject, type JsonObject } from '../language/json';

export function identityText(event: JsonObject): string {
  const identity = event['userIdentity'];
  if (!isJsonObject(identity)) return '';
  const text = (key: string): string | null => {
    const value = identity[key];
    return typeof value === 'string' && value !== '' ? value : null;
  };
  const arn = text('arn');
  if (arn !== null) return arn;
  const invokedBy = text('invokedBy');
  if (invokedBy !== null) return invokedBy;
  const account = text('accountId');
  const principal = text('principalId');
  if (account !== null) return principal !== null ? `${account}/${principal}` : account;
  return principal ?? text('type') ?? '';
}
