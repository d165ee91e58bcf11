/**
 * NextToken: an opaque string the client hands back unchanged. Ours is base64 of
 * `position.queryHash.mac`, where `position` is where the next page starts in the partition,
 * `queryHash` fingerprints the request's parameters, and `mac` is an HMAC with a per-process key.
 *
 * API_LookupEvents: the token "must be passed in with the same parameters that were specified in
 * the original call"; InvalidNextTokenException is "thrown if the token is not valid" or was used
 * with different parameters. A tampered, foreign or stale (previous process) token fails the MAC.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export class NextTokenCodec {
  #key: Buffer;

  constructor(key: Buffer = randomBytes(32)) {
    this.#key = key;
  }

  /** A new key, as a restarted process would have: every token issued before is now invalid. */
  rotate(): void {
    this.#key = randomBytes(32);
  }

  encode(position: number, fingerprint: string): string {
    const body = `${position}.${hashOf(fingerprint)}`;
    return Buffer.from(`${body}.${this.#mac(body)}`, 'utf8').toString('base64');
  }

  /** The position the token continues from, or null if it is not one of ours for this very query. */
  decode(token: string, fingerprint: string): number | null {
    const text = Buffer.from(token, 'base64').toString('utf8');
    const parts = text.split('.');
    if (parts.length !== 3) return null;
    const [position, queryHash, mac] = parts as [string, string, string];
    const body = `${position}.${queryHash}`;
    const expected = Buffer.from(this.#mac(body), 'utf8');
    const given = Buffer.from(mac, 'utf8');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    if (queryHash !== hashOf(fingerprint)) return null;
    if (!/^\d+$/.test(position)) return null;
    return Number(position);
  }

  #mac(body: string): string {
    return createHmac('sha256', this.#key).update(body).digest('base64url');
  }
}

function hashOf(fingerprint: string): string {
  return createHash('sha256').update(fingerprint).digest('base64url').slice(0, 22);
}
