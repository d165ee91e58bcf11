/**
 * The new operators on real CloudTrail: the Stratus Red Team detonation logs in ../shared/datasets
 * (see its SOURCE.md and LICENSE). Each rule's answer is checked against an oracle computed here
 * from the raw files without ctq. Skipped, cleanly, when the dataset is absent.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ndjson, REPO, runCtq } from '../support/run-ctq';

const DATASET = join(REPO, '..', 'shared', 'datasets', 'stratus-detonation-logs');
const present = existsSync(DATASET);

type Record = { readonly [key: string]: unknown };

/** Every record of every detonation file, with the file it came from. */
function records(): { file: string; record: Record }[] {
  return readdirSync(DATASET)
    .filter((name) => name.endsWith('.json'))
    .flatMap((file) => (JSON.parse(readFileSync(join(DATASET, file), 'utf8')) as Record[]).map((record) => ({ file, record })));
}

const idsOf = (events: readonly Record[]) => events.map((event) => String(event.eventID)).sort();

describe.skipIf(!present)(`detection-shaped rules on ${present ? 'the Stratus detonation logs' : `${DATASET} (absent: skipped)`}`, () => {
  const all = present ? records() : [];
  const run = async (match: string) => {
    const result = await runCtq(['*:*', '--input', DATASET, '--match', match]);
    expect(result.code).toBe(0);
    return idsOf(ndjson(result.stdout));
  };

  it('in [ … ]: CloudTrail tampering finds exactly the events of the three cloudtrail detonations', async () => {
    const names = ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors'];
    const want = all.filter(({ record }) => names.includes(String(record.eventName)));
    expect(want.length).toBeGreaterThan(0);
    expect(new Set(want.map(({ file }) => file))).toEqual(
      new Set(['aws.defense-evasion.cloudtrail-delete.json', 'aws.defense-evasion.cloudtrail-event-selectors.json', 'aws.defense-evasion.cloudtrail-stop.json']),
    );
    expect(await run(`$.eventName in ${JSON.stringify(names)}`)).toEqual(idsOf(want.map(({ record }) => record)));
  });

  it('json(): a role trust policy opened to an account root is found inside the encoded policy document', async () => {
    const want = all.filter(({ record }) => {
      const document = (record.requestParameters as Record | null)?.policyDocument;
      return typeof document === 'string' && /"AWS"\s*:\s*"arn:aws:iam::\d{12}:root"/.test(document);
    });
    expect(want.map(({ file }) => file)).toEqual(['aws.persistence.iam-backdoor-role.json']);
    expect(await run('json($.requestParameters.policyDocument, "$..Principal.AWS") endswith ":root"')).toEqual(idsOf(want.map(({ record }) => record)));
  });

  it('contains~ and ordering on eventTime agree with a plain reading of the records', async () => {
    const from = Date.parse('2024-07-31T13:00:00Z');
    const to = Date.parse('2024-08-01T00:00:00Z');
    const want = all.filter(({ record }) => {
      const time = Date.parse(String(record.eventTime));
      return String(record.userAgent ?? '').toLowerCase().includes('stratus-red-team') && time >= from && time < to;
    });
    expect(want.length).toBeGreaterThan(0);
    expect(want.length).toBeLessThan(all.length);
    // The same instants written with offsets.
    const match = '$.userAgent contains~ "STRATUS-RED-TEAM" and $.eventTime >= "2024-07-31T15:00:00+02:00" and $.eventTime < "2024-07-31T20:00:00-04:00"';
    expect(await run(match)).toEqual(idsOf(want.map(({ record }) => record)));
  });
});
