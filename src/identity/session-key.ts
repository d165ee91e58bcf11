/**
 * Session keys: the strings `session()` returns. Format (grammar/identity.md):
 *   long-term key      <tag>:<principal ARN>#<AKIA…, or a key of unknown kind>
 *   temporary session  <tag>:<principal ARN>[~<issuer ARN>]@<creationDate>#<ASIA…|ABIA…|other key|console|?>
 *   principal only     <tag>:<principal>
 * `console` replaces the key for console sessions, whose calls use a different key per region but
 * share the sign-in's creationDate; `?` stands for a time or key the record does not carry.
 */
import type { JsonObject } from '../language/json';
import { formatCloudTrailTime } from './creation-date';
import type { SessionDescriptor, SessionKey } from './types';
import { describeIdentity } from './user-identity';

export function formatSessionKey(descriptor: SessionDescriptor): SessionKey {
  switch (descriptor.kind) {
    case 'long-term':
      return `${descriptor.tag}:${descriptor.principal}#${descriptor.accessKeyId}` as SessionKey;
    case 'temporary': {
      const issuer = descriptor.issuer ? `~${descriptor.issuer}` : '';
      const time = descriptor.createdAt === null ? '?' : formatCloudTrailTime(descriptor.createdAt);
      // Console keys are merged only under a known creationDate: that shared date is what makes them one session.
      const console = descriptor.console && descriptor.createdAt !== null;
      const key = console ? 'console' : (descriptor.accessKeyId ?? '?');
      return `${descriptor.tag}:${descriptor.principal}${issuer}@${time}#${key}` as SessionKey;
    }
    case 'principal':
      return `${descriptor.tag}:${descriptor.principal}` as SessionKey;
  }
}

/** The event's session key from the event alone (no graph): what `session()` returns without `--chain` data. */
export function sessionKeyOf(event: JsonObject): SessionKey | null {
  const descriptor = describeIdentity(event);
  return descriptor ? formatSessionKey(descriptor) : null;
}

/** Session keys begin with one of these tags; used to tell a session key from other strings. */
export const SESSION_KEY_PATTERN =
  /^(iam-user|root|assumed-role|federated-user|aws-account|aws-service|saml-user|web-identity-user|identity-center-user|role|directory|unknown):./;
