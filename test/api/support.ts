/** Shared pieces of the LookupEvents tests: the emulator on synthetic data, and a plan builder. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JsonObject } from '../../src/language/json';
import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator';
import type { FaultOptions } from '../../src/emulator/faults';
import type { Lookup, LookupAttribute, Plan } from '../../src/query/plan';
import type { ApiConnection } from '../../src/sources/cloudtrail-api/client';
import type { SourceItem } from '../../src/sources/source-item';
import { syntheticEvents } from '../support/synthetic-events';

export const REGIONS = ['us-east-1', 'eu-west-1', 'us-west-2', 'ap-southeast-2'];
export const WINDOW = { fromMs: Date.parse('2026-11-01T00:00:00Z'), toMs: Date.parse('2026-11-21T00:00:00Z') };

export function testEvents(count = 1200, seed = 7): JsonObject[] {
  return syntheticEvents({ count, seed, regions: REGIONS, accounts: ['111122223333'], start: new Date('2026-11-10T00:00:00Z'), end: new Date('2026-11-20T00:00:00Z') });
}

export function emulator(events: readonly JsonObject[], options: { rate?: number; faults?: Partial<FaultOptions> } = {}): Promise<RunningEmulator> {
  return startEmulator({ data: { kind: 'events', events }, port: 0, rate: options.rate ?? 0, faults: { seed: 3, ...options.faults }, log: () => {} });
}

export function connectionTo(url: string | ((region: string) => string | undefined), maxAttempts = 8): ApiConnection {
  return { endpointUrl: url, maxAttempts, credentials: { accessKeyId: 'AKIATESTKEY', secretAccessKey: 'test-secret' } };
}

export function planOf(regions: readonly string[], ...attributes: (LookupAttribute | null)[]): Plan {
  const lookups: Lookup[] = regions.flatMap((region) =>
    attributes.map((attribute) => ({ region, attribute, covers: 'test', fromMs: WINDOW.fromMs, toMs: WINDOW.toMs })),
  );
  return { lookups, regions, window: WINDOW, warnings: [] };
}

export async function collect(items: AsyncIterable<SourceItem>): Promise<SourceItem[]> {
  const out: SourceItem[] = [];
  for await (const item of items) out.push(item);
  return out;
}

export function eventsOf(items: readonly SourceItem[]): JsonObject[] {
  return items.flatMap((i) => (i.kind === 'event' ? [i.event] : []));
}

/** A server that answers every LookupEvents call with one AWS JSON-protocol error. */
export async function errorServer(type: string, status: number, message: string): Promise<{ url: string; requests: () => number; close(): Promise<void> }> {
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests += 1;
    req.resume();
    req.on('end', () => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type });
      res.end(JSON.stringify({ __type: type, message }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
