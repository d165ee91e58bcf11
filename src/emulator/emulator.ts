/**
 * `startEmulator`: load the data, then serve LookupEvents on loopback. The CLI (`main.ts`), the
 * tests and the benchmarks all start it through here.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JsonObject } from '../language/json';
import { formatOrigin, type SourceItem } from '../sources/source-item';
import { readLocalEvents } from '../scan/read-events';
import type { Discovery } from '../sources/local/discover';
import { FaultInjector, NO_FAULTS, type FaultOptions } from './faults';
import { toLookupEvent, type LookupEvent } from './lookup-event';
import { NextTokenCodec } from './next-token';
import { createRequestListener, newCounters, type EmulatorCounters } from './server';
import { EventStore, type StoreSummary } from './store';
import { LOOKUP_EVENTS_TPS, RateLimiter } from './throttle';

/** Where the events come from: files and directories as ctq's `--input` reads them, or records in memory. */
export type EmulatorData =
  | { readonly kind: 'paths'; readonly paths: readonly string[] }
  | { readonly kind: 'events'; readonly events: Iterable<JsonObject> };

export interface EmulatorOptions {
  readonly data: EmulatorData;
  /** Default 0: a free port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** LookupEvents per second per account and region; default 2 (the documented quota), 0 = unlimited. */
  readonly rate?: number;
  /** The account served to callers no `keyAccounts` entry names. */
  readonly account?: string | null;
  /** Access key ID → account. */
  readonly keyAccounts?: ReadonlyMap<string, string>;
  readonly faults?: Partial<FaultOptions>;
  /** Diagnostics (bad records, startup summary); default: a line on stderr. */
  readonly log?: (line: string) => void;
  /** Log one line per request. */
  readonly verbose?: boolean;
}

export interface RunningEmulator {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly summary: StoreSummary;
  readonly counters: Readonly<EmulatorCounters>;
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const log = options.log ?? ((line: string) => process.stderr.write(`ctq-emulator: ${line}\n`));
  const store = EventStore.build(await loadEvents(options.data, log));
  const counters = newCounters();
  const listener = createRequestListener({
    store,
    accounts: { keyAccounts: options.keyAccounts ?? new Map(), account: options.account ?? null },
    limiter: new RateLimiter(options.rate ?? LOOKUP_EVENTS_TPS),
    faults: new FaultInjector({ ...NO_FAULTS, seed: randomSeed(), ...options.faults }),
    tokens: new NextTokenCodec(),
    counters,
    log,
    verbose: options.verbose === true,
  });
  const server = createServer({ keepAlive: true }, listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const { summary } = store;
  log(
    `serving ${summary.events} events` +
      (summary.duplicates > 0 ? ` (${summary.duplicates} duplicate eventIDs dropped)` : '') +
      ` for accounts [${summary.accounts.join(', ')}] in regions [${summary.regions.join(', ')}]`,
  );
  return {
    url: `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`,
    summary,
    counters,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}

/** Every servable record; unreadable ones are reported and skipped, data events counted and skipped. */
async function loadEvents(data: EmulatorData, log: (line: string) => void): Promise<LookupEvent[]> {
  const events: LookupEvent[] = [];
  let notServed = 0;
  const take = (item: SourceItem): void => {
    if (item.kind === 'bad') {
      log(`skipped ${formatOrigin(item.origin)}: ${item.message}`);
      return;
    }
    const conversion = toLookupEvent(item.event, item.text);
    if (conversion.kind === 'event') events.push(conversion.event);
    else if (conversion.kind === 'not-served') notServed += 1;
    else log(`skipped ${formatOrigin(item.origin)}: ${conversion.message}`);
  };
  if (data.kind === 'paths') {
    // A data path that is not there is a mistake in the command, not a bad record: refuse to serve.
    const missing = new Map<string, string>();
    const onDiscovery = (discovery: Discovery): void => {
      if (discovery.kind === 'missing') missing.set(discovery.path, discovery.message);
    };
    for await (const item of readLocalEvents(data.paths, { onDiscovery })) {
      if (item.kind !== 'bad' || !missing.has(item.origin.source)) take(item);
    }
    if (missing.size > 0) {
      throw new Error(`cannot read --data ${[...missing].map(([path, message]) => `${path}: ${message}`).join('; ')}`);
    }
  } else {
    let index = 0;
    for (const event of data.events) take({ kind: 'event', event, text: null, origin: { source: 'events', line: ++index } });
  }
  if (notServed > 0) log(`left out ${notServed} data or network-activity events: event history holds management and Insights events only`);
  return events;
}

function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 32);
}
