/** `--state FILE`: continuing cron runs where the last one ended, with no event lost and none repeated. */
export {
  DEFAULT_RECENT_CAP,
  DIGEST_HEX_LENGTH,
  RecentIds,
  eventIdDigest,
  type AddOutcome,
  type RecentIdsParse,
  type SerialisedRecentIds,
} from './recent-ids';
export {
  completeLinesLength,
  cursorAfterRead,
  keepPresentFiles,
  planFile,
  rereadWarning,
  type FileCursor,
  type FileIdentity,
  type FilePlan,
  type WholeReadReason,
} from './file-cursors';
export { nextWindow, pruneHorizonMs } from './window';
export { FINGERPRINT_HEX_LENGTH, queryFingerprint, type FingerprintedQuery } from './fingerprint';
export {
  STATE_FORMAT,
  STATE_VERSION,
  createState,
  loadState,
  nodeWriteSteps,
  saveState,
  serialiseState,
  type AtomicWriteSteps,
  type CtqState,
  type LoadResult,
  type SaveResult,
} from './state-file';
export { lockPathFor, lockState, type LockResult } from './state-lock';
export { PUBLISH_SKEW_MS, S3Cursors, type S3ListingCursor } from './s3-cursors';
