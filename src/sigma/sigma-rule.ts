/**
 * A Sigma rule file → ctq rules. Only rules whose logsource is `product: aws` and `service: cloudtrail`
 * are taken; each detection becomes one ctq expression (see field-test.ts and condition.ts), so what
 * runs is exactly what `--explain-rules` shows. What ctq cannot express is reported per rule, with
 * the reason and the place in the file, and that rule alone is left out.
 */
import { isMap, isScalar, isSeq, type Document, type Node, type YAMLMap } from 'yaml';
import type { LoadedRule } from '../rules/rule-file';
import { ruleProblem, type RuleProblem } from '../rules/problems';
import { positionOf, type YamlFile } from '../rules/yaml-files';
import { namesMatching, parseCondition, type Condition } from './condition';
import { actionsOfExpression } from './actions';
import { fieldTest, joinAll, keywordTest, type FieldTest } from './field-test';

export function readSigmaFile(file: YamlFile): { rules: LoadedRule[]; problems: RuleProblem[] } {
  const rules: LoadedRule[] = [];
  const problems: RuleProblem[] = [];
  for (const doc of file.documents) {
    const read = readSigmaDocument(file, doc);
    if (read === null) continue;
    if ('problem' in read) problems.push(read.problem);
    else rules.push(read.rule);
  }
  return { rules, problems };
}

function readSigmaDocument(file: YamlFile, doc: Document.Parsed): { rule: LoadedRule } | { problem: RuleProblem } | null {
  const root = doc.contents;
  if (root === null || root === undefined) return null;
  const at = positionOf(file, root);
  if (!isMap(root)) return { problem: ruleProblem(at, null, 'a Sigma rule must be a mapping') };
  const plain = root.toJSON() as Record<string, unknown>;
  const title = typeof plain.title === 'string' ? plain.title : null;
  const id = typeof plain.id === 'string' ? plain.id : title;
  if (id === null || title === null) return { problem: ruleProblem(at, null, 'a Sigma rule needs a title (and should have an id)') };
  const unsupported = (where: Node | null | undefined, message: string) => ({ problem: ruleProblem(where ? positionOf(file, where) : at, id, message, 'unsupported') });
  const broken = (where: Node | null | undefined, message: string) => ({ problem: ruleProblem(where ? positionOf(file, where) : at, id, message) });

  if (plain.correlation !== undefined) return unsupported(root.get('correlation', true) as Node, 'a correlation rule relates other rules\' matches: not supported');
  if (plain.action !== undefined) return unsupported(root.get('action', true) as Node, "rule collections ('action: global/repeat/reset') are not supported; write each rule whole");
  const logsource = plain.logsource as Record<string, unknown> | undefined;
  const product = String(logsource?.product ?? '').toLowerCase();
  const service = String(logsource?.service ?? '').toLowerCase();
  if (product !== 'aws' || service !== 'cloudtrail') {
    return unsupported(root.get('logsource', true) as Node, `logsource is product '${product}', service '${service}': ctq reads CloudTrail (product aws, service cloudtrail)`);
  }
  const detectionNode = root.get('detection', true) as Node | undefined;
  if (!isMap(detectionNode)) return broken(detectionNode, "a Sigma rule needs a 'detection' mapping");
  const translated = translateDetection(detectionNode);
  if (!translated.ok) return translated.unsupported ? unsupported(translated.node ?? detectionNode, translated.message) : broken(translated.node ?? detectionNode, translated.message);

  const level = typeof plain.level === 'string' ? plain.level : undefined;
  const tags = Array.isArray(plain.tags) ? plain.tags.filter((t): t is string => typeof t === 'string') : [];
  const detectionAt = positionOf(file, detectionNode);
  return {
    rule: {
      spec: {
        id,
        title,
        actions: actionsOfExpression(translated.text),
        matches: [translated.text],
        ...(level !== undefined ? { severity: level } : {}),
        ...(tags.length > 0 ? { tags } : {}),
      },
      position: at,
      // The expression is generated: its errors (which would be ctq's bugs) point at the detection.
      matchAt: [() => detectionAt],
      actionsAt: [],
      thresholdAt: [],
    },
  };
}

type Translation = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly unsupported: boolean; readonly message: string; readonly node?: Node };

