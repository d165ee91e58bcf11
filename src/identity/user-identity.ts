/**
 * Reads an event's `userIdentity` element into a SessionDescriptor. Field meanings are from
 * cloudtrail-event-reference-user-identity.md; the cases where temporary credentials show up
 * under `IAMUser`/`Root` (console sessions, GetSessionToken) are from the IAM user guide,
 * "Logging sign-in events for temporary credentials" (IAM/cloudtrail-integration.md).
 */
import type { JsonObject } from '../language/json';
import { accessKeyKind } from './access-key';
import { parseCloudTrailTime } from './creation-date';
import { objectAt, stringAt } from './json-access';
import type { AccessKeyId, SessionDescriptor, SessionTag, UserIdentityType } from './types';
import { USER_IDENTITY_TYPES } from './types';

const TAG_OF_TYPE: Readonly<Record<UserIdentityType, SessionTag>> = {
  IAMUser: 'iam-user',
  Root: 'root',
  AssumedRole: 'assumed-role',
  FederatedUser: 'federated-user',
  AWSAccount: 'aws-account',
  AWSService: 'aws-service',
  SAMLUser: 'saml-user',
  WebIdentityUser: 'web-identity-user',
  IdentityCenterUser: 'identity-center-user',
  Role: 'role',
  Directory: 'directory',
  Unknown: 'unknown',
};

function identityType(text: string | null): UserIdentityType | null {
  return (USER_IDENTITY_TYPES as readonly string[]).includes(text ?? '') ? (text as UserIdentityType) : null;
}

/**
 * Console evidence on one event: `sessionCredentialFromConsole` (record contents page) or, in older
 * records, `userIdentity.invokedBy: signin.amazonaws.com` (IAM/cloudtrail-integration.md, the
 * GetUserPolicy example).
 */
export function isConsoleEvent(event: JsonObject): boolean {
  const flag = event['sessionCredentialFromConsole'];
  return flag === 'true' || flag === true || stringAt(event, 'userIdentity', 'invokedBy') === 'signin.amazonaws.com';
}

/** The ARN of an IAM user or root identity, built from account and name when the record lacks it. */
function userArn(identity: JsonObject, type: 'IAMUser' | 'Root'): string | null {
  const arn = stringAt(identity, 'arn');
  if (arn) return arn;
  const account = stringAt(identity, 'accountId');
  if (type === 'Root') return account ? `arn:aws:iam::${account}:root` : null;
  const name = stringAt(identity, 'userName');
  // Failed sign-ins carry userName HIDDEN_DUE_TO_SECURITY_REASONS and no ARN; they still are a principal.
  return account && name ? `arn:aws:iam::${account}:user/${name}` : null;
}

function principalOnly(identity: JsonObject, type: UserIdentityType): string | null {
  const principalId = stringAt(identity, 'principalId');
  const account = stringAt(identity, 'accountId');
  switch (type) {
    case 'AWSAccount':
      return account || principalId ? `${account ?? '?'}/${principalId ?? '?'}` : null;
    case 'AWSService':
      return stringAt(identity, 'invokedBy') ?? principalId;
    case 'SAMLUser':
    case 'WebIdentityUser':
      return principalId ?? stringAt(identity, 'userName');
    // `Role` and `Directory` are in the type list of the published user identity page
    // (docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html);
    // the awsdocs repository's copy predates them. A Role identity is the role acting as a persistent
    // IAM identity, not one of its sessions: named by its ARN.
    case 'Role':
      return stringAt(identity, 'arn') ?? principalId;
    case 'Directory': {
      // A request made to a directory service (e.g. Amazon WorkDocs) by one of its users: named by ARN
      // when there is one, else by account and principal ID or user name.
      const who = principalId ?? stringAt(identity, 'userName');
      return stringAt(identity, 'arn') ?? (who ? `${account ?? '?'}/${who}` : account);
    }
    case 'IdentityCenterUser': {
      // onBehalfOf names the user, credentialId the sign-in session (user identity page,
      // "userIdentity for a request made on behalf of an IAM Identity Center user").
      const store = stringAt(identity, 'onBehalfOf', 'identityStoreArn');
      const user = stringAt(identity, 'onBehalfOf', 'userId');
      if (!user) return null;
      const credential = stringAt(identity, 'credentialId');
      return `${store ?? '?'}/${user}${credential ? `#${credential}` : ''}`;
    }
    default:
      return stringAt(identity, 'arn') ?? principalId ?? account;
  }
}

/**
 * An identity that its type's rule cannot name, or that has no type we know, named by what it has.
 * AWS service events (`eventType: AwsServiceEvent`) carry a `userIdentity` with no `type`, only
 * `accountId` and `invokedBy` (CloudTrail user guide, non-api-aws-service-events.md: KMS RotateKey
 * with `invokedBy: "AWS Internal"`; plaso's real sample: EC2 SharedSnapshotVolumeCreated with
 * `invokedBy: "ec2.amazonaws.com"`): they belong to the service, as `AWSService` identities do.
 * Anything else is `unknown`, by ARN, principal ID or account; null only when nothing names anyone.
 */
