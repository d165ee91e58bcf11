/**
 * The whole Athena read, in-process: the real Athena SDK client under aws-sdk-client-mock, whose
 * answers come from running ctq's generated SQL on DuckDB over the fixtures laid out as the trail
 * table (compiler logic, not Trino); the objects it names served by s3rver (a real S3 server on
 * 127.0.0.1) and read with the real S3 client. ctq's output must equal what ctq finds reading the
 * same files locally, and must hold only records Athena named.
 */
import * as athenaSdk from '@aws-sdk/client-athena';
import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import * as s3Sdk from '@aws-sdk/client-s3';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { graphOf, identityFunctions } from '../../src/identity';
import { emptyAthenaStats, scanAthena, type AthenaScanOptions, type AthenaServices } from '../../src/query/athena-scan';
import { usesFunction } from '../../src/query/expression-calls';
import { compileQuery } from '../../src/query/query';
import type { RuleSpec } from '../../src/rules/rule';
import { emptyStats } from '../../src/query/stats';
import { runQuery, s3ObjectReader, type QueryRun } from '../../src/sources/athena';
import { readLocalEvents } from '../../src/scan/read-events';
import { emptyS3Counters } from '../../src/sources/s3';
import { DuckTrailTable, type StoredEvent } from './duckdb-table';

interface S3rverInstance {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;

const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const FIXTURES = new URL('../../fixtures/', import.meta.url).pathname;
const BUCKET = 'trail';

const athenaMock = mockClient(AthenaClient);
const athena = new AthenaClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });

let server: S3rverInstance;
let s3: S3Client;
let endpointUrl: string;
let dir: string;
let table: DuckTrailTable;
const stored: StoredEvent[] = [];
let statements: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ctq-s3rver-'));
  server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir, configureBuckets: [{ name: BUCKET }] });
  const { port } = await server.run();
  endpointUrl = `http://127.0.0.1:${port}`;
  s3 = new S3Client({ region: 'us-east-1', endpoint: endpointUrl, forcePathStyle: true, credentials: S3RVER_CREDENTIALS });
  const uploaded = new Set<string>();
  for await (const item of readLocalEvents([`${FIXTURES}AWSLogs/111122223333/CloudTrail`, `${FIXTURES}identity`])) {
    if (item.kind !== 'event') continue;
    const key = relative(FIXTURES, item.origin.source);
    if (!uploaded.has(key)) {
      uploaded.add(key);
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: readFileSync(item.origin.source) }));
    }
    const e = item.event;
    stored.push({
      event: e,
      path: `s3://${BUCKET}/${key}`,
      account: String(e.recipientAccountId ?? '111122223333'),
      region: String(e.awsRegion ?? 'us-east-1'),
      day: String(e.eventTime ?? '').slice(0, 10).replaceAll('-', '/'),
    });
  }
  table = await DuckTrailTable.create(stored);
});

