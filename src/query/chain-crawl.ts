/**
 * `chainOf()` against LookupEvents: a targeted crawl instead of 90 days of everything. LookupEvents
 * cannot search response elements, so the hops are found by EventName (every STS and sign-in hop
 * in the window), and each session's activity by AccessKeyId; each round follows the keys the
 * identity graph learned in the last one, in every requested region, until the chain is closed.
 * Console sessions have no key to look up (the console mints one per region, logged nowhere), so
 * their activity is looked up by Username (the user or role-session name; the AWS CLI's own
 * `lookup-events` example shows an assumed role's events under its session name) and checked
 * client-side. Extra lookups only add candidates: every event is re-checked against the graph.
 */
import type { ClosedWindow } from '../time/window';
import { accessKeyKind, graphOf, type IdentityGraph } from '../identity';
import type { JsonObject } from '../language/json';
import type { SourceItem } from '../sources/source-item';
import type { Lookup, LookupAttribute } from './plan';

/** The events that create sessions (grammar/identity.md lists the linking evidence of each). */
export const HOP_EVENT_NAMES = [
  'AssumeRole',
  'AssumeRoleWithSAML',
  'AssumeRoleWithWebIdentity',
  'GetSessionToken',
  'GetFederationToken',
  'ConsoleLogin',
  'SwitchRole',
] as const;

/** A round stops growing the chain after this many rounds (each round is one step down or up). */
const MAX_ROUNDS = 12;

export interface CrawlFetch {
  (lookups: readonly Lookup[]): { readonly items: AsyncIterable<SourceItem>; readonly done: Promise<void> };
}

export interface CrawlInput {
  /** The chainOf() arguments. */
  readonly targets: readonly string[];
  readonly regions: readonly string[];
  readonly window: ClosedWindow;
  readonly fetch: CrawlFetch;
  readonly signal?: AbortSignal;
  onBad(item: Extract<SourceItem, { kind: 'bad' }>): void;
}

export interface CrawledEvent {
  readonly event: JsonObject;
  readonly text: string | null;
}

export interface CrawlResult {
  /** Every event fetched (deduplicated by eventID), in the order first seen. */
  readonly events: readonly CrawledEvent[];
  /** The identity graph over all of them. */
  readonly graph: IdentityGraph;
  readonly rounds: number;
}

export async function crawlChains(input: CrawlInput): Promise<CrawlResult> {
  const byId = new Map<string, CrawledEvent>();
  const withoutId: CrawledEvent[] = [];
  const asked = new Set<string>();
  const lookupsFor = (attributes: readonly LookupAttribute[]): Lookup[] => {
    const fresh = attributes.filter((a) => !asked.has(`${a.key}=${a.value}`));
    for (const a of fresh) asked.add(`${a.key}=${a.value}`);
    return fresh.flatMap((attribute) =>
      input.regions.map((region) => ({ region, attribute, fromMs: input.window.fromMs, toMs: input.window.toMs, covers: `chainOf: ${attribute.key} ${attribute.value}` })),
    );
  };

  let next = lookupsFor([
    ...HOP_EVENT_NAMES.map((name): LookupAttribute => ({ key: 'EventName', value: name })),
    ...input.targets.filter((target) => accessKeyKind(target) !== null).map((key): LookupAttribute => ({ key: 'AccessKeyId', value: key })),
    // A user or session named by ARN may have made no hop at all: look its activity up by name too.
    ...input.targets.flatMap((target): LookupAttribute[] => {
      const name = target.startsWith('arn:') ? usernameOf(`${target}#`) : null;
      return name === null ? [] : [{ key: 'Username', value: name }];
    }),
  ]);
  let graph = graphOf([]);
  let rounds = 0;
  while (next.length > 0 && rounds < MAX_ROUNDS && !input.signal?.aborted) {
    rounds++;
    const { items, done } = input.fetch(next);
    for await (const item of items) {
      if (item.kind === 'bad') {
        input.onBad(item);
        continue;
      }
      const id = item.event.eventID;
      if (typeof id !== 'string') withoutId.push({ event: item.event, text: item.text });
      else if (!byId.has(id)) byId.set(id, { event: item.event, text: item.text });
    }
    await done;
    graph = graphOf([...byId.values(), ...withoutId].map((crawled) => crawled.event));
    next = lookupsFor(input.targets.flatMap((target) => followUps(graph, target)));
  }
  return { events: [...byId.values(), ...withoutId], graph, rounds };
}

/**
 * The lookups that could add to target's chain: its keys, and the user or session name of each of
 * its sessions — the only way to reach records that carry no key (AWS documents `accessKeyId` as
 * possibly absent or empty) and console sessions, whose per-region keys no hop reveals.
 */
function followUps(graph: IdentityGraph, target: string): LookupAttribute[] {
  const chain = graph.keysOfChain(target);
  if (!chain.ok) return [];
  const attributes: LookupAttribute[] = chain.keys.accessKeyIds.map((key) => ({ key: 'AccessKeyId', value: key }));
  for (const session of chain.keys.sessions) {
    if (!/@/.test(session) && !/#(console|\?)$/.test(session)) continue; // long-term keys: found by key
    const name = usernameOf(session);
    if (name !== null) attributes.push({ key: 'Username', value: name });
  }
  return attributes;
}

/** `iam-user:arn:aws:iam::1:user/dave@…#console` → `dave`; `assumed-role:…:assumed-role/Admin/dave@…` → `dave`. */
function usernameOf(sessionKey: string): string | null {
  const match = /:(?:user|assumed-role\/[^/@]+|federated-user)\/(?:[^@#~]*\/)?([^/@#~]+)[@#~]/.exec(sessionKey);
  return match?.[1] ?? null;
}
