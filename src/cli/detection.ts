/**
 * The detection flags, checked before anything is read: `--count-by`/`--threshold`/`--window`/
 * `--distinct` first (the check is the planner's, query/threshold-flags.ts), then `--rules`/`--sigma`
 * files loaded and checked (each bad rule reported with file:line:column and left out). `--explain-rules`
 * prints the rules as a ctq rules file and stops. What this returns goes into planRun.
 */
import { graphOf, identityFunctions } from '../identity';
import { renderRuleProblem, type RuleProblem } from '../rules/problems';
import type { RuleSpec } from '../rules/rule';
import { planThreshold, type CliThreshold } from '../query/threshold-flags';
import type { Diagnostics } from './diagnostics';
import { ExitCode } from './exit-codes';
import type { CliOptions } from './program';

export interface Detection {
  readonly rules: readonly RuleSpec[];
  readonly cliThreshold: CliThreshold | null;
  /** Some rule was broken and left out: the run goes on but ends with exit 1. */
  readonly brokenRules: boolean;
}

export type DetectionResult = { readonly ok: true; readonly detection: Detection } | { readonly ok: false; readonly code: ExitCode };

export async function prepareDetection(options: CliOptions, diagnostics: Diagnostics, stdout: { write(text: string): unknown }): Promise<DetectionResult> {
  const cliThreshold = planThreshold(options);
  if (typeof cliThreshold === 'string') {
    diagnostics.safeBlock(`ctq: ${cliThreshold}`);
    return { ok: false, code: ExitCode.Usage };
  }
  if (options.rules.length === 0 && options.sigma.length === 0) {
    if (options.explainRules) {
      diagnostics.block('ctq: --explain-rules needs --rules or --sigma');
      return { ok: false, code: ExitCode.Usage };
    }
    return { ok: true, detection: { rules: [], cliThreshold, brokenRules: false } };
  }
  // Rule files are YAML: the parser and the rule and Sigma compilers are loaded only for a run that has
  // rules, so every other run starts without them.
  // The YAML printer comes with the rules' own module: esbuild gives a dynamic import of the CommonJS
  // `yaml` package no named exports, so `(await import('yaml')).stringify` was undefined in the bundle.
  const [{ loadRules }, { readSigmaFile }, { explainRules }] = await Promise.all([import('../rules/load'), import('../sigma'), import('../rules/explain')]);
  // Checked against an empty identity graph, as --match is: only names and arguments matter here.
  const loaded = await loadRules({ rules: options.rules, sigma: options.sigma }, identityFunctions(graphOf([])), readSigmaFile);
  if (!loaded.ok) {
    diagnostics.error(loaded.message);
    return { ok: false, code: ExitCode.Usage };
  }
  for (const problem of loaded.problems) report(diagnostics, problem);
  const broken = loaded.problems.some((p) => p.kind === 'error');
  if (options.strict && loaded.problems.length > 0) {
    diagnostics.note(`stopped: ${loaded.problems.length} rule problem${loaded.problems.length === 1 ? '' : 's'} under --strict`);
    return { ok: false, code: ExitCode.Usage };
  }
  if (loaded.rules.length === 0) {
    diagnostics.error('no rule left to run');
    return { ok: false, code: ExitCode.Usage };
  }
  const rules = loaded.rules.map((rule) => rule.spec);
  if (options.summary && rules.some((rule) => rule.threshold !== undefined)) {
    diagnostics.block('ctq: rules with a threshold write alert records: they cannot be combined with --summary');
    return { ok: false, code: ExitCode.Usage };
  }
  if (options.explainRules) {
    stdout.write(explainRules(rules));
    return { ok: false, code: broken ? ExitCode.Failure : ExitCode.Ok };
  }
  return { ok: true, detection: { rules, cliThreshold, brokenRules: broken } };
}

function report(diagnostics: Diagnostics, problem: RuleProblem): void {
  const [head, ...frame] = renderRuleProblem(problem).split('\n');
  if (problem.kind === 'error') diagnostics.error(head!);
  else diagnostics.warn(head!);
  if (frame.length > 0) diagnostics.safeBlock(frame.join('\n'));
}