afterAll(async () => {
  table?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Athena, as far as the mock goes: each started query runs on DuckDB; results come in pages of 1,000. */
beforeEach(() => {
  athenaMock.reset();
  statements = [];
  athenaMock.on(StartQueryExecutionCommand).callsFake((input: { QueryString: string }) => {
    statements.push(input.QueryString);
    return { QueryExecutionId: `q-${statements.length}` };
  });
  athenaMock.on(GetQueryExecutionCommand).callsFake((input: { QueryExecutionId: string }) => ({
    QueryExecution: { QueryExecutionId: input.QueryExecutionId, Status: { State: 'SUCCEEDED' }, Statistics: { DataScannedInBytes: 20 * 2 ** 20 } },
  }));
  athenaMock.on(GetQueryResultsCommand).callsFake(async (input: { QueryExecutionId: string; NextToken?: string }) => {
    const sql = statements[Number(input.QueryExecutionId.slice(2)) - 1]!;
    const rows = [['$path', 'eventid'], ...(await table.rows(sql))];
    const start = Number(input.NextToken ?? 0);
    const next = start + 1000 < rows.length ? String(start + 1000) : undefined;
    return { ResultSet: { Rows: rows.slice(start, start + 1000).map((r) => ({ Data: r.map((v) => (v === null ? {} : { VarCharValue: v })) })) }, ...(next ? { NextToken: next } : {}) };
  });
});

function services(runStatement?: (sql: string) => Promise<QueryRun>): AthenaServices {
  const signal = new AbortController().signal;
  return {
    runStatement: runStatement ?? ((sql) => runQuery({ sdk: athenaSdk, client: athena, sql, placement: { workGroup: 'ir' }, maxScanBytes: null, signal, sleep: async () => {} })),
    objects: s3ObjectReader(s3Sdk, { endpointUrl, region: 'us-east-1', credentials: S3RVER_CREDENTIALS, maxAttempts: 1 }, emptyS3Counters()),
  };
}

async function runBoth(actions: string[], matches: string[], runStatement?: (sql: string) => Promise<QueryRun>, enrich = false, rules: RuleSpec[] = []) {
  const functions = identityFunctions(graphOf(stored.map((s) => s.event)));
  const spec = { actions, matches, window: { fromMs: null, toMs: null }, ...(rules.length > 0 ? { rules } : {}) };
  const local = compileQuery(spec, functions);
  const checked = compileQuery(spec, identityFunctions(graphOf([])));
  if (!local.ok || !checked.ok) throw new Error('bad query');
  const expected = stored.filter((s) => local.query.test(s.event)).map((s) => String(s.event.eventID));
  const written: string[] = [];
  const lines: Record<string, unknown>[] = [];
  /** Whether each write came with the identity graph its lines were filtered against. */
  const withGraph: boolean[] = [];
  const stats = emptyStats();
  const athenaStats = emptyAthenaStats();
  const errors: string[] = [];
  const warnings: string[] = [];
  const usesChainOf = usesFunction(checked.query.expressions, 'chainOf');
  const options: AthenaScanOptions = {
    query: checked.query,
    table: 'cloudtrail.org_trail',
    accounts: [],
    regions: [],
    deliveryMarginHours: 24,
    explainOnly: false,
    now: new Date('2026-12-01T00:00:00Z'),
    identity: { usesChainOf, needsGraph: usesChainOf || enrich, enrich },
    connect: async () => services(runStatement),
    stats,
    athenaStats,
    signal: new AbortController().signal,
    write: (record, graph) => {
      withGraph.push(graph !== null);
      // The record holds the event its text says: a stage after the scan reads it without parsing again.
      const parse = vi.spyOn(JSON, 'parse');
      const held = record.lastRead();
      expect(parse).not.toHaveBeenCalled();
      parse.mockRestore();
      const event = JSON.parse(record.text) as Record<string, unknown>;
      expect(held).toEqual(event);
      lines.push(event);
      written.push(String(event.eventID));
    },
    onBad: (origin, message) => errors.push(`${origin.source}: ${message}`),
    onWarning: (message) => warnings.push(message),
    onError: (message) => errors.push(message),
  };
  const result = await scanAthena(options);
  return { result, expected, written, lines, withGraph, stats, athenaStats, errors, warnings };
}

describe('reading through Athena (SDK mocked, SQL on DuckDB, objects on s3rver)', () => {
  test.each([
    [['s3:*', 'iam:*'], ['$.errorCode == "AccessDenied"']],
    [['*:*'], ['$.userIdentity.arn regex /assumed-role\\/Admin/']],
    [['sts:AssumeRole*'], ['$.resources[*].type == "AWS::IAM::Role" or $.readOnly == false']],
    [['*:*'], ['$.requestParameters.roleSessionName != null']],
  ])('%j %j: the same events as a local read', async (actions, matches) => {
    const { result, expected, written, withGraph, stats, athenaStats, errors } = await runBoth(actions, matches);
    expect(errors).toEqual([]);
    expect(withGraph.some(Boolean)).toBe(false); // a plain query builds no graph
    expect(result.failed).toBe(false);
    expect(expected.length).toBeGreaterThan(0);
    expect(written.sort()).toEqual(expected.sort());
    expect(athenaStats.athenaQueries).toBe(1);
    expect(statements[0]).toMatch(/^SELECT DISTINCT "\$path", eventid\n/);
    expect(stats.files).toBeGreaterThan(0);
  });

  test('--rules: each match names the rules it matched (_ctq.rules), as LookupEvents and local reads write it', async () => {
    const rule: RuleSpec = { id: 'denied', title: 'Denied', actions: ['*:*'], matches: ['$.errorCode == "AccessDenied"'] };
    const { expected, written, lines, errors } = await runBoth(['*:*'], [], undefined, false, [rule]);
    expect(errors).toEqual([]);
    expect(expected.length).toBeGreaterThan(0);
    expect(written.sort()).toEqual(expected.sort());
    for (const line of lines) expect(line._ctq).toEqual({ rules: ['denied'], titles: ['Denied'] });
  });

  test('only records Athena named are kept, and only if the query accepts them', async () => {
    const denied = (s: StoredEvent) => s.event.errorCode === 'AccessDenied';
    // An object with two matches and a non-match: Athena names one match and the non-match.
    const target = stored.find((t) => denied(t) && stored.some((s) => s.path === t.path && s !== t && denied(s)) && stored.some((s) => s.path === t.path && !denied(s)))!;
    expect(target).toBeDefined();
    const rejected = stored.find((s) => s.path === target.path && !denied(s))!;
    const answer = async (): Promise<QueryRun> => ({
      ok: true,
      queryId: 'q',
      bytesScanned: 0,
      rows: (async function* () {
        yield [target.path, String(target.event.eventID)];
        yield [rejected.path, String(rejected.event.eventID)];
      })(),
    });
    const { written } = await runBoth(['*:*'], ['$.errorCode == "AccessDenied"'], answer);
    expect(written).toEqual([String(target.event.eventID)]);
  });

  test('an object Athena names that cannot be read fails the run; a named event not in its object is warned about', async () => {
    const present = stored.find((s) => s.event.errorCode === 'AccessDenied')!;
    const answer = async (): Promise<QueryRun> => ({
      ok: true,
      queryId: 'q',
      bytesScanned: 0,
      rows: (async function* () {
        yield [`s3://${BUCKET}/AWSLogs/gone.json.gz`, 'e-1'];
        yield [present.path, String(present.event.eventID)];
        yield [present.path, 'not-in-this-object'];
      })(),
    });
    const { result, written, errors, warnings } = await runBoth(['*:*'], ['$.errorCode == "AccessDenied"'], answer);
    expect(result.failed).toBe(true);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBe(`s3://${BUCKET}/AWSLogs/gone.json.gz: cannot read the object: no such key (deleted after it was listed?); the events Athena found in it are missing`);
    expect(written).toEqual([String(present.event.eventID)]);
    expect(warnings).toEqual(['1 event Athena named was not in its object (replaced since the query?)']);
  });

  test('--enrich holds what Athena named, builds the graph in ctq and adds _ctq to each event', async () => {
    const { result, expected, written, lines, withGraph } = await runBoth(['sts:AssumeRole*'], ['$.userIdentity.type == "IAMUser"'], undefined, true);
    expect(result.failed).toBe(false);
    expect(expected.length).toBeGreaterThan(0);
    expect(written.sort()).toEqual(expected.sort());
    for (const line of lines) expect(line._ctq).toMatchObject({ session: expect.any(String) });
    // The graph travels with the matches, for --summary, --report and --format dot after the scan.
    expect(withGraph.length).toBeGreaterThan(0);
    expect(withGraph.every(Boolean)).toBe(true);
  });

  test('a failed query is an error with its reason, and nothing is written', async () => {
    const failed = async (): Promise<QueryRun> => ({ ok: false, queryId: 'q', bytesScanned: 0, reason: 'failed', message: 'Athena query q failed: HIVE_BAD_DATA' });
    const { result, written, errors } = await runBoth(['*:*'], ['$.readOnly == false'], failed);
    expect(result.failed).toBe(true);
    expect(written).toEqual([]);
    expect(errors).toEqual(['Athena query q failed: HIVE_BAD_DATA']);
  });

  test('chainOf() runs as rounds: hops by eventname IN, then sessions by accesskeyid IN, until nothing new', async () => {
    const { result, expected, written, athenaStats } = await runBoth(['*:*'], ['chainOf("AKIAALICELONGTERM001")']);
    expect(result.failed).toBe(false);
    expect(expected.length).toBeGreaterThan(3);
    expect(written.sort()).toEqual(expected.sort());
    expect(statements[0]).toContain("eventname IN ('AssumeRole', 'AssumeRoleWithSAML'");
    expect(statements.some((sql) => sql.includes('useridentity.accesskeyid IN ('))).toBe(true);
    const keyRounds = statements.filter((sql) => sql.includes('useridentity.accesskeyid IN ('));
    expect(keyRounds.length).toBeGreaterThanOrEqual(2); // the origin key, then the sessions it grew
    expect(athenaStats.athenaQueries).toBe(statements.length);
  });
});
