/**
 * One event's identity, described once however many ask: a one-pass match is described for the graph's facts
 * (graph-builder.ts) and again for its session reference (session-ref.ts), with the descriptor's id for both.
 * Only the event last asked about is remembered, by identity: an event is never changed once parsed.
 */
import type { JsonObject } from '../language/json';
import { descriptorId } from './descriptor-id';
import type { SessionDescriptor } from './types';
import { describeIdentity } from './user-identity';

export class EventIdentity {
  private event: JsonObject | null = null;
  private described: SessionDescriptor | null = null;
  private id: string | null = null;

  /** `describeIdentity(event)`. */
  descriptor(event: JsonObject): SessionDescriptor | null {
    if (event !== this.event) {
      this.event = event;
      this.described = describeIdentity(event);
      this.id = null;
    }
    return this.described;
  }

  /** `descriptorId` of the event's descriptor (null when it has none). */
  descriptorId(event: JsonObject): string | null {
    const descriptor = this.descriptor(event);
    if (descriptor === null) return null;
    this.id ??= descriptorId(descriptor);
    return this.id;
  }
}
