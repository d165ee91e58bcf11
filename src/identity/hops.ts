/**
 * Hop events: the records that create a session. Each is read into where the new session comes
 * from (its parent) and what the new session looks like (its child), with the evidence CloudTrail
 * gives for joining the two:
 *
 * - STS `AssumeRole`, `AssumeRoleWithSAML`, `AssumeRoleWithWebIdentity`, `GetSessionToken`,
 *   `GetFederationToken`: `responseElements.credentials.accessKeyId`, the session ARN
 *   (`assumedRoleUser.arn` / `federatedUser.arn`, the caller for GetSessionToken, or, when the
 *   response does not name it, as for a role an AWS service assumed, from the request: `roleArn` +
 *   `roleSessionName`, or `name`) and the event time as creation time. Examples:
 *   IAM/cloudtrail-integration.md ("Example AWS STS API events").
 *   A cross-account AssumeRole is logged twice, once per account, the role account's copy with an
 *   `AWSAccount` identity; both carry the same `sharedEventID` (record contents page, and the
 *   cross-account example on the IAM page).
 * - `ConsoleLogin` (signin.amazonaws.com, `responseElements.ConsoleLogin: Success`): the user's console
 *   session (cloudtrail-event-reference-aws-console-sign-in-events.md).
 * - `SwitchRole` (signin.amazonaws.com): a console role session named after the user, created at the
 *   switch time, from the user's console session active then. The caller's copy names the role in
 *   `additionalEventData.SwitchTo`; the role account's copy is signed by the new role session and
 *   names the user in `additionalEventData.SwitchFrom`.
 */
import type { JsonObject } from '../language/json';
import { parseCloudTrailTime, parseCredentialExpiration } from './creation-date';
import { objectAt, stringAt } from './json-access';
import type { AccessKeyId, EpochSeconds, SessionDescriptor, TemporaryDescriptor } from './types';
import { accessKeyKind } from './access-key';
import { describeIdentity } from './user-identity';

/** The session a hop creates, as far as the hop record shows it. */
export interface ChildSpec {
  readonly tag: TemporaryDescriptor['tag'];
  readonly principal: string;
  readonly issuer: string | null;
  readonly createdAt: EpochSeconds;
  readonly accessKeyId: AccessKeyId | null;
  readonly console: boolean;
  /** `credentials.expiration` of an STS hop: until when the issued key is valid; null when unknown. */
  readonly expiresAt: EpochSeconds | null;
}

/** Where the new session comes from. */
export type ParentRef =
  /** The identity that signed the hop record; `remote` for the role account's copy (an AWSAccount). */
  | { readonly kind: 'signer'; readonly descriptor: SessionDescriptor; readonly remote: boolean }
  /** The console session of `principal` that was active at `at` (SwitchRole). */
  | { readonly kind: 'console-of'; readonly principal: string; readonly at: EpochSeconds };

export interface Hop {
  readonly kind: 'sts' | 'console-login' | 'switch-role';
  readonly eventId: string;
  readonly sharedEventId: string | null;
  readonly parent: ParentRef | null;
  readonly child: ChildSpec;
}

const STS_HOPS = new Set([
  'AssumeRole',
  'AssumeRoleWithSAML',
  'AssumeRoleWithWebIdentity',
  'GetSessionToken',
  'GetFederationToken',
]);

const CONSOLE_LOGIN = 'ConsoleLogin';
const SWITCH_ROLE = 'SwitchRole';

/**
 * Every name a hop event has, whatever its source: an event named otherwise is no hop (and
 * describeIdentity reads the name only to tell SwitchRole, one of these).
 */
export const HOP_EVENT_NAMES: ReadonlySet<string> = new Set([...STS_HOPS, CONSOLE_LOGIN, SWITCH_ROLE]);

/** Which kind of hop an event named so is, if any. */
function hopKindOf(source: string | null, eventName: string): Hop['kind'] | null {
  if (source === 'sts.amazonaws.com') return STS_HOPS.has(eventName) ? 'sts' : null;
  if (source !== 'signin.amazonaws.com') return null;
  return eventName === CONSOLE_LOGIN ? 'console-login' : eventName === SWITCH_ROLE ? 'switch-role' : null;
}

