/** session(), chainOf() and --enrich through the real binary, over the identity scenario fixtures. */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator';
import type { JsonObject } from '../../src/language/json';
import { ndjson, runCtq } from '../support/run-ctq';
import { Rng } from '../support/synthetic-events';
import { SHARED_DATASETS } from '../support/datasets';

const id = (scenario: number, n: number) => `${scenario.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString().padStart(12, '0')}`;
const ids = (text: string) => ndjson(text).map((e) => String(e.eventID)).sort();

describe('chainOf through the CLI', () => {
  it('gives a leaf key its activity plus the hops that explain who is behind it', async () => {
    const result = await runCtq(['*:*', '--input', 'fixtures/identity', '--match', 'chainOf("ASIADEPLOYSESSION001")']);
    expect(result.code).toBe(0);
    // alice → Admin (hop 2) → Deploy (hop 4) → Deploy's calls 5–7; not Admin's other activity (3, 10), not Audit.
    expect(ids(result.stdout)).toEqual([2, 4, 5, 6, 7].map((n) => id(1, n)).sort());
  });

  it('gives the origin key the whole tree grown from it', async () => {
    const result = await runCtq(['*:*', '--input', 'fixtures/identity/assume-role-chain.ndjson', '--match', 'chainOf("AKIAALICELONGTERM001")']);
    const got = ids(result.stdout);
    for (const n of [2, 3, 4, 5, 6, 7, 8, 9, 10]) expect(got).toContain(id(1, n));
    expect(got).not.toContain(id(1, 11)); // bob
  });

  it('does not depend on input order (shuffled stdin)', async () => {
    const lines = readFileSync('fixtures/identity/assume-role-chain.ndjson', 'utf8').trim().split('\n');
    const args = ['*:*', '--input', '-', '--match', 'chainOf("ASIADEPLOYSESSION001")'];
    const inOrder = ids((await runCtq(args, { stdin: lines.join('\n') + '\n' })).stdout);
    for (const seed of [1, 2, 3]) {
      const rng = new Rng(seed);
      const shuffled = [...lines];
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
      }
      expect(ids((await runCtq(args, { stdin: shuffled.join('\n') + '\n' })).stdout)).toEqual(inOrder);
    }
  });

  it('combines with other conditions and with IAM-action selection', async () => {
    const result = await runCtq(['s3:*', '--input', 'fixtures/identity', '--match', 'chainOf("ASIADEPLOYSESSION001") and $.readOnly == false']);
    const events = ndjson(result.stdout);
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) {
      expect(event.eventSource).toBe('s3.amazonaws.com');
      expect(event.readOnly).toBe(false);
    }
  });

  it('rejects an argument that names nothing a chain can start from, before reading', async () => {
    const result = await runCtq(['*:*', '--input', 'fixtures/nope', '--match', 'chainOf("bogus")']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/chainOf\("bogus"\): expected an access key ID/);
    expect(result.stderr).toMatch(/\^~+/);
  });

  it('warns when a well-formed argument is not in the input', async () => {
    const result = await runCtq(['*:*', '--input', 'fixtures/identity', '--match', 'chainOf("ASIANOTINTHEINPUT001")']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/chainOf\("ASIANOTINTHEINPUT001"\): no session in the input has it/);
  });

  it('attributes a colliding key to every candidate, marks it ambiguous and warns once', async () => {
    const result = await runCtq(['*:*', '--input', 'fixtures/identity/colliding-key.ndjson', '--match', 'chainOf("ASIACOLLIDINGKEY0001")', '--enrich']);
    const events = ndjson(result.stdout);
    const calls = events.filter((e) => e.eventID === id(7, 83) || e.eventID === id(7, 84));
    expect(calls).toHaveLength(2);
    for (const call of calls) expect((call._ctq as { confidence: string }).confidence).toBe('ambiguous');
    const warnings = result.stderr.split('\n').filter((l) => l.includes('ambiguous session'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('ASIACOLLIDINGKEY0001');
    expect(warnings[0]).toMatch(/heidi/);
    expect(warnings[0]).toMatch(/ivan/);
  });
});

describe('session() and --enrich', () => {
  it('session() regex works as in the README', async () => {
    const result = await runCtq(['*:*', '--input', 'fixtures/identity/assume-role-chain.ndjson', '--match', 'session() regex "alice"']);
    const events = ndjson(result.stdout);
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) expect(JSON.stringify(event.userIdentity)).toMatch(/alice/);
  });

  it('adds exactly one _ctq member with the documented shape, origin first', async () => {
    const plain = await runCtq(['*:*', '--input', 'fixtures/identity/assume-role-chain.ndjson', '--match', 'chainOf("ASIADEPLOYSESSION001")']);
    const enriched = await runCtq(['*:*', '--input', 'fixtures/identity/assume-role-chain.ndjson', '--match', 'chainOf("ASIADEPLOYSESSION001")', '--enrich']);
    const before = ndjson(plain.stdout);
    const after = ndjson(enriched.stdout);
    expect(after).toHaveLength(before.length);
    after.forEach((event, i) => {
      const { _ctq, ...rest } = event as { _ctq: { session: string; chain: { session: string; via: string | null }[]; confidence: string } };
      expect(rest).toEqual(before[i]);
      expect(Object.keys(_ctq).slice(0, 3)).toEqual(['session', 'chain', 'confidence']);
      expect(_ctq.chain[0]!.via).toBeNull(); // origin first
      expect(_ctq.chain.at(-1)!.session).toBe(_ctq.session);
    });
    const deployCall = after.find((e) => e.eventID === id(1, 5)) as { _ctq: { chain: { session: string }[] } };
    expect(deployCall._ctq.chain.map((c) => c.session.split(':')[0])).toEqual(['iam-user', 'assumed-role', 'assumed-role']);
    // Without --enrich the event is exactly as recorded.
    expect(plain.stdout.split('\n')[0]).toBe(readFileSync('fixtures/identity/assume-role-chain.ndjson', 'utf8').split('\n').find((l) => l.includes(String(before[0]!.eventID))));
  });
});

