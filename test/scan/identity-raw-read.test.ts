/**
 * Pass one reads most records from their raw bytes (identity-raw-read.ts): it must gather the same
 * identity graph as parsing every record, and keep damaged records out of it.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOP_EVENT_NAMES, IDENTITY_MEMBERS, IdentityFactsGatherer, IdentityGraphBuilder } from '../../src/identity';
import type { JsonObject } from '../../src/language/json';
import { rawIdentityReader } from '../../src/scan/identity-raw-read';
import { scanLocal } from '../../src/scan/local-scan';
import { emptyStats } from '../../src/query/stats';
import { scratchDir } from '../support/scratch';

const dir = 'fixtures/identity';
const lines: string[] = readdirSync(dir)
  .filter((name) => name.endsWith('.ndjson'))
  .flatMap((name) => readFileSync(join(dir, name), 'utf8').split('\n'))
  .concat(readFileSync('fixtures/events.ndjson', 'utf8').split('\n'))
  .filter((line) => line.trim() !== '');
const events = lines.map((line) => JSON.parse(line) as JsonObject);

function factsOf(add: (gatherer: IdentityFactsGatherer) => void): unknown {
  const gatherer = new IdentityFactsGatherer();
  add(gatherer);
  return gatherer.take();
}

/** The identity graph pass one builds from these lines, read by the real pipeline on one thread. */
async function passOne(text: string): Promise<IdentityGraphBuilder> {
  const file = join(scratchDir('ctq-raw-'), 'in.ndjson');
  writeFileSync(file, text);
  const builder = new IdentityGraphBuilder();
  await scanLocal({ inputs: [file], filter: { identityFacts: (facts) => builder.addFacts(facts) }, workerUrl: null, stats: emptyStats(), write: () => {}, onBad: () => {} });
  return builder;
}

describe('the members an identity is read from', () => {
  it('give the facts of the whole event, for every event whose name is no hop name', () => {
    let compared = 0;
    for (const event of events) {
      if (typeof event['eventName'] === 'string' && HOP_EVENT_NAMES.has(event['eventName'])) continue;
      const members: JsonObject = {};
      for (const name of IDENTITY_MEMBERS) if (name in event) members[name] = event[name]!;
      expect(factsOf((g) => g.add(members))).toEqual(factsOf((g) => g.add(event)));
      compared++;
    }
    expect(compared).toBeGreaterThan(50);
  });
});

describe('pass one from raw bytes', () => {
  it('gathers the facts parsing every record gathers, taking most records from their bytes', () => {
    const text = lines.join('\n') + '\n' + lines.join('\n') + '\n';
    const bytes = Buffer.from(text);
    const raw = new IdentityFactsGatherer();
    const take = rawIdentityReader(raw)(bytes);
    let taken = 0;
    let at = 0;
    for (const line of [...lines, ...lines]) {
      const end = at + Buffer.byteLength(line);
      if (take(at, end)) taken++;
      else raw.add(JSON.parse(line) as JsonObject);
      at = end + 1;
    }
    const parsed = new IdentityFactsGatherer();
    for (const line of [...lines, ...lines]) parsed.add(JSON.parse(line) as JsonObject);
    const got = new IdentityGraphBuilder();
    got.addFacts(raw.take());
    const want = new IdentityGraphBuilder();
    want.addFacts(parsed.take());
    expect(got.facts()).toEqual(want.facts());
    expect(taken).toBeGreaterThan(lines.length);
  });

  it('leaves hop records, escapes and lookup-events wrappers to the ordinary path', () => {
    const hop = events.find((event) => event['eventName'] === 'AssumeRole')!;
    const plain = events.find((event) => event['eventName'] === 'GetObject' || event['eventName'] === 'ListBuckets')!;
    const cases = [
      JSON.stringify(hop),
      JSON.stringify({ ...plain, note: 'a\\b' }),
      JSON.stringify({ CloudTrailEvent: JSON.stringify(plain) }),
      JSON.stringify({ ...plain, CloudTrailEvent: '{}' }),
    ];
    for (const line of cases) {
      const bytes = Buffer.from(line);
      expect(rawIdentityReader(new IdentityFactsGatherer())(bytes)(0, bytes.length), line).toBe(false);
    }
  });

  it('keeps a damaged record out of the graph, even when its identity is new', async () => {
    const plain = events.find((event) => event['eventName'] === 'ListBuckets' || event['eventName'] === 'GetObject')!;
    const stranger = { ...plain, userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::999999999999:user/mallory', accountId: '999999999999', userName: 'mallory' } };
    const good = JSON.stringify(plain);
    const damaged = JSON.stringify(stranger).replace('"eventTime"', '"eventTime" 1, "x"');
    const clean = await passOne(`${good}\n`);
    const withDamage = await passOne(`${good}\n${damaged}\n${good.replace('}', ',}')}\n`);
    expect(withDamage.facts()).toEqual(clean.facts());
    // The same record undamaged does join the graph.
    const withStranger = await passOne(`${good}\n${JSON.stringify(stranger)}\n`);
    expect(withStranger.size().sessions).toBe(clean.size().sessions + 1);
  });
});
