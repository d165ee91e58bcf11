/**
 * A rule whose match has a bad string escape is reported with the same advice as --match gives:
 * the list of valid escapes, written once. The advice is fixed text, not input, so escaping it for
 * the terminal doubles every backslash and tells the user to type `\\n` where `\n` is meant.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCtq } from '../support/run-ctq';
import { scratchDir } from '../support/scratch';

const HINT = String.raw`use \" \' \\ \/ \b \f \n \r \t or \uXXXX`;

describe('escape advice for a rule expression', () => {
  it('is printed once, not with doubled backslashes, and the rule is still located', async () => {
    const dir = scratchDir('ctq-qa-hint-');
    const file = join(dir, 'rules.yml');
    writeFileSync(file, String.raw`- id: bad-escape
  title: Bad escape
  actions: ['*:*']
  match: '$.eventName == "\e[2J"'
- id: fine
  title: Fine
  actions: ['*:*']
  match: '$.eventName == "GetObject"'
`);
    const r = await runCtq(['--rules', file, '--input', '-'], { stdin: '{"eventSource":"s3.amazonaws.com","eventName":"GetObject"}\n' });
    expect(r.stderr).toContain(`${file}:4:`);
    expect(r.stderr).toContain(HINT);
    expect(r.stderr).not.toContain(String.raw`\\"`);
    expect(r.stdout).toContain('"fine"');
  });

  it('--match gives the same advice', async () => {
    const r = await runCtq(['*:*', '--input', '-', '--match', String.raw`$.eventName == "\e"`], { stdin: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(HINT);
  });
});
