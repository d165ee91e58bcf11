/**
 * What the identity graph needs of an event to say its session: the event's identity descriptor, and
 * its time when that is a temporary key's record without a creation date (a recycled key's sessions are
 * then told apart by when the key was used). Plain data, found without the graph — on a scan worker that
 * holds none — and resolved with it where the graph is (`IdentityGraph.sessionOfRef`).
 */
import type { JsonObject } from '../language/json';
import { parseCloudTrailTime } from './creation-date';
import { descriptorId } from './descriptor-id';
import { stringAt } from './json-access';
import type { EpochSeconds, SessionDescriptor } from './types';
import { describeIdentity } from './user-identity';

export interface SessionRef {
  readonly descriptor: SessionDescriptor;
  /** The eventTime, read only when the descriptor alone cannot tell a recycled key's sessions apart. */
  readonly usedAt: EpochSeconds | null;
}

/** The event's reference, or null when it names no identity (its session is then null). */
export function sessionRefOf(event: JsonObject): SessionRef | null {
  const descriptor = describeIdentity(event);
  return descriptor === null ? null : refOf(event, descriptor);
}

/** Only records of a temporary key without a creation date pay for reading the time (this runs for every event). */
export function refOf(event: JsonObject, descriptor: SessionDescriptor): SessionRef {
  if (descriptor.kind !== 'temporary' || descriptor.createdAt !== null) return { descriptor, usedAt: null };
  const time = stringAt(event, 'eventTime');
  return { descriptor, usedAt: time ? parseCloudTrailTime(time) : null };
}

/**
 * A text equal for two references exactly when the graph resolves them alike (every field of both): the
 * descriptor's id (descriptor-id.ts, every field, each string after its length) and the time. For the
 * descriptors describeIdentity makes it is equal exactly when their JSON is (`descriptorIdText`: that id,
 * when the caller has it already).
 */
export function sessionRefId(ref: SessionRef, descriptorIdText: string = descriptorId(ref.descriptor)): string {
  return `${descriptorIdText}@${ref.usedAt}`;
}
