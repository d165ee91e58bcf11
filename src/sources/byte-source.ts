/**
 * A named stream of bytes: what the local reader reads, whatever holds the bytes (a file, stdin, a
 * FIFO, an S3 object, an Athena result). The reader inflates gzip, splits records and names them
 * `name:line` from this alone, so a new kind of input only has to say how to open its bytes.
 */
export interface ByteSource {
  /** How messages name the input: a path, `-` for stdin, `s3://bucket/key`. */
  readonly name: string;
  /** Total bytes when known up front (regular files, S3 objects); lets small inputs be read whole. */
  readonly size?: number;
  /**
   * The bytes, from the start (or from `start` when the source can seek; a source that cannot
   * ignores it and the reader skips). Raw as stored: gzip is recognised by its magic bytes.
   * Each call opens the input anew; a source that can only be read once (stdin, a FIFO) says so
   * with `once`.
   */
  open(start?: number): AsyncIterable<Uint8Array>;
  /** True for inputs that can be read only once (pipes): a second pass must spool them. */
  readonly once?: boolean;
  /** True when `open(start)` honours `start` (regular files): incremental runs may resume there. */
  readonly seekable?: boolean;
}
