import { describe, expect, test } from 'vitest';
import {
  completeLinesLength,
  cursorAfterRead,
  keepPresentFiles,
  planFile,
  rereadWarning,
  type FileCursor,
  type FileIdentity,
} from '../../src/state';

const PLAIN: FileIdentity = { size: 1000, mtimeMs: 1_700_000_000_000, dev: 2049, ino: 77, gzip: false };
const NDJSON_READ: FileCursor = { ...PLAIN, offset: 1000, ndjson: true };
const GZIP: FileCursor = { ...PLAIN, gzip: true, offset: 1000, ndjson: false };

describe('planFile', () => {
  test('a file not read before is read whole', () => {
    expect(planFile(undefined, PLAIN)).toEqual({ read: 'whole', reason: 'new' });
    expect(planFile(undefined, { ...PLAIN, gzip: true })).toEqual({ read: 'whole', reason: 'new' });
  });

  test('an unchanged file is skipped', () => {
    expect(planFile(NDJSON_READ, PLAIN)).toEqual({ read: 'skip' });
    expect(planFile(GZIP, { ...PLAIN, gzip: true })).toEqual({ read: 'skip' });
  });

  test('an NDJSON file that grew is read from the end of the last complete line consumed', () => {
    const cursor: FileCursor = { ...NDJSON_READ, offset: 950 }; // the last 50 bytes were a line still being written
    expect(planFile(cursor, { ...PLAIN, size: 1500, mtimeMs: PLAIN.mtimeMs + 60_000 })).toEqual({ read: 'from', offset: 950 });
  });

  test('a file whose last line was incomplete and did not change is skipped, not re-read', () => {
    expect(planFile({ ...NDJSON_READ, offset: 950 }, PLAIN)).toEqual({ read: 'skip' });
  });

  test('a file with another inode or device is read whole as replaced', () => {
    expect(planFile(NDJSON_READ, { ...PLAIN, ino: 78 })).toEqual({ read: 'whole', reason: 'replaced' });
    expect(planFile(NDJSON_READ, { ...PLAIN, dev: 2050 })).toEqual({ read: 'whole', reason: 'replaced' });
    expect(planFile(GZIP, { ...PLAIN, ino: 78, gzip: true })).toEqual({ read: 'whole', reason: 'replaced' });
  });

  test('a file that shrank is read whole', () => {
    expect(planFile(NDJSON_READ, { ...PLAIN, size: 400, mtimeMs: PLAIN.mtimeMs + 1 })).toEqual({ read: 'whole', reason: 'shrank' });
  });

  test('a file smaller than what the last read consumed (it grew during that read) counts as shrunk', () => {
    const cursor: FileCursor = { ...NDJSON_READ, size: 1000, offset: 1200 };
    expect(planFile(cursor, { ...PLAIN, size: 1100 })).toEqual({ read: 'whole', reason: 'shrank' });
    expect(planFile(cursor, { ...PLAIN, size: 1300 })).toEqual({ read: 'from', offset: 1200 });
  });

  test('a gzip file that changed is read whole', () => {
    expect(planFile(GZIP, { ...PLAIN, gzip: true, size: 2000, mtimeMs: PLAIN.mtimeMs + 1 })).toEqual({ read: 'whole', reason: 'rewritten' });
    expect(planFile(GZIP, { ...PLAIN, gzip: true, mtimeMs: PLAIN.mtimeMs + 1 })).toEqual({ read: 'whole', reason: 'rewritten' });
  });

  test('a plain file that became gzip (or the reverse) is read whole', () => {
    expect(planFile(NDJSON_READ, { ...PLAIN, gzip: true, size: 1200 })).toEqual({ read: 'whole', reason: 'rewritten' });
    expect(planFile(GZIP, { ...PLAIN, size: 1200 })).toEqual({ read: 'whole', reason: 'rewritten' });
  });

  test('a plain JSON document that grew is read whole: its new bytes alone are not JSON', () => {
    const document: FileCursor = { ...PLAIN, offset: 1000, ndjson: false };
    expect(planFile(document, { ...PLAIN, size: 1400, mtimeMs: PLAIN.mtimeMs + 1 })).toEqual({ read: 'whole', reason: 'rewritten' });
  });

  test('a plain file rewritten in place at the same size is read whole', () => {
    expect(planFile(NDJSON_READ, { ...PLAIN, mtimeMs: PLAIN.mtimeMs + 1 })).toEqual({ read: 'whole', reason: 'rewritten' });
  });
});

describe('cursors after a read', () => {
  test('an NDJSON read keeps the offset of the last complete line', () => {
    expect(cursorAfterRead(PLAIN, { ndjson: true, consumedTo: 950 })).toEqual({ ...PLAIN, offset: 950, ndjson: true });
  });

  test('a gzip or document read counts as consumed to its size', () => {
    expect(cursorAfterRead({ ...PLAIN, gzip: true }, { ndjson: true, consumedTo: 12 }).offset).toBe(PLAIN.size);
    expect(cursorAfterRead(PLAIN, { ndjson: false, consumedTo: 0 }).offset).toBe(PLAIN.size);
  });

  test('completeLinesLength stops after the last newline', () => {
    expect(completeLinesLength(Buffer.from('{"a":1}\n{"b":2}\n{"c"'))).toBe(16);
    expect(completeLinesLength(Buffer.from('{"c"'))).toBe(0);
    expect(completeLinesLength(Buffer.from('{}\n'))).toBe(3);
  });

  test('planning from a cursor made after a read continues where that read stopped', () => {
    const cursor = cursorAfterRead(PLAIN, { ndjson: true, consumedTo: completeLinesLength(Buffer.alloc(PLAIN.size, 0x0a)) });
    expect(planFile(cursor, { ...PLAIN, size: 1800, mtimeMs: PLAIN.mtimeMs + 1 })).toEqual({ read: 'from', offset: 1000 });
  });
});

describe('re-read warnings and vanished files', () => {
  test('re-reading a known file whole warns that older events may repeat', () => {
    expect(rereadWarning('trail/a.json', { read: 'whole', reason: 'replaced' })).toMatch(/^trail\/a\.json was replaced .*emitted a second time/);
    expect(rereadWarning('a.json', { read: 'whole', reason: 'shrank' })).toMatch(/shrank/);
    expect(rereadWarning('a.json', { read: 'whole', reason: 'rewritten' })).toMatch(/changed/);
  });

  test('new, appended and skipped files do not warn', () => {
    expect(rereadWarning('a.json', { read: 'whole', reason: 'new' })).toBeNull();
    expect(rereadWarning('a.json', { read: 'from', offset: 5 })).toBeNull();
    expect(rereadWarning('a.json', { read: 'skip' })).toBeNull();
  });

  test('files that disappeared are dropped from the cursors', () => {
    const files = { 'a.json': NDJSON_READ, 'b.json.gz': GZIP, 'c.json': NDJSON_READ };
    expect(Object.keys(keepPresentFiles(files, new Set(['a.json', 'c.json', 'new.json'])))).toEqual(['a.json', 'c.json']);
  });
});
