/**
 * Session references by id (session-ref.ts): scans fold and spool matches by these ids, so two references
 * must share one exactly when they are the same reference, field for field.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventIdentity, refOf, sessionRefId, sessionRefOf, type SessionRef } from '../../src/identity';
import type { JsonObject } from '../../src/language/json';

const dir = 'fixtures/identity';
const events: JsonObject[] = readdirSync(dir)
  .filter((name) => name.endsWith('.ndjson'))
  .flatMap((name) => readFileSync(join(dir, name), 'utf8').split('\n'))
  .concat(readFileSync('fixtures/events.ndjson', 'utf8').split('\n'))
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as JsonObject);

describe('a session reference id', () => {
  const refs = events.map(sessionRefOf).filter((ref): ref is SessionRef => ref !== null);

  it('is equal for two references exactly when every field of both is', () => {
    const whole = (ref: SessionRef) => JSON.stringify([ref.descriptor, ref.usedAt]);
    let same = 0;
    for (const a of refs) {
      for (const b of refs) {
        const equal = whole(a) === whole(b);
        expect(sessionRefId(a) === sessionRefId(b), `${whole(a)} / ${whole(b)}`).toBe(equal);
        if (equal && a !== b) same++;
      }
    }
    // Both answers occur: references that are the same session, and many that are not.
    expect(same).toBeGreaterThan(0);
    expect(new Set(refs.map((ref) => sessionRefId(ref))).size).toBeGreaterThan(20);
  });

  it('is the same when the event was described once for several readers', () => {
    const identity = new EventIdentity();
    for (const event of events) {
      const descriptor = identity.descriptor(event);
      const ref = sessionRefOf(event);
      expect(descriptor === null ? null : sessionRefId(refOf(event, descriptor), identity.descriptorId(event)!)).toBe(ref === null ? null : sessionRefId(ref));
    }
  });
});
