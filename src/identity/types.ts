/**
 * The identity layer's vocabulary. Branded strings keep an access key ID, a session key and an ARN
 * from being passed for one another; the unions below are what a `userIdentity` element and a hop
 * event are read into (see user-identity.ts and hops.ts).
 */
import type { JsonObject } from '../language/json';

declare const sessionKeyBrand: unique symbol;
/** The string `session()` returns; format in grammar/identity.md. */
export type SessionKey = string & { readonly [sessionKeyBrand]: true };

declare const accessKeyIdBrand: unique symbol;
/** An access key ID as CloudTrail logs it (`AKIA…`, `ASIA…`, see access-key.ts); never the secret or the token. */
export type AccessKeyId = string & { readonly [accessKeyIdBrand]: true };

/** Seconds since the epoch, UTC. CloudTrail times have one-second precision. */
export type EpochSeconds = number;

/** The `userIdentity.type` values CloudTrail documents (cloudtrail-event-reference-user-identity.md). */
export const USER_IDENTITY_TYPES = [
  'IAMUser',
  'Root',
  'AssumedRole',
  'FederatedUser',
  'AWSAccount',
  'AWSService',
  'SAMLUser',
  'WebIdentityUser',
  'IdentityCenterUser',
  'Role',
  'Directory',
  'Unknown',
] as const;
export type UserIdentityType = (typeof USER_IDENTITY_TYPES)[number];

/** The first segment of a session key: which kind of principal the session belongs to. */
export type SessionTag =
  | 'iam-user'
  | 'root'
  | 'assumed-role'
  | 'federated-user'
  | 'aws-account'
  | 'aws-service'
  | 'saml-user'
  | 'web-identity-user'
  | 'identity-center-user'
  | 'role'
  | 'directory'
  | 'unknown';

/**
 * What one event says about the credentials that signed it. Three shapes, because CloudTrail gives
 * three kinds of evidence: a long-term key (the key is the session), temporary credentials (a
 * session told apart by principal, issuer, creation time and key), or a principal alone (no
 * credential detail: console sign-in events, other accounts, services, federation callers).
 */
export type SessionDescriptor =
  | {
      readonly kind: 'long-term';
      readonly tag: 'iam-user' | 'root';
      readonly principal: string;
      readonly accessKeyId: AccessKeyId;
    }
  | {
      readonly kind: 'temporary';
      readonly tag: 'iam-user' | 'root' | 'assumed-role' | 'federated-user';
      /** The session's ARN (`…:assumed-role/Role/name`, `…:federated-user/Bob`) or the user's ARN. */
      readonly principal: string;
      /** Only for federated users, whose ARN does not name who issued the session. */
      readonly issuer: string | null;
      /** `sessionContext.attributes.creationDate`; null when the record lacks it. */
      readonly createdAt: EpochSeconds | null;
      /** null when `accessKeyId` is absent or empty (AWS documents both). */
      readonly accessKeyId: AccessKeyId | null;
      /** The event says its credentials came from a console sign-in. */
      readonly console: boolean;
      /**
       * For `AssumedRole`: the role, `sessionContext.sessionIssuer.arn`. Not part of the session key
       * (the session ARN names the role); kept so `chainOf(role ARN)` finds sessions whose ARN does not.
       */
      readonly role?: string | null;
    }
  | {
      readonly kind: 'principal';
      readonly tag: SessionTag;
      readonly principal: string;
    };

export type TemporaryDescriptor = Extract<SessionDescriptor, { kind: 'temporary' }>;

/** A link of an enrichment's chain: a session and the hop event that created it (null for the origin). */
export interface ChainLink {
  readonly session: SessionKey;
  readonly via: string | null;
}

/**
 * `_ctq` enrichment member, see grammar/identity.md. Every event gets one, so that `._ctq.chain[]`
 * works on every line: an event whose record names no identity at all (no `userIdentity`, or an
 * empty one) has no session and an empty chain.
 */
export type Enrichment =
  | {
      readonly session: SessionKey;
      /** Origin first; each element after the first names the hop event that created it. */
      readonly chain: readonly ChainLink[];
      readonly confidence: 'high' | 'ambiguous';
      /** Only when ambiguous: every session that may have created the ambiguous session. */
      readonly candidates?: readonly SessionKey[];
    }
  | { readonly session: null; readonly chain: readonly []; readonly confidence: 'none'; readonly candidates?: never };

/** What a chain covers, for a later LookupEvents crawl (by AccessKeyId, Username, EventId). */
export interface ChainKeys {
  readonly sessions: readonly SessionKey[];
  readonly accessKeyIds: readonly AccessKeyId[];
  readonly principals: readonly string[];
  readonly hopEventIds: readonly string[];
}

export type ChainKeysResult = { readonly ok: true; readonly keys: ChainKeys } | { readonly ok: false; readonly message: string };

export type ChainMatcherResult =
  | {
      readonly ok: true;
      readonly matches: (event: JsonObject) => boolean;
      /** The sessions x named; empty when x is well-formed but nothing in the input has it. */
      readonly targets: readonly SessionKey[];
    }
  | { readonly ok: false; readonly message: string };