export function hopOf(event: JsonObject): Hop | null {
  // Every event of pass one comes here and almost none is a hop: its name rules it out before its time is read.
  const eventName = stringAt(event, 'eventName');
  if (!eventName) return null;
  const kind = hopKindOf(stringAt(event, 'eventSource'), eventName);
  if (kind === null) return null;
  const eventId = stringAt(event, 'eventID');
  const time = stringAt(event, 'eventTime');
  const at = time ? parseCloudTrailTime(time) : null;
  if (!eventId || at === null || stringAt(event, 'errorCode')) return null;
  const sharedEventId = stringAt(event, 'sharedEventID');
  switch (kind) {
    case 'sts':
      return stsHop(event, eventName, eventId, sharedEventId, at);
    case 'console-login':
      return consoleLoginHop(event, eventId, at);
    case 'switch-role':
      return switchRoleHop(event, eventId, at);
  }
}

function signer(event: JsonObject): ParentRef | null {
  const descriptor = describeIdentity(event);
  if (!descriptor) return null;
  // The role account's copy of a cross-account call is signed by the calling account (IAM
  // cloudtrail-integration.md, "Example cross-account AWS STS API events").
  return { kind: 'signer', descriptor, remote: stringAt(event, 'userIdentity', 'type') === 'AWSAccount' };
}

function stsHop(
  event: JsonObject,
  eventName: string,
  eventId: string,
  sharedEventId: string | null,
  at: EpochSeconds,
): Hop | null {
  const response = objectAt(event, 'responseElements');
  const key = stringAt(response, 'credentials', 'accessKeyId');
  if (!response || !key || accessKeyKind(key) === null) return null;
  const accessKeyId = key as AccessKeyId;
  const expiration = stringAt(response, 'credentials', 'expiration');
  const expiresAt = expiration ? parseCredentialExpiration(expiration) : null;
  const issued = { createdAt: at, accessKeyId, console: false, expiresAt };
  const parent = signer(event);
  let child: ChildSpec | null = null;
  if (eventName.startsWith('AssumeRole')) {
    const arn = issuedRoleSessionArn(event, response);
    if (arn) child = { tag: 'assumed-role', principal: arn, issuer: null, ...issued };
  } else if (eventName === 'GetFederationToken') {
    const arn = issuedFederatedUserArn(event, response);
    const issuer = parent?.kind === 'signer' ? parent.descriptor.principal : null;
    if (arn) child = { tag: 'federated-user', principal: arn, issuer, ...issued };
  } else if (parent?.kind === 'signer' && (parent.descriptor.tag === 'iam-user' || parent.descriptor.tag === 'root')) {
    // GetSessionToken: the new session is the caller's own (IAM user guide, temporary-credentials table).
    const principal = parent.descriptor.principal;
    child = { tag: parent.descriptor.tag, principal, issuer: null, ...issued };
  }
  return child ? { kind: 'sts', eventId, sharedEventId, parent, child } : null;
}

function consoleLoginHop(event: JsonObject, eventId: string, at: EpochSeconds): Hop | null {
  if (stringAt(event, 'responseElements', 'ConsoleLogin') !== 'Success') return null;
  const descriptor = describeIdentity(event);
  if (!descriptor) return null;
  const tag = descriptor.tag;
  if (tag !== 'iam-user' && tag !== 'root') return null;
  const child: ChildSpec = {
    tag,
    principal: descriptor.principal,
    issuer: null,
    createdAt: at,
    accessKeyId: null,
    console: true,
    expiresAt: null,
  };
  const parent: ParentRef = {
    kind: 'signer',
    descriptor: { kind: 'principal', tag: descriptor.tag, principal: descriptor.principal },
    remote: false,
  };
  return { kind: 'console-login', eventId, sharedEventId: null, parent, child };
}