function namedByWhatItHas(identity: JsonObject, type: UserIdentityType | null): SessionDescriptor | null {
  const invokedBy = stringAt(identity, 'invokedBy');
  if (type === null && invokedBy) return { kind: 'principal', tag: 'aws-service', principal: invokedBy };
  const principal = stringAt(identity, 'arn') ?? stringAt(identity, 'principalId') ?? stringAt(identity, 'accountId');
  return principal ? { kind: 'principal', tag: 'unknown', principal } : null;
}

/**
 * What the event's identity says about its session, or null where there is no identity to speak of
 * (no `userIdentity`, or one with nothing that names a principal).
 */
export function describeIdentity(event: JsonObject): SessionDescriptor | null {
  const identity = objectAt(event, 'userIdentity');
  if (!identity) return null;
  const type = identityType(stringAt(identity, 'type'));
  return (type ? describeTyped(event, identity, type) : null) ?? namedByWhatItHas(identity, type);
}

function describeTyped(event: JsonObject, identity: JsonObject, type: UserIdentityType): SessionDescriptor | null {
  const tag = TAG_OF_TYPE[type];
  const key = stringAt(identity, 'accessKeyId');
  const keyKind = key ? accessKeyKind(key) : null;
  const creation = stringAt(identity, 'sessionContext', 'attributes', 'creationDate');
  const createdAt = creation ? parseCloudTrailTime(creation) : null;

  if (type === 'IAMUser' || type === 'Root') {
    const principal = userArn(identity, type);
    if (!principal) return null;
    const userTag = type === 'Root' ? 'root' : 'iam-user';
    const console = isConsoleEvent(event);
    // An AKIA key is a long-term access key (IAM user guide, "Unique identifiers": AKIA access key,
    // ASIA temporary STS key) and `accessKeyId` is "the access key ID that was used to sign the
    // request" (user identity page): the key is the session even if the record also carries a
    // creationDate. AWS's examples that pair AKIA with a creationDate use the same placeholder on
    // AssumedRole identities, temporary by definition, so they say nothing about the prefix. The one
    // exception is console evidence: console work creates a session (user identity page,
    // sessionContext), so such a record (the IAM guide's GetUserPolicy example) is a console session.
    if (keyKind === 'long-term' && !(console && createdAt !== null)) {
      return { kind: 'long-term', tag: userTag, principal, accessKeyId: key as AccessKeyId };
    }
    // A key of a kind the prefix does not tell (plaso's anonymised `0123456789ABCDEFGHIJ`, ACCA): with
    // a creationDate it is a session's key like any temporary one; without, the key is all that tells
    // this user's sessions apart, so it is keyed like a long-term key. Either way it is kept.
    if (keyKind === 'unknown' && createdAt === null) {
      return { kind: 'long-term', tag: userTag, principal, accessKeyId: key as AccessKeyId };
    }
    if (keyKind !== null || createdAt !== null) {
      return {
        kind: 'temporary',
        tag: userTag,
        principal,
        issuer: null,
        createdAt,
        accessKeyId: keyKind !== null ? (key as AccessKeyId) : null,
        console,
      };
    }
    return { kind: 'principal', tag: userTag, principal };
  }

  if (type === 'AssumedRole' || type === 'FederatedUser') {
    const principal = stringAt(identity, 'arn') ?? stringAt(identity, 'principalId');
    if (!principal) return null;
    let sessionCreatedAt = createdAt;
    let console = isConsoleEvent(event);
    // A SwitchRole record in the role's account names the new role session but carries neither key
    // nor sessionContext: the switch time is the session's creation time, and it is a console session.
    if (sessionCreatedAt === null && stringAt(event, 'eventName') === 'SwitchRole') {
      const time = stringAt(event, 'eventTime');
      sessionCreatedAt = time ? parseCloudTrailTime(time) : null;
      console = true;
    }
    return {
      kind: 'temporary',
      tag: type === 'AssumedRole' ? 'assumed-role' : 'federated-user',
      principal,
      issuer: type === 'FederatedUser' ? stringAt(identity, 'sessionContext', 'sessionIssuer', 'arn') : null,
      createdAt: sessionCreatedAt,
      accessKeyId: keyKind !== null ? (key as AccessKeyId) : null,
      console,
      // The role a role session belongs to, whatever its session ARN looks like (`chainOf(role ARN)`).
      role: type === 'AssumedRole' ? stringAt(identity, 'sessionContext', 'sessionIssuer', 'arn') : null,
    };
  }

  const principal = principalOnly(identity, type);
  return principal ? { kind: 'principal', tag, principal } : null;
}
