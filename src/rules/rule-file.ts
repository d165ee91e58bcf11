/**
 * ctq's own rule files (`--rules`). A file holds one rule, a list of rules, or `rules: [...]`, in one or
 * more YAML documents:
 *
 *   rules:
 *     - id: console-login-without-mfa
 *       title: Console login without MFA
 *       actions: signin:ConsoleLogin          # or a list; default '*:*'
 *       match: $.additionalEventData.MFAUsed == "No"   # or a list, ANDed
 *       severity: high
 *       tags: [initial-access]
 *       threshold: { count-by: session(), threshold: 10, window: 5m, distinct: $.eventName }   # optional
 *
 * Each rule comes back with the file position of every part, so later checks (expressions, actions)
 * can point into the file.
 */
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import { DURATION_HINT, parseDuration } from './duration';
import { ruleProblem, type RuleProblem } from './problems';
import type { RuleSpec, SourcePosition, ThresholdSpec } from './rule';
import { positionOf, scalarOffsetMapper, type YamlFile } from './yaml-files';

/** A rule read from a file, with where each of its texts came from. */
export interface LoadedRule {
  readonly spec: RuleSpec;
  readonly position: SourcePosition;
  /** For each `matches` entry: the file position of an offset inside it. */
  readonly matchAt: readonly ((offset: number) => SourcePosition)[];
  readonly actionsAt: readonly SourcePosition[];
  /** For the threshold's `count-by` and `distinct` paths, in that order. */
  readonly thresholdAt: readonly ((offset: number) => SourcePosition)[];
  /** Problems that do not make the rule wrong but that a Sigma user should hear about. */
  readonly notes?: readonly RuleProblem[];
}

export interface RuleFileResult {
  readonly rules: readonly LoadedRule[];
  readonly problems: readonly RuleProblem[];
}

const KEYS = new Set(['id', 'title', 'actions', 'match', 'severity', 'tags', 'threshold', 'description']);
const THRESHOLD_KEYS = new Set(['count-by', 'threshold', 'window', 'distinct']);

export function readRuleFile(file: YamlFile): RuleFileResult {
  const rules: LoadedRule[] = [];
  const problems: RuleProblem[] = [];
  for (const doc of file.documents) {
    const root = doc.contents;
    if (root === null || root === undefined) continue;
    let items: readonly unknown[];
    if (isSeq(root)) items = root.items;
    else if (isMap(root) && root.has('rules') && !root.has('id')) {
      const list = root.get('rules', true);
      if (!isSeq(list)) {
        problems.push(ruleProblem(positionOf(file, list as Node), null, "'rules' must be a list of rules"));
        continue;
      }
      items = list.items;
    } else items = [root];
    for (const item of items) {
      const read = readRule(file, item as Node);
      if ('problem' in read) problems.push(read.problem);
      else rules.push(read.rule);
    }
  }
  return { rules, problems };
}

