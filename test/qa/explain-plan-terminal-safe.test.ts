/**
 * `--explain` prints the LookupEvents plan, which quotes literals from the expression (and from rule
 * files, which responders copy from others). Like every other diagnostic it must not write control
 * characters to the terminal: an ESC in a literal must come out as a visible `\x1b`.
 */
import { describe, expect, it } from 'vitest';
import { runCtq } from '../support/run-ctq';

const ESC = '\u001b';

describe('--explain plan output', () => {
  // It was printed raw: `AccessKeyId=AKIA<ESC>[2J` cleared the screen.
  it('escapes control characters in pushed-down lookup values', async () => {
    const r = await runCtq(['s3:GetObject', '--match', '$.userIdentity.accessKeyId == "AKIA\\u001b[2J"', '--explain', '--region', 'us-east-1']);
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).toContain('AccessKeyId=AKIA');
    expect(r.stdout + r.stderr).not.toContain(ESC);
  });
});
