/**
 * Everything checked before any event is read: the time window, the query, chainOf arguments,
 * flag combinations and --group-by paths. A problem here is a usage error (exit 2, nothing on stdout).
 */
import { graphOf, identityFunctions, sessionKeyOf } from '../identity';
import { compileValueReader, renderExpressionError } from '../language';
import type { JsonObject } from '../language/json';
import type { GroupKey, SummaryOptions } from '../output/summary';
import { TERMINAL } from '../output/terminal-safe';
import { usesFunction } from '../query/expression-calls';
import { checkChainArguments } from '../query/identity-scan';
import { compileQuery, type CompiledQuery } from '../query/query';
import { makeWindow } from '../query/time-window';
import type { RuleSpec } from '../rules/rule';
import { RULE_GROUP_KEYS } from '../rules/summary-by-rule';
import { matchLabels } from './match-files';
import type { CliOptions } from './program';
import { splitTopLevel } from './split-list';

/** A usage problem found before anything was read. */
export class UsageProblem {
  /** `terminalSafe`: rendered for a terminal already (an expression with its caret), to be printed as is. */
  constructor(
    readonly message: string,
    readonly terminalSafe = false,
  ) {}
}

/** Where `session()` answers come from: the event alone until an identity graph has been built. */
export interface IdentityContext {
  /** session(), chainOf(), --enrich or --summary: the identity graph is built before filtering. */
  readonly needsGraph: boolean;
  readonly usesChainOf: boolean;
  sessionOf: (event: JsonObject) => string | null;
}

export interface Prepared {
  readonly query: CompiledQuery;
  readonly summary: SummaryOptions | null;
  readonly identity: IdentityContext;
  /** `--regions`: a list, `all`, or unset. */
  readonly regions: readonly string[] | 'all' | undefined;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export function prepare(options: CliOptions, nowMs: number, rules: readonly RuleSpec[] = []): Prepared | UsageProblem {
  if (options.actions.length === 0 && rules.length === 0) return new UsageProblem("missing required argument 'IAM_ACTION' (or give --rules/--sigma)");
  const window = makeWindow({ from: options.from, to: options.to, lastMinutes: options.lastMinutes }, nowMs);
  if (!window.ok) return new UsageProblem(window.message);
  // Compiled here against an empty graph only to check everything before any event is read.
  const placeholder = identityFunctions(graphOf([]));
  const spec = { actions: options.actions, matches: options.matches, labels: matchLabels(options), window: window.window, ...(rules.length > 0 ? { rules } : {}) };
  const compiled = compileQuery(spec, placeholder);
  if (!compiled.ok) return new UsageProblem(compiled.message, compiled.terminalSafe === true);
  const badChain = checkChainArguments(compiled.query);
  if (badChain !== null) return new UsageProblem(badChain, true);

  const flagProblem = checkFlagCombinations(options);
  if (flagProblem !== null) return new UsageProblem(flagProblem);
  const regions = parseRegions(options.regions);
  if (regions instanceof UsageProblem) return regions;

  const exprs = [...compiled.query.expressions, ...(compiled.query.rules?.rules.flatMap((rule) => rule.expressions) ?? [])];
  const usesChainOf = usesFunction(exprs, 'chainOf');
  const identity: IdentityContext = {
    needsGraph: options.enrich || options.summary || usesChainOf || usesFunction(exprs, 'session'),
    usesChainOf,
    sessionOf: sessionKeyOf,
  };
  let summary: SummaryOptions | null = null;
  if (options.summary) {
    // With rules, the summary has a row per rule (an event of two rules counts in both).
    const groupBy = options.groupBy !== undefined ? parseGroupBy(options.groupBy) : rules.length > 0 ? [...RULE_GROUP_KEYS] : [];
    if (groupBy instanceof UsageProblem) return groupBy;
    summary = { sessionOf: (event) => identity.sessionOf(event), groupBy };
  }
  return { query: compiled.query, summary, identity, regions };
}

function checkFlagCombinations(options: CliOptions): string | null {
  const api = options.inputs.length === 0;
  if (options.groupBy !== undefined && !options.summary) return '--group-by needs --summary';
  if (options.follow && (options.summary || options.format !== 'ndjson')) {
    return '--follow writes events as they come: it cannot be combined with --summary or --format json/table';
  }
  if (options.follow && options.inputs.includes('-')) return '--follow reads files or LookupEvents, not stdin (stdin is already a stream)';
  if (options.state !== undefined && options.inputs.includes('-')) return '--state cannot remember a position in stdin; name files or directories';
  if (options.explain && !api) return '--explain shows the LookupEvents plan; it does not apply to --input';
  if (!api) {
    const apiOnly = (['region', 'regions', 'profile', 'endpointUrl', 'rate'] as const).filter((key) => options[key] !== undefined);
    if (apiOnly.length > 0) {
      const flag = apiOnly[0]!.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
      return `--${flag} applies to LookupEvents, but --input was given`;
    }
  }
  if (options.region !== undefined && !REGION.test(options.region)) return `--region: '${options.region}' is not a region name (e.g. eu-central-1)`;
  return null;
}

function parseRegions(text: string | undefined): readonly string[] | 'all' | undefined | UsageProblem {
  if (text === undefined) return undefined;
  if (text.trim() === 'all') return 'all';
  const regions = text.split(',').map((r) => r.trim()).filter((r) => r.length > 0);
  const bad = regions.find((r) => !REGION.test(r));
  if (bad !== undefined || regions.length === 0) {
    return new UsageProblem(`--regions: '${bad ?? text}' is not a region name (e.g. us-east-1,eu-west-1, or 'all')`);
  }
  return regions;
}

function parseGroupBy(text: string): GroupKey[] | UsageProblem {
  const keys: GroupKey[] = [];
  for (const path of splitTopLevel(text)) {
    const reader = compileValueReader(path);
    if (!reader.ok) return new UsageProblem(renderExpressionError(path, reader.error, '--group-by', TERMINAL), true);
    keys.push({ name: path, of: reader.read });
  }
  if (keys.length === 0) return new UsageProblem('--group-by: expected one or more comma-separated JSONPaths');
  return keys;
}
