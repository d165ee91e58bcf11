/**
 * README's Layout: `cli/` parses the flags, loads what planning needs (--match-file, rule files), calls
 * planRun, picks the sink and maps outcomes to exit codes; how a round reads (inputs, workers, regions,
 * connection, --follow, --strict…) is the plan's round section, never the flags. Checked twice: by the
 * type checker (a round is not handed the options) and on the source of every file under src/cli/.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RoundContext } from '../../src/cli/round';
import type { RunOptions } from '../../src/query/run-options';

const CLI = resolve(__dirname, '../../src/cli');

// Type-level: `npm run typecheck` fails if RoundContext gets the options back, under any name.
type FlagFields = { [K in keyof RoundContext]-?: RoundContext[K] extends Partial<RunOptions> & { readonly inputs: unknown } ? K : never }[keyof RoundContext];
const roundHasNoOptions: 'options' extends keyof RoundContext ? false : true = true;
const roundHasNoFlags: [FlagFields] extends [never] ? true : false = true;

/**
 * The files of cli/ that may hold the parsed options, and why; each may read only the fields listed.
 * `run.ts` is the planner's entry: it hands the options to loading and to planRun, and reads --debug
 * (how an internal error is shown), which no round acts on.
 */
const MAY_READ_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  'program.ts': ['*'], // the flag parser: it makes them
  'run.ts': ['debug'],
  'match-files.ts': ['matchFiles', 'matches'], // reads --match-file before planning
  'detection.ts': ['rules', 'sigma', 'explainRules', 'strict', 'summary'], // loads --rules/--sigma before planning
};

/** Where run.ts may pass the options whole (besides reading the fields above). */
const RUN_HANDS_OPTIONS_TO = ['loadMatchFiles(parsed.options)', 'const options = loaded.options', 'prepareDetection(options,', 'planRun(options,'];

function cliFiles(): string[] {
  return readdirSync(CLI).filter((name) => name.endsWith('.ts'));
}

/** Where a file can get the options from: their types, the parser, or the `options` run.ts holds. */
function namesOptions(text: string): boolean {
  return /\b(CliOptions|RunOptions|parseCommandLine)\b/.test(text);
}

/** The fields read as `options.x` (the name every holder of the options uses for them). */
function fieldsRead(text: string): string[] {
  return [...text.matchAll(/\boptions\.(\w+)/g)].map((m) => m[1]!);
}

describe('the command line stays in the flag parser and the planner entry', () => {
  it('hands a round the plan, not the options (checked by the type checker too)', () => {
    expect(roundHasNoOptions).toBe(true);
    expect(roundHasNoFlags).toBe(true);
    const round = readFileSync(join(CLI, 'round.ts'), 'utf8');
    expect(round).toMatch(/readonly plan: RunPlan/);
    expect(namesOptions(round)).toBe(false);
  });

  it('finds the files that hold the options (the checks below are not vacuous)', () => {
    const holders = cliFiles().filter((name) => namesOptions(readFileSync(join(CLI, name), 'utf8')));
    expect(holders.sort()).toEqual(['detection.ts', 'match-files.ts', 'program.ts', 'run.ts']);
    const run = readFileSync(join(CLI, 'run.ts'), 'utf8');
    for (const handOver of RUN_HANDS_OPTIONS_TO) expect(run).toContain(handOver);
  });

  it('lets no other file of cli/ name the options or their types', () => {
    const offenders = cliFiles().filter((name) => !(name in MAY_READ_OPTIONS) && namesOptions(readFileSync(join(CLI, name), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('lets each holder read only the fields it is there for', () => {
    const offenders: string[] = [];
    for (const [name, allowed] of Object.entries(MAY_READ_OPTIONS)) {
      if (allowed.includes('*')) continue;
      const text = readFileSync(join(CLI, name), 'utf8');
      for (const field of fieldsRead(text)) if (!allowed.includes(field)) offenders.push(`${name} reads options.${field}`);
    }
    expect(offenders).toEqual([]);
  });

  it('lets run.ts pass the options whole only to loading and planRun', () => {
    let run = readFileSync(join(CLI, 'run.ts'), 'utf8');
    for (const handOver of RUN_HANDS_OPTIONS_TO) run = run.split(handOver).join('');
    // What is left of `options` is field reads, checked above; anything else (a round given them) is not.
    const passed = [...run.matchAll(/\boptions\b(?!\.)/g)].map((m) => run.slice(Math.max(0, m.index - 40), m.index + 20).replace(/\s+/g, ' '));
    expect(passed).toEqual([]);
  });
});
