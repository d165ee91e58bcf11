/**
 * `--rules`: many named rules in one pass, each matching event printed once with the ids of every rule
 * that matched; bad rules reported at file:line:column and left out.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCtq } from '../support/run-ctq';
import { lines, runInProcess } from './in-process';

const EVENTS = 'fixtures/events.ndjson';
const RULES = 'fixtures/rules/detections.yml';
const events = readFileSync(EVENTS, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

const denied = (e: Record<string, unknown>) => e.errorCode === 'AccessDenied';
const iamWrite = (e: Record<string, unknown>) => e.eventSource === 'iam.amazonaws.com' && e.readOnly === false;
const s3Denied = (e: Record<string, unknown>) => e.eventSource === 's3.amazonaws.com' && denied(e);
const expectedRules = (e: Record<string, unknown>) =>
  [denied(e) && 'access-denied', iamWrite(e) && 'iam-writes', s3Denied(e) && 's3-denied'].filter((x): x is string => x !== false);

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctq-rules-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('--rules', () => {
  it('prints each matching event once, in input order, with the ids and titles of every rule it matched', async () => {
    const result = await runInProcess(['--rules', RULES, '--input', EVENTS]);
    expect(result.code).toBe(0);
    const out = lines(result.stdout);
    const want = events.filter((e) => expectedRules(e).length > 0);
    expect(want.length).toBeGreaterThan(20);
    expect(out.map((e) => e.eventID)).toEqual(want.map((e) => e.eventID));
    for (const event of out) {
      const original = events.find((e) => e.eventID === event.eventID)!;
      const { _ctq, ...rest } = event as { _ctq: { rules: string[]; titles: string[] } };
      expect(rest).toEqual(original);
      expect(_ctq.rules).toEqual(expectedRules(original));
      expect(_ctq.titles).toHaveLength(_ctq.rules.length);
    }
    // Some event matched two rules and is still printed once.
    expect(out.some((e) => (e._ctq as { rules: string[] }).rules.length > 1)).toBe(true);
  });

  it('reads a directory of rule files and ANDs positional actions and --match with every rule', async () => {
    const result = await runInProcess(['iam:*', '--rules', 'fixtures/rules', '--input', EVENTS, '--match', '$.awsRegion == "us-east-1"'], {});
    // fixtures/rules/broken/ is in the directory too: its rules are reported, the good ones run.
    expect(result.code).toBe(1);
    const want = events.filter((e) => e.eventSource === 'iam.amazonaws.com' && e.awsRegion === 'us-east-1' && (expectedRules(e).length > 0 || e.eventName === 'AssumeRole'));
    expect(lines(result.stdout).map((e) => e.eventID)).toEqual(want.map((e) => e.eventID));
  });

  it('adds the rules to --enrich\'s _ctq instead of replacing it', async () => {
    const result = await runInProcess(['--rules', RULES, '--input', EVENTS, '--enrich']);
    const out = lines(result.stdout);
    expect(out.length).toBeGreaterThan(0);
    for (const event of out) {
      const ctq = event._ctq as Record<string, unknown>;
      expect(typeof ctq.session).toBe('string');
      expect(Array.isArray(ctq.chain)).toBe(true);
      expect(ctq.rules).toEqual(expectedRules(events.find((e) => e.eventID === event.eventID)!));
    }
  });

  it('--summary has one row per rule, an event of two rules counted under each', async () => {
    const result = await runInProcess(['--rules', RULES, '--input', EVENTS, '--summary']);
    expect(result.code).toBe(0);
    const rows = lines(result.stdout);
    const count = (id: string) => events.filter((e) => expectedRules(e).includes(id)).length;
    expect(rows.map((r) => [r.rule, r.title, r.occurrences]).sort()).toEqual(
      [
        ['access-denied', 'Access denied anywhere', count('access-denied')],
        ['iam-writes', 'IAM writes', count('iam-writes')],
        ['s3-denied', 'S3 access denied', count('s3-denied')],
      ].sort(),
    );
  });

  it('reports each bad rule at file:line:column (inside an expression: the offending column) and runs the others', async () => {
    const result = await runInProcess(['--rules', 'fixtures/rules/broken/mixed.yml', '--input', EVENTS]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("fixtures/rules/broken/mixed.yml:11:9: rule 'cut-short': match: expected a value");
    expect(result.stderr).toContain("fixtures/rules/broken/mixed.yml:15:12: rule 'bad-action': IAM action 'not an action'");
    expect(result.stderr).toContain("fixtures/rules/broken/mixed.yml:19:3: rule 'typo': unknown key 'matches'");
    const out = lines(result.stdout);
    expect(out.map((e) => e.eventID)).toEqual(events.filter((e) => e.eventName === 'AssumeRole').map((e) => e.eventID));
    expect(out.every((e) => (e._ctq as { rules: string[] }).rules.join() === 'good')).toBe(true);
  });

  it('--strict makes any bad rule fatal before anything is read', async () => {
    const result = await runInProcess(['--rules', 'fixtures/rules/broken/mixed.yml', '--input', EVENTS, '--strict']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/stopped: 3 rule problems under --strict/);
  });

  it('reports YAML syntax errors, duplicate ids and a missing path with their place', async () => {
    writeFileSync(join(dir, 'a.yml'), '- id: one\n  title: One\n  match: $.a == 1\n- id: one\n  title: Again\n  match: $.b == 1\n');
    writeFileSync(join(dir, 'b.yaml'), 'rules:\n  - id: [unclosed\n');
    const result = await runInProcess(['--rules', dir, '--input', EVENTS]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${join(dir, 'a.yml')}:4:3: rule 'one': the id is already used by the rule at ${join(dir, 'a.yml')}:1`);
    expect(result.stderr).toMatch(new RegExp(`${join(dir, 'b.yaml').replace(/[.]/g, '\\.')}:\\d+:\\d+: not valid YAML`));
    const missing = await runInProcess(['--rules', join(dir, 'nope'), '--input', EVENTS]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope: no such file or directory/);
  });

  it('escapes hostile rule text on stderr and keeps the caret under the escaped expression', async () => {
    writeFileSync(join(dir, 'hostile.yml'), '- id: "evil\\e[2J"\n  title: T\n  match: "$.a == \\"\\e]0;owned\\a\\" and"\n- id: ok\n  title: OK\n  match: $.eventName == "AssumeRole"\n');
    const result = await runInProcess(['--rules', join(dir, 'hostile.yml'), '--input', EVENTS]);
    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(/[\x1b\x07]/);
    expect(result.stderr).toContain("rule 'evil\\x1b[2J'");
    const [, frame, caret] = result.stderr.split('\n');
    expect(frame).toBe('$.a == "\\x1b]0;owned\\x07" and');
    expect(caret!.indexOf('^')).toBe(frame!.length);
  });

  it('--explain-rules prints the rules as a rules file that reads back to the same result', async () => {
    const explained = await runInProcess(['--rules', RULES, '--explain-rules']);
    expect(explained.code).toBe(0);
    writeFileSync(join(dir, 'again.yml'), explained.stdout);
    const again = await runInProcess(['--rules', join(dir, 'again.yml'), '--input', EVENTS]);
    const first = await runInProcess(['--rules', RULES, '--input', EVENTS]);
    expect(again.stdout).toBe(first.stdout);
  });

  it('--explain-rules works in the built binary too, Sigma rules included (its YAML printer is loaded lazily)', async () => {
    const built = await runCtq(['--rules', RULES, '--sigma', 'fixtures/sigma/rules', '--explain-rules']);
    expect(built.stderr).not.toMatch(/TypeError/);
    expect(built.code).toBe((await runInProcess(['--rules', RULES, '--sigma', 'fixtures/sigma/rules', '--explain-rules'])).code);
    expect(built.stdout).toMatch(/^rules:\n {2}- id: /);
    expect(built.stdout).toBe((await runInProcess(['--rules', RULES, '--sigma', 'fixtures/sigma/rules', '--explain-rules'])).stdout);
  });

  it('without --rules an IAM action is still required', async () => {
    const result = await runInProcess(['--input', EVENTS]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/missing required argument 'IAM_ACTION'/);
  });
});
