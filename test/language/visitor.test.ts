import { describe, expect, test } from 'vitest';
import { BREAK, callsIn, checkExpression, compileExpression, fold, literalNeedles, parseExpression, SKIP, walk, type Expr } from '../../src/language';
import { checkExpr } from '../../src/language/check';
import { compileExpr } from '../../src/language/compile';
import { bestPushdown, topLevelConjuncts } from '../../src/query/pushdown';

function parse(text: string): Expr {
  const parsed = parseExpression(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.expr;
}

const span = { start: 0, end: 1 };
const leaf = (i: number): Expr => ({
  kind: 'compare',
  op: '==',
  left: { kind: 'path', text: '$.n', steps: [{ kind: 'member', name: 'n' }], span },
  right: { kind: 'literal', value: i, span },
  span,
});

describe('walk', () => {
  test('visits nodes depth-first, left to right, operands after their node is entered', () => {
    const seen: string[] = [];
    walk(parse('not $.a == 1 and (lower($.b) contains "x" or $.c in [1])'), {
      enter: (node) => void seen.push(`enter ${node.kind}`),
      leave: (node) => void seen.push(`leave ${node.kind}`),
      operand: (operand) => void seen.push(operand.kind === 'path' ? operand.text : operand.kind === 'call' ? `${operand.name}()` : 'literal'),
    });
    expect(seen).toEqual([
      'enter and',
      'enter not',
      'enter compare',
      '$.a',
      'literal',
      'leave compare',
      'leave not',
      'enter or',
      'enter text',
      'lower()',
      '$.b',
      'literal',
      'leave text',
      'enter in',
      '$.c',
      'literal',
      'leave in',
      'leave or',
      'leave and',
    ]);
  });

  test('SKIP leaves a node unvisited below; BREAK stops the walk', () => {
    const entered: string[] = [];
    walk(parse('($.a == 1 or $.b == 2) and $.c'), {
      enter: (node) => {
        entered.push(node.kind);
        return node.kind === 'or' ? SKIP : undefined;
      },
    });
    expect(entered).toEqual(['and', 'or', 'test']);
    const until: string[] = [];
    walk(parse('$.a == 1 and $.b == 2 and $.c == 3'), {
      operand: (operand) => {
        if (operand.kind === 'path') until.push(operand.text);
        return operand.kind === 'path' && operand.text === '$.b' ? BREAK : undefined;
      },
    });
    expect(until).toEqual(['$.a', '$.b']);
  });

  test('fold builds a value bottom-up', () => {
    const depth = fold<number>(parse('not ($.a and ($.b or not $.c))'), (_, children) => 1 + Math.max(0, ...children));
    expect(depth).toBe(5);
  });

  test('callsIn finds calls inside arguments, outer first', () => {
    expect(callsIn(parse('len(lower(session())) > 1 and chainOf("x")')).map((call) => call.name)).toEqual(['len', 'lower', 'session', 'chainOf']);
  });
});

describe('no recursion limit: every user of the walker handles a 100,000-node chain', () => {
  // Built directly (the parser bounds nesting, but a chain of `and` is flat text and a deep tree).
  let chain: Expr = leaf(0);
  for (let i = 1; i < 100_000; i++) chain = { kind: 'and', left: chain, right: leaf(i), span };
  let ors: Expr = leaf(0);
  for (let i = 1; i < 100_000; i++) ors = { kind: 'or', left: ors, right: leaf(i), span };

  test('walk, check, compile, pre-filter and push-down', () => {
    let count = 0;
    walk(chain, { enter: () => void count++ });
    expect(count).toBe(199_999);
    expect(checkExpr(chain)).toBeNull();
    expect(compileExpr(chain, new Map())({ n: 1 })).toBe(false);
    expect(compileExpr(ors, new Map())({ n: 99_999 })).toBe(true);
    expect(compileExpr(ors, new Map())({ n: 100_000 })).toBe(false);
    expect(literalNeedles(ors)).toBeNull();
    expect(topLevelConjuncts([chain])).toHaveLength(100_000);
    expect(bestPushdown([chain])).toBeNull();
    expect(callsIn(chain)).toEqual([]);
  });

  test('the same through text, for a chain the parser accepts', () => {
    const text = Array.from({ length: 30_000 }, (_, i) => `$.n != ${i}`).join(' and ');
    expect(checkExpression(text).ok).toBe(true);
    const compiled = compileExpression(text, new Map());
    expect(compiled.ok && compiled.predicate({ n: 30_000 })).toBe(true);
  });
});
