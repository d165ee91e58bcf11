/** Identity: who is behind an event's credentials, and every session grown from them. */
export { sessionKeyOf } from './session-key';
export { accessKeyKind, type AccessKeyKind } from './access-key';
export { IDENTITY_MEMBERS, IdentityFactsGatherer, IdentityGraphBuilder, graphOf, type IdentityFacts } from './graph-builder';
export { HOP_EVENT_NAMES } from './hops';
export { NO_IDENTITY_ENRICHMENT, type IdentityGraph } from './graph';
export { sessionRefOf, sessionRefId, refOf, type SessionRef } from './session-ref';
export { EventIdentity } from './event-identity';
export { identityFunctions, ChainArgumentError } from './functions';
export { parseCloudTrailTime, parseCredentialExpiration, formatCloudTrailTime } from './creation-date';
export { CREATION_TOLERANCE_SECONDS } from './session-index';
export { hideIssuedSecrets } from './issued-secrets';
export type {
  AccessKeyId,
  ChainKeys,
  ChainKeysResult,
  ChainMatcherResult,
  Enrichment,
  SessionDescriptor,
  SessionKey,
  UserIdentityType,
} from './types';
