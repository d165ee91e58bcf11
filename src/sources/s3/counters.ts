/** What reading S3 cost, for `--stats` and the progress line. HTTP attempts are counted, retries included. */
export interface S3Counters {
  /** Objects opened for reading (listed objects that pruning, --state or a digest name did not skip). */
  objects: number;
  /** Objects S3 returned in listings (including those a window or --state then skipped). */
  objectsListed: number;
  /** Bytes received in object bodies, as stored (compressed). */
  bytesRead: number;
  listCalls: number;
  getCalls: number;
  /** Objects that could not be read, after retries. */
  failedObjects: number;
}

export function emptyS3Counters(): S3Counters {
  return { objects: 0, objectsListed: 0, bytesRead: 0, listCalls: 0, getCalls: 0, failedObjects: 0 };
}
