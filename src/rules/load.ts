/**
 * Loads `--rules` and `--sigma` paths into checked rule specs. Problems come back per rule (with
 * `file:line:column`); the rules without problems still run unless the caller is strict.
 */
import type { FunctionImplementations } from '../language';
import { checkRules } from './check';
import type { RuleProblem } from './problems';
import type { LoadedRule } from './rule-file';
import { readRuleFile } from './rule-file';
import { readYamlFiles, type YamlFile } from './yaml-files';

export interface RulePaths {
  readonly rules: readonly string[];
  readonly sigma: readonly string[];
}

export type LoadRulesResult =
  | { readonly ok: true; readonly rules: readonly LoadedRule[]; readonly problems: readonly RuleProblem[] }
  /** A path that cannot be read at all. */
  | { readonly ok: false; readonly message: string };

/** Turns one parsed file into rules; `--rules` and `--sigma` differ only here. */
export type RuleFileReader = (file: YamlFile) => { readonly rules: readonly LoadedRule[]; readonly problems: readonly RuleProblem[] };

export async function loadRules(paths: RulePaths, functions: FunctionImplementations, readSigma: RuleFileReader): Promise<LoadRulesResult> {
  const loaded: LoadedRule[] = [];
  const problems: RuleProblem[] = [];
  const sources: [readonly string[], RuleFileReader][] = [
    [paths.rules, readRuleFile],
    [paths.sigma, readSigma],
  ];
  for (const [list, read] of sources) {
    for (const path of list) {
      const files = await readYamlFiles(path);
      if (!files.ok) return files;
      problems.push(...files.problems);
      for (const file of files.files) {
        const result = read(file);
        loaded.push(...result.rules);
        problems.push(...result.problems);
      }
    }
  }
  const checked = checkRules(loaded, functions);
  problems.push(...checked.problems);
  return { ok: true, rules: checked.rules, problems };
}
