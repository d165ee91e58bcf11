/** Small facts about local files that several readers need: gzip or not, and I/O errors in words. */
import { open } from 'node:fs/promises';
import type { Loss } from '../source-item';

/** gzip's magic bytes 1f 8b: trail files are delivered gzipped; sync tools and users may or may not unpack them. */
export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** Whether the file starts with gzip's magic bytes; null when it cannot be opened (the reader reports why). */
export async function fileIsGzip(path: string): Promise<boolean | null> {
  try {
    const handle = await open(path, 'r');
    try {
      const head = Buffer.alloc(2);
      const { bytesRead } = await handle.read(head, 0, 2, 0);
      return isGzip(head.subarray(0, bytesRead));
    } finally {
      await handle.close();
    }
  } catch {
    return null;
  }
}

/**
 * An inflate error as what it means for the data. zlib stops at the first fault; what it inflated
 * before stands (as `gzip -dc` prints it), so each message says what happened after that point.
 */
export function describeGzipError(error: unknown, inflated: number): { readonly message: string; readonly loss: Loss } {
  const e = error as NodeJS.ErrnoException | null;
  const message = e instanceof Error ? e.message : String(error);
  if (/unexpected end of file/.test(message)) return { message: 'gzip data ends early (truncated file): the records before the end were read', loss: 'rest' };
  if (/incorrect data check|incorrect length check/.test(message)) {
    return { message: 'gzip checksum does not match at the end of the data: every record was read, but the data may be damaged', loss: 'none' };
  }
  if (/incorrect header check|unknown compression method/.test(message) && inflated > 0) {
    return { message: 'bytes after the gzip data are not gzip: ignored, as gzip -dc does', loss: 'none' };
  }
  return { message: describeIoError(error), loss: 'rest' };
}

/** A file-system or inflate error as the few words a user needs. */
export function describeIoError(error: unknown): string {
  const e = error as NodeJS.ErrnoException | null;
  if (e?.code === 'Z_DATA_ERROR' || e?.code === 'Z_BUF_ERROR') return `corrupt gzip data (${e.message})`;
  if (e?.code === 'ENOENT') return 'no such file or directory';
  if (e?.code === 'EACCES') return 'permission denied';
  if (e?.code === 'EISDIR') return 'is a directory';
  if (e?.code === 'ELOOP') return 'too many levels of symbolic links';
  return e instanceof Error ? e.message : String(error);
}