function readRule(file: YamlFile, node: Node): { rule: LoadedRule } | { problem: RuleProblem } {
  const at = positionOf(file, node);
  if (!isMap(node)) return { problem: ruleProblem(at, null, 'a rule must be a mapping with id, title, actions and match') };
  const idNode = node.get('id', true) as Node | undefined;
  const id = stringOf(idNode);
  if (id === null || id.trim() === '') return { problem: ruleProblem(at, null, "a rule needs an 'id' (a non-empty string)") };
  const fail = (where: Node | null | undefined, message: string) => ({ problem: ruleProblem(where ? positionOf(file, where) : at, id, message) });

  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!KEYS.has(key)) return fail(pair.key as Node, `unknown key '${key}' (expected ${[...KEYS].join(', ')})`);
  }
  const title = stringOf(node.get('title', true) as Node | undefined);
  if (title === null) return fail(node.get('title', true) as Node | undefined, "a rule needs a 'title' (a string)");

  const actionNodes = stringList(node, 'actions');
  if (actionNodes === 'bad') return fail(node.get('actions', true) as Node, "'actions' must be an IAM action or a list of them (e.g. 's3:Get*')");
  const matchNodes = stringList(node, 'match');
  if (matchNodes === 'bad') return fail(node.get('match', true) as Node, "'match' must be an expression or a list of expressions");
  if (matchNodes.length === 0 && actionNodes.length === 0) return fail(node, "a rule needs 'match' or 'actions' (or both)");
  const tagNodes = stringList(node, 'tags');
  if (tagNodes === 'bad') return fail(node.get('tags', true) as Node, "'tags' must be a list of strings");
  const severityNode = node.get('severity', true) as Node | undefined;
  const severity = severityNode === undefined ? undefined : stringOf(severityNode);
  if (severity === null) return fail(severityNode, "'severity' must be a string");

  const thresholdNode = node.get('threshold', true) as Node | undefined;
  let threshold: { spec: ThresholdSpec; at: ((offset: number) => SourcePosition)[] } | undefined;
  if (thresholdNode !== undefined) {
    const read = readThreshold(file, thresholdNode);
    if ('message' in read) return fail(read.node, read.message);
    threshold = read;
  }

  const spec: RuleSpec = {
    id,
    title,
    actions: actionNodes.length === 0 ? ['*:*'] : actionNodes.map((n) => String(n.value)),
    matches: matchNodes.map((n) => String(n.value)),
    ...(severity !== undefined ? { severity } : {}),
    ...(tagNodes.length > 0 ? { tags: tagNodes.map((n) => String(n.value)) } : {}),
    ...(threshold !== undefined ? { threshold: threshold.spec } : {}),
  };
  return {
    rule: {
      spec,
      position: at,
      matchAt: matchNodes.map((n) => scalarOffsetMapper(file, n)),
      actionsAt: actionNodes.map((n) => positionOf(file, n)),
      thresholdAt: threshold?.at ?? [],
    },
  };
}

function readThreshold(
  file: YamlFile,
  node: Node,
): { spec: ThresholdSpec; at: ((offset: number) => SourcePosition)[] } | { node: Node; message: string } {
  if (!isMap(node)) return { node, message: "'threshold' must be a mapping with count-by, threshold and window" };
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!THRESHOLD_KEYS.has(key)) return { node: pair.key as Node, message: `unknown threshold key '${key}' (expected ${[...THRESHOLD_KEYS].join(', ')})` };
  }
  const countBy = stringList(node, 'count-by');
  if (countBy === 'bad') return { node: node.get('count-by', true) as Node, message: "'count-by' must be a path or a list of paths" };
  const countNode = node.get('threshold', true) as Node | undefined;
  const count = isScalar(countNode) ? countNode.value : undefined;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) return { node: countNode ?? node, message: "'threshold' must be a whole number of at least 1" };
  const windowNode = node.get('window', true) as Node | undefined;
  const windowText = stringOf(windowNode);
  const windowMs = windowText === null ? null : parseDuration(windowText);
  if (windowMs === null) return { node: windowNode ?? node, message: `'window' must be ${DURATION_HINT}` };
  const distinctNode = node.get('distinct', true) as Node | undefined;
  const distinct = distinctNode === undefined ? undefined : stringOf(distinctNode);
  if (distinct === null) return { node: distinctNode!, message: "'distinct' must be a path" };
  const at = [...countBy, ...(distinctNode ? [distinctNode] : [])].map((n) => scalarOffsetMapper(file, n));
  return {
    spec: { countBy: countBy.map((n) => String(n.value)), threshold: count, windowMs, ...(distinct !== undefined ? { distinct } : {}) },
    at,
  };
}

function stringOf(node: Node | null | undefined): string | null {
  return isScalar(node) && typeof node.value === 'string' ? node.value : null;
}

type StringNode = Node & { value: string };

/** A key holding one string or a list of strings, as nodes; absent is an empty list. */
function stringList(map: YAMLMap, key: string): StringNode[] | 'bad' {
  const node = map.get(key, true) as Node | undefined;
  if (node === undefined) return [];
  if (isScalar(node)) return typeof node.value === 'string' ? [node as StringNode] : 'bad';
  if (!isSeq(node)) return 'bad';
  const out: StringNode[] = [];
  for (const item of node.items) {
    if (!isScalar(item) || typeof item.value !== 'string') return 'bad';
    out.push(item as StringNode);
  }
  return out;
}