function translateDetection(detection: YAMLMap): Translation {
  const searches = new Map<string, string>();
  let conditionNode: Node | undefined;
  for (const pair of detection.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : '';
    const valueNode = pair.value as Node | null;
    if (name === 'condition') {
      conditionNode = valueNode ?? undefined;
      continue;
    }
    // The window of an aggregation: the condition's aggregation is what gets reported.
    if (name === 'timeframe') continue;
    const search = translateSearch(valueNode);
    if (!search.ok) return { ...search, node: search.node ?? (pair.key as Node) };
    searches.set(name, search.text);
  }
  if (conditionNode === undefined) return { ok: false, unsupported: false, message: "the detection has no 'condition'" };
  const texts = isSeq(conditionNode) ? conditionNode.items.map((item) => (isScalar(item) ? String(item.value) : '')) : [isScalar(conditionNode) ? String(conditionNode.value) : ''];
  const parts: string[] = [];
  for (const text of texts) {
    const parsed = parseCondition(text);
    if (!parsed.ok) return { ok: false, unsupported: parsed.unsupported, message: parsed.message, node: conditionNode };
    const expression = conditionText(parsed.condition, searches);
    if (!expression.ok) return { ...expression, node: conditionNode };
    parts.push(expression.text);
  }
  // Several conditions in a list are alternatives (Sigma specification, "Condition").
  return { ok: true, text: stripOuterParens(joinAll('or', parts)) };
}

function translateSearch(node: Node | null): Translation {
  if (node === null) return { ok: false, unsupported: false, message: 'an empty search identifier' };
  if (isMap(node)) return translateMap(node);
  if (isSeq(node)) {
    const items = node.items as Node[];
    if (items.length > 0 && items.every((item) => isMap(item))) {
      const parts: string[] = [];
      for (const item of items) {
        const one = translateMap(item as YAMLMap);
        if (!one.ok) return one;
        parts.push(one.text);
      }
      return { ok: true, text: joinAll('or', parts) };
    }
    return keywords(items.map((item) => (isScalar(item) ? item.value : item)), node);
  }
  if (isScalar(node)) return keywords([node.value], node);
  return { ok: false, unsupported: false, message: 'a search identifier must be a mapping, a list of mappings, or keywords', node };
}

function translateMap(map: YAMLMap): Translation {
  const parts: string[] = [];
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const value = pair.value === null ? null : (pair.value as Node).toJSON();
    const test: FieldTest = fieldTest(key, value);
    if (!test.ok) return { ...test, node: pair.key as Node };
    parts.push(test.text);
  }
  if (parts.length === 0) return { ok: false, unsupported: false, message: 'an empty search identifier', node: map };
  return { ok: true, text: joinAll('and', parts) };
}

function keywords(values: readonly unknown[], node: Node): Translation {
  const parts: string[] = [];
  for (const value of values) {
    const test = keywordTest(value);
    if (!test.ok) return { ...test, node };
    parts.push(test.text);
  }
  return { ok: true, text: joinAll('or', parts) };
}

function conditionText(condition: Condition, searches: ReadonlyMap<string, string>): Translation {
  switch (condition.kind) {
    case 'ref': {
      const text = searches.get(condition.name);
      return text === undefined ? { ok: false, unsupported: false, message: `the condition names '${condition.name}', which the detection does not define` } : { ok: true, text };
    }
    case 'not': {
      const inner = conditionText(condition.operand, searches);
      return inner.ok ? { ok: true, text: `not ${parenthesized(inner.text)}` } : inner;
    }
    case 'and':
    case 'or': {
      const parts: string[] = [];
      for (const item of condition.items) {
        const inner = conditionText(item, searches);
        if (!inner.ok) return inner;
        parts.push(inner.text);
      }
      return { ok: true, text: joinAll(condition.kind, parts) };
    }
    case 'of': {
      const names = namesMatching(condition.pattern, [...searches.keys()]);
      if (names.length === 0) return { ok: false, unsupported: false, message: `'${condition.pattern}' matches no search identifier of the detection` };
      return { ok: true, text: joinAll(condition.quantifier === 'all' ? 'and' : 'or', names.map((name) => searches.get(name)!)) };
    }
  }
}

function parenthesized(text: string): string {
  return text.startsWith('(') && balancedOuter(text) ? text : `(${text})`;
}

function stripOuterParens(text: string): string {
  return text.startsWith('(') && balancedOuter(text) ? text.slice(1, -1) : text;
}

/** Whether the first `(` closes at the very end (so the parentheses wrap the whole text). */
function balancedOuter(text: string): boolean {
  let depth = 0;
  let quote: string | null = null;
  let regex = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== null || regex) {
      if (c === '\\') i++;
      else if (quote !== null && c === quote) quote = null;
      else if (regex && c === '/') regex = false;
      continue;
    }
    if (c === '"') quote = c;
    else if (c === '/' && text.slice(Math.max(0, i - 6), i) === 'regex ') regex = true;
    else if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0 && i < text.length - 1) return false;
    }
  }
  return depth === 0 && text.endsWith(')');
}
