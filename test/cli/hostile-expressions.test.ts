/**
 * Expressions and values chosen to break ctq: deep nesting, a catastrophic regex against an
 * attacker-chosen field, escape sequences in what the user typed. Each must end in a clear
 * one-line error (exit 2) or a prompt answer, never a stack trace, a hang or a raw escape.
 * Runs the built binary (`npm run build` first, as `npm test` does).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CTQ, REPO, runCtq } from '../support/run-ctq';

const hostileAgent = 'a'.repeat(40) + '!';
const hostileEvents = Array.from({ length: 200 }, (_, i) =>
  JSON.stringify({ eventVersion: '1.08', eventID: `e-${i}`, eventTime: '2026-11-20T00:00:00Z', eventSource: 's3.amazonaws.com', eventName: 'GetObject', userAgent: hostileAgent }),
).join('\n') + '\n';

describe('deeply nested expressions', () => {
  // Under the 128 KB a single argument may have on Linux (MAX_ARG_STRLEN); longer ones go in --match-file.
  const chain = Array.from({ length: 4500 }, (_, i) => `$.eventID != "x-${i}"`).join(' and ') + ' and $.eventID != "e-3"';
  it.each([
    ['400 parentheses', '('.repeat(400) + '$.eventID' + ')'.repeat(400), 129],
    ['a 1,000-deep list', '$.eventID == ' + '['.repeat(1000) + ']'.repeat(1000), 142],
    ['a 1,000-deep object', '$.eventID == ' + '{"a":'.repeat(1000) + '1' + '}'.repeat(1000), 14 + 5 * 128],
    ['5,000 not', 'not '.repeat(5000) + '$.eventID', 513],
  ])('%s: exit 2 with a positioned one-line message', async (_, expression, column) => {
    const result = await runCtq(['*:*', '--input', '-', '--match', expression], { stdin: hostileEvents });
    expect(result.code).toBe(2);
    const lines = result.stderr.split('\n');
    expect(lines[0]).toBe(`ctq: --match: expression nested too deeply (more than 128 levels of brackets and 'not') at column ${column}`);
    expect(result.stderr).not.toMatch(/\n\s+at |RangeError|Maximum call stack/);
  });

  it(`a ${Math.round(chain.length / 1024)} KB chain of and is evaluated`, async () => {
    expect(chain.length).toBeGreaterThan(100_000);
    const result = await runCtq(['*:*', '--input', '-', '--match', chain], { stdin: hostileEvents });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(199);
  });
});

describe('catastrophic regular expressions', () => {
  it("(a+)+$ against 'a'*40+'!' answers at once (RE2, linear time)", async () => {
    const none = await runCtq(['*:*', '--input', '-', '--match', '$.userAgent regex /(a+)+$/'], { stdin: hostileEvents });
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('');
    const all = await runCtq(['*:*', '--input', '-', '--match', '$.userAgent regex /(a+)+!$/'], { stdin: hostileEvents });
    expect(all.code).toBe(0);
    expect(all.stdout.trim().split('\n')).toHaveLength(200);
  });

  it('SIGTERM stops a run that is matching hostile values against a live feed', async () => {
    const child = spawn(CTQ, ['*:*', '--input', '-', '--match', '$.userAgent regex /^(a|a)*$/'], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.on('error', () => {});
    // 200 values a backtracking engine would take ages over, then one that matches: its output shows
    // every hostile value was answered, and the run is then waiting on the open feed.
    const matching = JSON.stringify({ eventID: 'e-match', eventSource: 's3.amazonaws.com', eventName: 'GetObject', userAgent: 'aaaa' });
    child.stdin.write(hostileEvents + matching + '\n');
    const output = await new Promise<string>((resolve) => child.stdout.once('data', (data: Buffer) => resolve(data.toString('utf8'))));
    expect(JSON.parse(output)).toMatchObject({ eventID: 'e-match' });
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(code).toBe(130);
  });

  it('a pattern RE2 cannot run in linear time is an exit-2 error at its column', async () => {
    const result = await runCtq(['*:*', '--input', '-', '--match', '$.userAgent regex /(a)\\1/'], { stdin: '' });
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toMatch(/^ctq: --match: invalid regex: .*backreferences and lookaround .* at column 19$/);
  });
});

describe('what the user typed is escaped before it is echoed', () => {
  it('an option-parsing error does not echo an escape sequence raw', async () => {
    const result = await runCtq(['--format', '\u001b[2J']);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain('\u001b');
    expect(result.stderr).toContain("'\\x1b[2J'");
  });

  it('the caret stays under the offending text when the expression holds backslashes and control characters', async () => {
    const result = await runCtq(['*:*', '--input', '-', '--match', '$.a == "C:\\\\tmp" ==\t1'], { stdin: '' });
    expect(result.code).toBe(2);
    const [message, line, caret] = result.stderr.split('\n');
    expect(message).toMatch(/^ctq: --match: expected 'and' or 'or' after .* but found '==' at column 18$/);
    expect(line).toBe('$.a == "C:\\\\\\\\tmp" ==\\t1');
    expect(caret!.indexOf('^')).toBe(line!.lastIndexOf('=='));
    expect(caret!.trim()).toBe('^~');
  });

  it('the escape hint of a bad string escape is printed once, not doubled', async () => {
    const result = await runCtq(['*:*', '--input', '-', '--match', '$.a == "\\q"'], { stdin: '' });
    expect(result.code).toBe(2);
    const [message, line, caret] = result.stderr.split('\n');
    expect(message).toBe("ctq: --match: invalid escape '\\\\q' in a string: use \\\" \\' \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX at column 9");
    expect(line).toBe('$.a == "\\\\q"');
    expect(caret).toBe('        ^~~');
  });
});

describe('--match-file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctq-match-file-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string): string => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('reads one expression, # lines are comments, and it is ANDed with --match', async () => {
    const file = write('rule.ctq', '# hostile user agents\n$.userAgent startswith "aaa"\n  # not this one\n  and $.eventID not in ["e-1", "e-2"]\n');
    const result = await runCtq(['*:*', '--input', '-', '--match-file', file, '--match', '$.eventID != "e-3"'], { stdin: hostileEvents });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(197);
  });

  it('holds an expression longer than one argument may be (a 300 KB in list)', async () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => `x-${i}-padding-padding`);
    ids.push('e-7');
    const file = write('big.ctq', `$.eventID in ${JSON.stringify(ids)}\n`);
    const result = await runCtq(['*:*', '--input', '-', '--match-file', file], { stdin: hostileEvents });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ eventID: 'e-7' });
  });

  it('names the file, line and column of an error', async () => {
    const file = write('bad.ctq', '# comment\n$.eventName == "x"\n  and $.x ==\n\n');
    const result = await runCtq(['*:*', '--input', '-', '--match-file', file], { stdin: '' });
    expect(result.code).toBe(2);
    const [message, line, caret] = result.stderr.split('\n');
    expect(message).toBe(`ctq: --match-file ${file}: expected a value (a $-path, a literal or a function call) after '==' but found end of expression at line 3, column 13`);
    expect(line).toBe('  and $.x ==');
    expect(caret).toBe('            ^');
  });

  it('a missing or empty file is a usage error', async () => {
    const missing = await runCtq(['*:*', '--input', '-', '--match-file', join(dir, 'nope.ctq')], { stdin: '' });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`ctq: --match-file ${join(dir, 'nope.ctq')}: cannot read it (ENOENT)\n`);
    const empty = await runCtq(['*:*', '--input', '-', '--match-file', write('empty.ctq', '# only\n\n')], { stdin: '' });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/holds no expression/);
  });
});

describe('a path filter that throws', () => {
  it('warns once, with how often it failed, also when worker threads did the scanning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctq-filter-'));
    try {
      const file = join(dir, 'events.ndjson');
      const line = (i: number) =>
        JSON.stringify({ eventID: `e-${i}`, eventSource: 's3.amazonaws.com', eventName: 'GetObject', resources: [{ ARN: 'x', pad: 'p'.repeat(200) }, { a: { b: 1 } }] });
      writeFileSync(file, Array.from({ length: 40_000 }, (_, i) => line(i)).join('\n') + '\n');
      const result = await runCtq(['*:*', '--input', file, '--match', '$.resources[?(@.a.b == 1)]', '--workers', '2', '--stats']);
      expect(result.code).toBe(0);
      const lines = result.stderr.trim().split('\n');
      const warnings = lines.filter((l) => l.startsWith('ctq: warning:'));
      expect(warnings).toEqual([
        "ctq: warning: the path filter ?(@.a.b == 1) failed 40000 times (Cannot read properties of undefined (reading 'b')) and counted as false there; guard it, e.g. ?(@.a && @.a.b == 1)",
      ]);
      expect(JSON.parse(lines.at(-1)!)).toMatchObject({ matched: 40_000 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
