/** Small facts about local files that several readers need: gzip or not, and I/O errors in words. */
import { open } from 'node:fs/promises';

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

/** A file-system or inflate error as the few words a user needs. */
export function describeIoError(error: unknown): string {
  const e = error as NodeJS.ErrnoException | null;
  if (e?.code === 'Z_DATA_ERROR' || e?.code === 'Z_BUF_ERROR') return `corrupt gzip data (${e.message})`;
  if (e?.code === 'ENOENT') return 'no such file or directory';
  if (e?.code === 'EACCES') return 'permission denied';
  if (e?.code === 'EISDIR') return 'is a directory';
  return e instanceof Error ? e.message : String(error);
}
