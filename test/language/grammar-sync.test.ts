/**
 * grammar/ must describe the parser that runs. Regenerate the generated files with
 *   UPDATE_GRAMMAR=1 npx vitest run test/language/grammar-sync.test.ts
 */
import { createSyntaxDiagramsCode } from 'chevrotain';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { checkExpression, compileExpression, parseExpression, renderExpressionError, type FunctionImplementation, type FunctionImplementations } from '../../src/language';
import { parseCommandLine } from '../../src/cli/program';
import { expressionParser } from '../../src/language/parser';
import { readReadme } from './readme-examples';

const grammarFile = (name: string): URL => new URL(`../../grammar/${name}`, import.meta.url);
const update = process.env.UPDATE_GRAMMAR === '1';

function expectFileToEqual(name: string, generated: string): void {
  if (update) writeFileSync(grammarFile(name), generated);
  expect(readFileSync(grammarFile(name), 'utf8'), `grammar/${name} is stale: run UPDATE_GRAMMAR=1 npx vitest run test/language/grammar-sync.test.ts`).toBe(generated);
}

describe('generated grammar files', () => {
  const productions = expressionParser().getSerializedGastProductions();

  test('productions.json is what the live parser serializes', () => {
    expectFileToEqual('productions.json', JSON.stringify(productions, null, 2) + '\n');
  });

  test('diagrams.html is what Chevrotain draws from the live parser', () => {
    expectFileToEqual('diagrams.html', createSyntaxDiagramsCode(productions));
  });
});

describe('ctq.ebnf', () => {
  const ebnf = readFileSync(grammarFile('ctq.ebnf'), 'utf8');
  const defined = [...ebnf.matchAll(/^([A-Za-z_]+)\s*::=/gm)].map((match) => match[1] as string);
  const ebnfRules = defined.filter((name) => name !== name.toUpperCase());
  const parserRules = Object.keys(expressionParser().getGAstProductions());

  test('defines every parser rule and no other lower-case rule', () => {
    expect([...ebnfRules].sort()).toEqual([...parserRules].sort());
  });

  test('every rule it references is defined', () => {
    const body = ebnf.replace(/\(\*[\s\S]*?\*\)/g, '').replace(/"[^"]*"|'[^']*'|\[[^\]\n]*\]/g, ' ');
    const referenced = new Set([...body.matchAll(/\b([A-Za-z_]+)\b/g)].map((match) => match[1] as string));
    for (const name of referenced) expect(defined, `${name} is referenced in ctq.ebnf but not defined`).toContain(name);
  });
});

describe('grammar/README.md', () => {
  const { examples, errors, sampleEvent } = readReadme();
  const implementations: FunctionImplementations = new Map<string, FunctionImplementation>([
    ['session', (event) => (event.userIdentity as { accessKeyId?: string } | undefined)?.accessKeyId ?? null],
    ['chainOf', () => false],
  ]);

  test('has examples to check', () => {
    expect(examples.length).toBeGreaterThan(40);
    expect(examples.filter((example) => example.expected !== null).length).toBeGreaterThan(40);
    expect(errors.length).toBeGreaterThan(5);
  });

  test.each(examples.map((example) => [example.expression, example] as const))('example parses: %s', (_, example) => {
    const parsed = parseExpression(example.expression);
    expect(parsed.ok ? null : renderExpressionError(example.expression, parsed.error, 'example')).toBeNull();
  });

  const stated = examples.filter((example) => example.expected !== null);
  test.each(stated.map((example) => [example.expression, example.expected] as const))('against the sample event, %s is %s', (expression, expected) => {
    const compiled = compileExpression(expression, implementations);
    if (!compiled.ok) throw new Error(renderExpressionError(expression, compiled.error, 'example'));
    expect(compiled.predicate(sampleEvent)).toBe(expected);
  });

  test.each(errors.map((example) => [example.expression, example] as const))('error example renders as documented: %s', (_, example) => {
    const compiled = compileExpression(example.expression, implementations);
    expect(compiled.ok).toBe(false);
    if (!compiled.ok) expect(renderExpressionError(example.expression, compiled.error, 'ctq: --match')).toBe(example.rendered);
  });
});

describe("the project README's expression examples", () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.split('## The expression language')[1]?.split('\n## ')[0] ?? '';
  const block = /```\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  const lines = block.split('\n').filter((line) => line.trim() !== '');

  test('are there', () => {
    expect(lines.length).toBeGreaterThan(8);
  });

  test.each(lines)('passes every check: %s', (line) => {
    const checked = checkExpression(line);
    expect(checked.ok ? null : renderExpressionError(line, checked.error, 'README')).toBeNull();
  });
});

describe('the expressions in ctq --help', () => {
  const help = parseCommandLine(['--help']);
  const text = help.kind === 'exit' ? help.stdout : '';
  const expressions = [...text.matchAll(/--match '([^']*)'/g)].map((match) => match[1] as string);

  test('are there', () => {
    expect(expressions.length).toBeGreaterThan(6);
  });

  test.each(expressions)('passes every check: %s', (expression) => {
    const checked = checkExpression(expression);
    expect(checked.ok ? null : renderExpressionError(expression, checked.error, 'help')).toBeNull();
  });
});
