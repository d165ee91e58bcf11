import { describe, expect, test } from 'vitest';
import { FINGERPRINT_HEX_LENGTH, queryFingerprint } from '../../src/state';

const BASE = { actions: ['s3:Get*', 'iam:*'], matches: ['$.errorCode == "AccessDenied"'], source: 'local' as const };

describe('queryFingerprint', () => {
  test('is a short lower-case hex string, the same on every call', () => {
    const fingerprint = queryFingerprint(BASE);
    expect(fingerprint).toMatch(new RegExp(`^[0-9a-f]{${FINGERPRINT_HEX_LENGTH}}$`));
    expect(queryFingerprint({ ...BASE })).toBe(fingerprint);
  });

  test('ignores the order and case of actions and the order of --match', () => {
    const a = queryFingerprint({ ...BASE, matches: ['$.a == 1', '$.b == 2'] });
    const b = queryFingerprint({ ...BASE, actions: ['IAM:*', 's3:get*', 'iam:*'], matches: ['$.b == 2', ' $.a == 1'] });
    expect(b).toBe(a);
  });

  test('ignores the order of regions', () => {
    expect(queryFingerprint({ ...BASE, source: 'api', regions: ['us-east-1', 'eu-west-1'] })).toBe(
      queryFingerprint({ ...BASE, source: 'api', regions: ['eu-west-1', 'us-east-1'] }),
    );
  });

  test('changes with the actions, the expressions, the source and the regions', () => {
    const base = queryFingerprint(BASE);
    const others = [
      queryFingerprint({ ...BASE, actions: ['s3:Get*'] }),
      queryFingerprint({ ...BASE, matches: ['$.errorCode == "AccessDenied" or $.readOnly == false'] }),
      queryFingerprint({ ...BASE, matches: [] }),
      queryFingerprint({ ...BASE, source: 'api' }),
      queryFingerprint({ ...BASE, source: 'api', regions: ['us-east-1'] }),
      queryFingerprint({ ...BASE, source: 'api', regions: ['us-east-1', 'us-west-2'] }),
    ];
    expect(new Set([base, ...others]).size).toBe(others.length + 1);
  });

  test('a match string cannot be confused with two matches that join to it', () => {
    expect(queryFingerprint({ ...BASE, matches: ['a,b'] })).not.toBe(queryFingerprint({ ...BASE, matches: ['a', 'b'] }));
  });
});
