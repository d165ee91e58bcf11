/**
 * Through the built binary: `chainOf` of a key that is neither AKIA nor ASIA passes the CLI's
 * argument check and selects its session (key-prefixes-and-types.ndjson), and a principal ID is
 * still refused as a usage error.
 */
import { describe, expect, it } from 'vitest';
import { ndjson, runCtq } from '../support/run-ctq';
import { sortedIds } from './support';

const INPUT = 'fixtures/identity/key-prefixes-and-types.ndjson';
const ids = (stdout: string) => ndjson(stdout).map((event) => String(event['eventID'])).sort();

describe('ctq chainOf with keys of every prefix', () => {
  it('selects the sessions of a key of no documented prefix and of an ABIA key', async () => {
    const [unknownKind, bearer] = await Promise.all([
      runCtq(['*:*', '--input', INPUT, '--match', 'chainOf("0123456789ABCDEFGHIJ")']),
      runCtq(['*:*', '--input', INPUT, '--match', 'chainOf("ABIAKIMBEARERTOKEN01")']),
    ]);
    expect(unknownKind.code).toBe(0);
    expect(ids(unknownKind.stdout)).toEqual(sortedIds(12, [132, 133]));
    expect(bearer.code).toBe(0);
    expect(ids(bearer.stdout)).toEqual(sortedIds(12, [131]));
  });

  it('refuses a principal ID (AIDA…) with the usage exit code', async () => {
    const result = await runCtq(['*:*', '--input', INPUT, '--match', 'chainOf("AIDAKIMEXAMPLE000001")']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('expected an access key ID');
    expect(result.stdout).toBe('');
  });
});
