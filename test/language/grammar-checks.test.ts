/**
 * ctq builds its lexer and parser without Chevrotain's grammar checks (they are a third of building
 * the parser, paid at every start-up and in every scan worker); the checks run here instead.
 */
import { describe, expect, test } from 'vitest';
import { buildLexer } from '../../src/language/lexer';
import { ExpressionParser } from '../../src/language/parser';

describe('the grammar passes Chevrotain’s own checks', () => {
  test('the token set: no unreachable or conflicting token patterns', () => {
    expect(buildLexer({ validate: true }).lexerDefinitionErrors).toEqual([]);
  });

  test('the parser: no ambiguous alternatives, left recursion or duplicate rules', () => {
    expect(() => new ExpressionParser({ validate: true })).not.toThrow();
  });
});
