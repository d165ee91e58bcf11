/**
 * A named stream of bytes: what the local reader reads, whatever holds the bytes (a file, stdin, a
 * FIFO, an S3 object, an Athena result). The reader inflates gzip, splits records and names them
 * `name:line` from this alone, so a new kind of input only has to say how to open its bytes.
 */
export interface ByteSource {
  /** How messages name the input: a path, `-` for stdin, `s3://bucket/key`. */
  readonly name: string;
  /** Total bytes when known up front (regular files, S3 objects); small gzips are then read whole. */
  readonly size?: number;
  /**
   * The bytes as stored (gzip is recognised by its magic bytes), from `start` when the source is
   * `seekable` (else from the beginning). Opens the input anew on each call. Ending the iteration
   * early, or aborting `signal`, must release the input (and end a read blocked on a pipe).
   */
  open(options?: ByteSourceOpenOptions): AsyncIterable<Uint8Array>;
  /** Can be read only once (stdin, a FIFO, `<(…)`): a second pass must spool it. */
  readonly once?: boolean;
  /** `open({ start })` honours `start` (regular files): incremental runs may resume there. */
  readonly seekable?: boolean;
}

export interface ByteSourceOpenOptions {
  readonly start?: number;
  readonly signal?: AbortSignal;
  /**
   * Buffers to read into, for a source that reads into buffers of its own choosing (files): the
   * reader lends them and reuses them once it is done with what was read. Others ignore this.
   */
  readonly buffers?: ReadBuffers;
}

/** Buffers a reader lends a byte source to read into. */
export interface ReadBuffers {
  /**
   * A buffer of at least `size` bytes; only its first `size` are read into. It is being filled (never
   * taken back) until the source says `filled`: a source may read ahead into it while the reader
   * is still busy with the bytes before.
   */
  take(size: number): Buffer;
  /** The read into `buffer` is over: from now on it is the reader's to take back once unused. */
  filled(buffer: Buffer): void;
}