/**
 * The role session an `AssumeRole*` issued. A caller's record names it in `assumedRoleUser.arn`. When
 * an AWS service assumes a role for its own use (EC2 instance profiles, Lambda execution roles, RDS
 * and other service roles) the record is signed by the service (`userIdentity.type: AWSService`,
 * `invokedBy`) and its responseElements carry only `credentials`: the session is then named from
 * the request, `requestParameters.roleArn` and `roleSessionName` (the instance ID for EC2, the
 * function name for Lambda), the way the role's own records name it (`arn:aws:sts::<account>:
 * assumed-role/<role name>/<session name>`, user identity page, AssumedRole). The user identity page
 * says AssumedRole "can include roles for Amazon EC2" and, under "Cross-account access initiated by
 * an AWS service", that when "an AWS account owned by an AWS service assumes that role" the role
 * owner's log shows `type` `AWSService`; no AWS page prints the service's AssumeRole record in full
 * (fixtures/identity/README.md says where the fixture's shape comes from).
 */
function issuedRoleSessionArn(event: JsonObject, response: JsonObject): string | null {
  const named = stringAt(response, 'assumedRoleUser', 'arn');
  if (named) return named;
  const roleArn = stringAt(event, 'requestParameters', 'roleArn');
  const sessionName = stringAt(event, 'requestParameters', 'roleSessionName');
  return roleArn && sessionName ? roleSessionArn(roleArn, sessionName) : null;
}

/**
 * The federated user a `GetFederationToken` issued: `federatedUser.arn`, or, when the response lacks
 * it, named from the request as STS names it, `arn:<partition>:sts::<caller's account>:federated-user/
 * <requestParameters.name>` (user identity page, FederatedUser; the IAM guide's temporary-credentials
 * table: the caller is an IAM user or root of the same account).
 */
function issuedFederatedUserArn(event: JsonObject, response: JsonObject): string | null {
  const named = stringAt(response, 'federatedUser', 'arn');
  if (named) return named;
  const name = stringAt(event, 'requestParameters', 'name');
  const caller = /^arn:([^:]+):iam::(\d+):/.exec(stringAt(event, 'userIdentity', 'arn') ?? '');
  return name && caller ? `arn:${caller[1]}:sts::${caller[2]}:federated-user/${name}` : null;
}

/** `arn:aws:iam::2222:role/path/Admin` + `bob` → `arn:aws:sts::2222:assumed-role/Admin/bob`. */
export function roleSessionArn(roleArn: string, sessionName: string): string | null {
  const match = /^arn:([^:]+):iam::(\d+):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  return match ? `arn:${match[1]}:sts::${match[2]}:assumed-role/${match[3]}/${sessionName}` : null;
}

function switchRoleHop(event: JsonObject, eventId: string, at: EpochSeconds): Hop | null {
  if (stringAt(event, 'responseElements', 'SwitchRole') !== 'Success') return null;
  const switchTo = stringAt(event, 'additionalEventData', 'SwitchTo');
  const switchFrom = stringAt(event, 'additionalEventData', 'SwitchFrom');
  const descriptor = describeIdentity(event);
  const console = (principal: string): ChildSpec => ({
    tag: 'assumed-role',
    principal,
    issuer: null,
    createdAt: at,
    accessKeyId: null,
    console: true,
    expiresAt: null,
  });
  if (switchTo && descriptor && descriptor.kind !== 'long-term') {
    // The console names the role session after the user who switched.
    const name = stringAt(event, 'userIdentity', 'userName') ?? descriptor.principal.split('/').pop() ?? '';
    const arn = roleSessionArn(switchTo, name);
    if (!arn) return null;
    const parent: ParentRef =
      descriptor.kind === 'temporary' && descriptor.createdAt !== null
        ? { kind: 'signer', descriptor, remote: false }
        : { kind: 'console-of', principal: descriptor.principal, at };
    return { kind: 'switch-role', eventId, sharedEventId: null, parent, child: console(arn) };
  }
  if (descriptor && descriptor.kind !== 'long-term' && descriptor.tag === 'assumed-role') {
    const parent: ParentRef | null = switchFrom ? { kind: 'console-of', principal: switchFrom, at } : null;
    return { kind: 'switch-role', eventId, sharedEventId: null, parent, child: console(descriptor.principal) };
  }
  return null;
}
