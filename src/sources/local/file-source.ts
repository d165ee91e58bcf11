/**
 * Local inputs as byte sources: regular files (seekable, sized), stdin, and named pipes — a FIFO
 * or the `/dev/fd/63` that `--input <(zcat …)` passes — which are read like stdin: once, in order,
 * never sought (a positioned read on a pipe fails with ESPIPE).
 */
import { closeSync, constants, createReadStream, open as openCallback, readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import type { ByteSource, ByteSourceOpenOptions } from '../byte-source';
import type { InputFile } from './discover';

const openDescriptor = promisify(openCallback);

/** Read size for files: chunks are cut near 1 MiB, so reading in the same steps keeps copies few. */
const READ_BYTES = 1 << 20;

/**
 * Files up to this size are read whole with one blocking call. A trail file is a few KB to a few
 * hundred: a stream costs it an open, a read, an empty read and a close, each a round trip through
 * libuv's thread pool and the event loop, and a tree of thousands of them spends more on that than
 * on reading.
 */
const READ_WHOLE_BYTES = 1 << 20;

export function byteSourceOf(file: InputFile, stdin: Readable = process.stdin): ByteSource {
  switch (file.kind) {
    case 'stdin':
      return { name: '-', once: true, open: (options) => untilAborted(stdin, options?.signal) };
    case 'file':
      return {
        name: file.path,
        size: file.size,
        seekable: true,
        open: (options) =>
          (options?.start ?? 0) === 0 && file.size <= READ_WHOLE_BYTES ? readWhole(file.path, options?.signal) : readFile(file.path, file.size, options),
      };
    case 'pipe':
      return { name: file.path, once: true, open: (options) => readPipe(file.path, options) };
    case 'stream':
      return file;
  }
}

/**
 * A regular file, read straight into buffers the reader lends (else fresh ones): the reader hands
 * on what it cuts from them as views, never copied on this thread. A read
 * stream costs several times more for the same bytes (stream machinery per read, and a promise and
 * event per piece), which showed as a large share of a plain scan.
 */
async function* readFile(path: string, size: number, options: ByteSourceOpenOptions | undefined): AsyncGenerator<Uint8Array> {
  const signal = options?.signal;
  if (signal?.aborted) return;
  const handle = await open(path, 'r');
  const buffers = options?.buffers;
  // Each read is a round trip through libuv's thread pool, during which this thread would wait:
  // the next read is started before the bytes of this one are handed on, so it runs while they
  // are scanned (a selective scan of 150 MB waited ~110 ms on reads).
  const readAt = async (position: number, want: number) => {
    const buffer = buffers?.take(want) ?? Buffer.allocUnsafeSlow(want);
    const { bytesRead } = await handle.read(buffer, 0, want, position);
    return { buffer, bytesRead, want };
  };
  let pending: ReturnType<typeof readAt> | null = null;
  try {
    let position = options?.start ?? 0;
    // A trail file is a few KB: a 1 MiB buffer for each of thousands of them is mostly garbage. One
    // byte more than the size expected lets a file that has not grown end in one read and a check.
    pending = readAt(position, Math.min(READ_BYTES, Math.max(64 * 1024, size - position + 1)));
    for (;;) {
      if (signal?.aborted) return;
      const { buffer, bytesRead, want } = await pending;
      pending = null;
      if (bytesRead === 0) return;
      position += bytesRead;
      // After a short read the file is most likely at its end: a small buffer finds that out.
      pending = readAt(position, bytesRead === want ? READ_BYTES : 64 * 1024);
      // Not awaited until the bytes before it are dealt with; a failure is thrown then.
      pending.catch(() => {});
      // Only now the reader's: a buffer read ahead into must not be taken back before it is handed on.
      buffers?.filled(buffer);
      yield bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
    }
  } finally {
    // A read still going would write into a closed descriptor's buffer (or a reused one): let it end.
    await pending?.catch(() => {});
    await handle.close();
  }
}

/** The whole file as it is now (it may have grown since it was stat'ed: what is there is read, as a stream would). */
async function* readWhole(path: string, signal: AbortSignal | undefined): AsyncGenerator<Uint8Array> {
  if (signal?.aborted) return;
  const bytes = readFileSync(path);
  if (bytes.length > 0) yield bytes;
}

/** Ends the stream's iteration when `signal` aborts. */
async function* untilAborted(stream: Readable, signal: AbortSignal | undefined): AsyncGenerator<Uint8Array> {
  if (signal?.aborted) return;
  const onAbort = () => stream.destroy();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const piece of stream) yield piece as Uint8Array;
  } catch (error) {
    if (signal?.aborted) return;
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * A named pipe: opening it waits for a writer, and reads wait for data. The open runs on libuv's
 * thread pool where nothing can cancel it, so an abort opens the pipe's other end for a moment
 * (which lets the waiting open return); reads then go through an event-loop pipe handle, which a
 * destroy ends at once.
 */
async function* readPipe(path: string, options: ByteSourceOpenOptions | undefined): AsyncGenerator<Uint8Array> {
  const signal = options?.signal;
  if (signal?.aborted) return;
  const release = () => {
    void open(path, constants.O_WRONLY | constants.O_NONBLOCK).then(
      (writer) => writer.close(),
      () => {},
    );
  };
  signal?.addEventListener('abort', release, { once: true });
  let fd: number;
  try {
    // A bare descriptor, not a FileHandle: the socket below owns and closes it (a FileHandle would
    // close it again when collected, perhaps after the number was reused).
    fd = await openDescriptor(path, constants.O_RDONLY);
  } finally {
    signal?.removeEventListener('abort', release);
  }
  if (signal?.aborted) {
    closeSync(fd);
    return;
  }
  let socket: Socket;
  try {
    socket = new Socket({ fd, readable: true, writable: false });
  } catch {
    // Not a pipe after all (a character device, say): read it as a plain stream, without seeking.
    yield* untilAborted(createReadStream('', { fd, highWaterMark: READ_BYTES }), signal);
    return;
  }
  try {
    yield* untilAborted(socket, signal);
  } finally {
    socket.destroy();
  }
}
