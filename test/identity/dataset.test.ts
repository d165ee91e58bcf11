/**
 * The real Stratus Red Team detonations in ../shared/datasets/stratus-detonations (see its
 * SOURCE.md): 13 AssumedRole records in three valid files; the fourth file is invalid JSON as
 * published and is skipped here (reporting it is the sources' job).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sessionKeyOf } from '../../src/identity';
import { isJsonObject, type JsonObject } from '../../src/language/json';
import { buildGraph } from './support';
import { sharedDataset } from '../support/datasets';

const DATASET = sharedDataset('stratus-detonations');
const present = existsSync(DATASET);

function readRecords(): { records: JsonObject[]; skipped: string[] } {
  const records: JsonObject[] = [];
  const skipped: string[] = [];
  for (const file of readdirSync(DATASET).filter((name) => name.endsWith('.json')).sort()) {
    let document: unknown;
    try {
      document = JSON.parse(readFileSync(join(DATASET, file), 'utf8'));
    } catch {
      skipped.push(file);
      continue;
    }
    const list = isJsonObject(document) ? document['Records'] : undefined;
    if (Array.isArray(list)) records.push(...list.filter(isJsonObject));
  }
  return { records, skipped };
}

describe.skipIf(!present)(`stratus-detonations dataset${present ? '' : ` (skipped: ${DATASET} is absent)`}`, () => {
  const { records, skipped } = present ? readRecords() : { records: [], skipped: [] };
  const assumed = records.filter((record) => (record['userIdentity'] as JsonObject | undefined)?.['type'] === 'AssumedRole');

  it('reads the valid files and skips only the damaged one', () => {
    expect(skipped).toEqual(['aws.execution.ec2-user-data.json']);
    expect(assumed.length).toBeGreaterThan(0);
  });

  it('gives every AssumedRole record a session key', () => {
    for (const record of assumed) expect(sessionKeyOf(record)).not.toBeNull();
  });

  it('records sharing access key and creationDate share a session, and differing ones do not', () => {
    const graph = buildGraph(records);
    const evidence = (record: JsonObject) => {
      const identity = record['userIdentity'] as JsonObject;
      const context = (identity['sessionContext'] as JsonObject)['attributes'] as JsonObject;
      return `${String(identity['accessKeyId'])}|${String(context['creationDate'])}`;
    };
    const sessionsByEvidence = new Map<string, Set<string | null>>();
    for (const record of assumed) {
      const set = sessionsByEvidence.get(evidence(record)) ?? new Set();
      set.add(graph.sessionOf(record));
      sessionsByEvidence.set(evidence(record), set);
    }
    for (const sessions of sessionsByEvidence.values()) expect(sessions.size).toBe(1);
    const distinct = new Set([...sessionsByEvidence.values()].flatMap((set) => [...set]));
    expect(distinct.size).toBe(sessionsByEvidence.size);
    // The detonations used two role sessions of one person: 11 calls with one key, 1 with another.
    expect([...sessionsByEvidence.keys()].sort()).toEqual([
      'ASIAZ3MSJV4W3HFKBOMH|2022-07-20T20:53:03Z',
      'ASIAZ3MSJV4WY7WYVLEU|2022-07-20T20:52:37Z',
    ]);
  });

  it('chainOf(the role session ARN) covers both sessions; chainOf(one key) only its own', () => {
    const graph = buildGraph(records);
    const count = (x: string) => {
      const matcher = graph.chainMatcher(x);
      if (!matcher.ok) throw new Error(matcher.message);
      return records.filter(matcher.matches).length;
    };
    expect(count('arn:aws:sts::677301038893:assumed-role/account-admin/christophe.tafanidereeper')).toBe(assumed.length);
    expect(count('ASIAZ3MSJV4W3HFKBOMH')).toBe(1);
    expect(count('ASIAZ3MSJV4WY7WYVLEU')).toBe(assumed.length - 1);
    expect(graph.warnings()).toEqual([]);
  });
});