describe('stolen EC2 instance credentials through the CLI (stolen-instance-credentials.ndjson)', () => {
  const FIXTURE = 'fixtures/identity/stolen-instance-credentials.ndjson';
  type Chain = { session: string; chain: { session: string; via: string | null }[]; confidence: string };

  it('chainOf(instance key) includes the AssumeRole by ec2.amazonaws.com that issued it', async () => {
    const result = await runCtq(['*:*', '--input', FIXTURE, '--match', 'chainOf("ASIAWEBSERVERINST001")']);
    expect(result.code).toBe(0);
    expect(ids(result.stdout)).toEqual([102, 103, 104, 107, 108, 109, 110, 111].map((n) => id(9, n)).sort());
  });

  it('chainOf(role ARN) includes every session of the role and every hop that issued one', async () => {
    const result = await runCtq(['*:*', '--input', 'fixtures/identity', '--match', 'chainOf("arn:aws:iam::111122223333:role/WebServerRole")']);
    expect(ids(result.stdout)).toEqual([102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113].map((n) => id(9, n)).sort());
  });

  it('--enrich shows the issuing service as the origin and the AssumeRole as via; the outside use is in the same session', async () => {
    const result = await runCtq(['*:*', '--input', FIXTURE, '--match', '$.sourceIPAddress == "198.51.100.77"', '--enrich']);
    const events = ndjson(result.stdout);
    expect(events.map((e) => e.eventID)).toEqual([107, 108, 109, 110, 111].map((n) => id(9, n)));
    const fromOutside = events.find((e) => e.eventID === id(9, 108))!._ctq as Chain;
    expect(fromOutside.chain).toEqual([
      { session: 'aws-service:ec2.amazonaws.com', via: null },
      { session: fromOutside.session, via: id(9, 102) },
    ]);
    expect(fromOutside.session).toMatch(/assumed-role\/WebServerRole\/i-0a1b2c3d4e5f67890@2024-09-12T08:00:05Z#ASIAWEBSERVERINST001$/);
    const fromInstance = await runCtq(['*:*', '--input', FIXTURE, '--match', `$.eventID == "${id(9, 103)}"`, '--enrich']);
    expect((ndjson(fromInstance.stdout)[0]!._ctq as Chain).session).toBe(fromOutside.session);
  });
});

const DATASETS = SHARED_DATASETS;
const hasJq = spawnSync('jq', ['--version']).status === 0;
const datasets = existsSync(DATASETS) ? readdirSync(DATASETS).map((name) => join(DATASETS, name)).sort() : [];

describe(`--enrich over every real sample (fixtures/real, and ${DATASETS}${datasets.length ? '' : ': absent here'})`, () => {
  type Enriched = { userIdentity?: unknown; _ctq: { session: string | null; chain: { session: string; via: string | null }[] } };

  it.each(['fixtures/real', ...datasets])('%s: every enriched line has a _ctq with a chain, ending at its session', async (dataset) => {
    const result = await runCtq(['*:*', '--input', dataset, '--enrich']);
    expect(result.code).toBe(0);
    const events = ndjson(result.stdout) as unknown as Enriched[];
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) {
      expect(event._ctq).toEqual(expect.objectContaining({ chain: expect.any(Array) }));
      if (event.userIdentity === undefined) continue;
      // Every record of these samples names someone: its session is never null, and the chain ends there.
      expect(event._ctq.session).toEqual(expect.any(String));
      expect(event._ctq.chain.at(-1)!.session).toBe(event._ctq.session);
    }
    // The README's own pipeline, where jq is installed (CI installs it): no line may stop it.
    if (hasJq) {
      const jq = spawnSync('jq', ['-c', '._ctq.chain[]'], { input: result.stdout, encoding: 'utf8' });
      expect(jq.stderr).toBe('');
      expect(jq.status).toBe(0);
    }
  });
});

describe('stolen EC2 instance credentials through LookupEvents (the emulator)', () => {
  const AWS_ENV = { AWS_ACCESS_KEY_ID: 'AKIAEMULATOR', AWS_SECRET_ACCESS_KEY: 'x', AWS_REGION: 'us-east-1', AWS_PROFILE: '', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' };
  const FIXTURE = 'fixtures/identity/stolen-instance-credentials.ndjson';

  it.each(['ASIAWEBSERVERINST001', 'arn:aws:iam::111122223333:role/WebServerRole'])(
    'the chainOf(%s) crawl finds the service-issued hop, as the local scan does',
    async (target) => {
      const events = readFileSync(FIXTURE, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as JsonObject);
      const emulator = await startEmulator({ data: { kind: 'events', events }, rate: 0, log: () => {} });
      try {
        const args = ['*:*', '--match', `chainOf("${target}")`];
        const local = await runCtq([...args, '--input', FIXTURE]);
        const remote = await runCtq([...args, '--regions', 'us-east-1', '--from', '2024-09-12', '--to', '2024-09-13', '--endpoint-url', emulator.url], { env: AWS_ENV });
        expect(remote.code).toBe(0);
        expect(ids(local.stdout)).toContain(id(9, 102));
        expect(ids(remote.stdout)).toEqual(ids(local.stdout));
      } finally {
        await emulator.close();
      }
    },
  );
});
