/** The prefetch bound: objects are fetched ahead of the scan, but never more than `ahead` of them or AHEAD_BYTES. */
import pLimit from 'p-limit';
import { expect, test } from 'vitest';
import type { S3Sdk } from '../../src/sources/s3/client';
import { emptyS3Counters } from '../../src/sources/s3/counters';
import type { ListedObject } from '../../src/sources/s3/listing';
import { AHEAD_BYTES, prefetchObjects } from '../../src/sources/s3/objects';

/** A client that answers every GET at once with a few bytes, and counts the GETs started. The real client and server are in s3-inputs.test.ts. */
function countingFetcher() {
  const started: string[] = [];
  const sdk = { GetObjectCommand: class { constructor(readonly input: { Key: string }) {} } } as unknown as S3Sdk;
  const client = {
    send: async (command: { input: { Key: string } }) => {
      started.push(command.input.Key);
      return { Body: (async function* () { yield new Uint8Array([1, 2, 3]); })() };
    },
  };
  return { started, fetcher: { s3: sdk, client: client as never, bucket: 'b', counters: emptyS3Counters(), limit: pLimit(16), onFailed: () => {} } };
}

async function* listed(count: number, size: number): AsyncGenerator<ListedObject> {
  for (let i = 0; i < count; i++) yield { key: `k${i}`, size, lastModifiedMs: 0 };
}

test('small objects: up to `ahead` GETs run before the scan takes the first', async () => {
  const { started, fetcher } = countingFetcher();
  const sources = prefetchObjects(listed(100, 1000), fetcher, 8);
  const first = await sources.next();
  await new Promise((r) => setTimeout(r, 10));
  expect(started.length).toBe(9);
  expect(first.value!.name).toBe('s3://b/k0');
  let n = 1;
  for await (const source of sources) {
    for await (const piece of source.open()) expect(piece.length).toBe(3);
    n++;
  }
  expect(n).toBe(100);
});

test('large objects: what is held ahead stays within AHEAD_BYTES', async () => {
  const { started, fetcher } = countingFetcher();
  const size = 20 << 20;
  const sources = prefetchObjects(listed(20, size), fetcher, 32);
  await sources.next();
  await new Promise((r) => setTimeout(r, 10));
  expect(started.length).toBe(Math.floor(AHEAD_BYTES / size) + 1);
  await sources.return(undefined);
});
