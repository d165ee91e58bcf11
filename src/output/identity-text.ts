/**
 * Who made a call, as one short line for people: the ARN when the record has one, else what the record does say.
 * Records without an ARN are documented in the userIdentity page of the CloudTrail User Guide
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html):
 * `AWSService` has only `invokedBy`, `AWSAccount` an `accountId` and `principalId`, some service events no `type`,
 * `IdentityCenterUser` its user in `onBehalfOf.userId`, and IAM Identity Center sign-in records (type `Unknown`,
 * an empty `arn`, the account as `principalId`) theirs in `userName`.
 */
import { isJsonObject, type JsonObject } from '../language/json';

export function identityText(event: JsonObject): string {
  const identity = event['userIdentity'];
  if (!isJsonObject(identity)) return '';
  const text = (from: JsonObject, key: string): string | null => {
    const value = from[key];
    return typeof value === 'string' && value !== '' ? value : null;
  };
  const arn = text(identity, 'arn');
  if (arn !== null) return arn;
  const invokedBy = text(identity, 'invokedBy');
  if (invokedBy !== null) return invokedBy;
  const onBehalfOf = identity['onBehalfOf'];
  const who = (isJsonObject(onBehalfOf) ? text(onBehalfOf, 'userId') : null) ?? text(identity, 'userName') ?? text(identity, 'principalId');
  const account = text(identity, 'accountId');
  if (account !== null) return who !== null ? `${account}/${who}` : account;
  return who ?? text(identity, 'type') ?? '';
}
