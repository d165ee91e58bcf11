/**
 * Real SigmaHQ CloudTrail rules (fixtures/sigma/rules, DRL 1.1) compiled and run against hand-written
 * events that must and must not match (fixtures/sigma/cases.yml); and the rules ctq cannot run
 * reported one by one while the others run.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { graphOf, identityFunctions } from '../../src/identity';
import type { JsonObject } from '../../src/language/json';
import { compileRuleSet } from '../../src/rules/compile-rule';
import { parseYamlText } from '../../src/rules/yaml-files';
import { readSigmaFile } from '../../src/sigma';
import { lines, runInProcess } from '../rules/in-process';

const RULES = 'fixtures/sigma/rules';
interface Case {
  readonly rule: string;
  readonly match: readonly { note: string; event: JsonObject }[];
  readonly nomatch: readonly { note: string; event: JsonObject }[];
}
const fixture = parse(readFileSync('fixtures/sigma/cases.yml', 'utf8')) as { base: JsonObject; cases: Case[] };
const ruleFiles = readdirSync(RULES).filter((f) => f.endsWith('.yml')).sort();
let seq = 0;
const complete = (event: JsonObject): JsonObject => ({ ...fixture.base, ...event, eventID: `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}` });
const cases = fixture.cases.map((c) => ({
  ...c,
  match: c.match.map((m) => ({ ...m, event: complete(m.event) })),
  nomatch: c.nomatch.map((m) => ({ ...m, event: complete(m.event) })),
}));

function compiled(file: string) {
  const read = readSigmaFile(parseYamlText(file, readFileSync(join(RULES, file), 'utf8')));
  expect(read.problems).toEqual([]);
  expect(read.rules).toHaveLength(1);
  const set = compileRuleSet([read.rules[0]!.spec], identityFunctions(graphOf([])));
  return { spec: read.rules[0]!.spec, test: (event: JsonObject) => set.matching(event).length > 0 };
}

describe('SigmaHQ CloudTrail rules against hand-written events', () => {
  it('has at least 20 real rules, each with events that must match and events that must not', () => {
    expect(ruleFiles.length).toBeGreaterThanOrEqual(20);
    expect(cases.map((c) => c.rule).sort()).toEqual(ruleFiles);
    for (const c of cases) {
      expect(c.match.length, c.rule).toBeGreaterThan(0);
      expect(c.nomatch.length, c.rule).toBeGreaterThan(0);
    }
  });

  for (const c of cases) {
    it(`${c.rule}: matches ${c.match.map((m) => m.note).join('; ')} — not ${c.nomatch.map((m) => m.note).join('; ')}`, () => {
      const rule = compiled(c.rule);
      for (const m of c.match) expect(rule.test(m.event), `should match: ${m.note}\n${rule.spec.matches[0]}`).toBe(true);
      for (const m of c.nomatch) expect(rule.test(m.event), `should not match: ${m.note}\n${rule.spec.matches[0]}`).toBe(false);
    });
  }
});

describe('--sigma through the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctq-sigma-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const all = cases.flatMap((c) => [...c.match, ...c.nomatch].map((m) => m.event));
  const input = join(dir, 'events.ndjson');
  writeFileSync(input, all.map((e) => JSON.stringify(e)).join('\n') + '\n');

  it('runs every rule in one pass: each event once, _ctq.rules holding the Sigma ids (and titles) of exactly the rules it matches', async () => {
    const result = await runInProcess(['--sigma', RULES, '--input', input]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const rules = ruleFiles.map(compiled);
    const out = new Map(lines(result.stdout).map((e) => [e.eventID, e._ctq as { rules: string[]; titles: string[] }]));
    for (const event of all) {
      const want = rules.filter((r) => r.test(event));
      const got = out.get(event.eventID as string);
      if (want.length === 0) expect(got).toBeUndefined();
      else expect(got).toEqual({ rules: want.map((r) => r.spec.id), titles: want.map((r) => r.spec.title) });
    }
    for (const c of cases) {
      const id = compiled(c.rule).spec.id;
      for (const m of c.match) expect(out.get(m.event.eventID as string)?.rules).toContain(id);
      for (const m of c.nomatch) expect(out.get(m.event.eventID as string)?.rules ?? []).not.toContain(id);
    }
  });

  it('reports each rule it cannot run, with the place and the reason, and runs the rest', async () => {
    const result = await runInProcess(['--sigma', RULES, '--sigma', 'fixtures/sigma/unsupported', '--input', input]);
    expect(result.code).toBe(0);
    const warnings = result.stderr.trim().split('\n');
    expect(warnings).toHaveLength(5);
    expect(result.stderr).toMatch(/unsupported\/aggregation\.yml:13:16: rule '5a2a9c0e-0000-4000-8000-000000000001': condition uses an aggregation \('\| count\(\) by sourceIPAddress > 5'\)/);
    expect(result.stderr).toMatch(/unsupported\/near\.yml:\d+:\d+: rule '[^']+': condition uses 'near'/);
    expect(result.stderr).toMatch(/unsupported\/placeholder\.yml:\d+:\d+: rule '[^']+': .*'expand' modifier is not supported/);
    expect(result.stderr).toMatch(/unsupported\/base64\.yml:\d+:\d+: rule '[^']+': .*'base64' modifier is not supported/);
    expect(result.stderr).toMatch(/unsupported\/windows\.yml:\d+:\d+: rule '[^']+': logsource is product 'windows'/);
    const alone = await runInProcess(['--sigma', RULES, '--input', input]);
    expect(result.stdout).toBe(alone.stdout);
  });

  it('--strict makes an unsupported rule fatal before anything is read', async () => {
    const result = await runInProcess(['--sigma', RULES, '--sigma', 'fixtures/sigma/unsupported/near.yml', '--input', input, '--strict']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });
});
