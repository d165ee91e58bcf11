/** Extracts the checked examples from grammar/README.md (see its introduction for the format). */
import { readFileSync } from 'node:fs';
import type { JsonObject } from '../../src/language/json';

export const README_PATH = new URL('../../grammar/README.md', import.meta.url);

export interface Example {
  readonly expression: string;
  /** The result stated in the README against the sample event, if any. */
  readonly expected: boolean | null;
}

export interface ErrorExample {
  readonly expression: string;
  readonly rendered: string;
}

function fences(markdown: string, info: string): string[] {
  const pattern = new RegExp('^```' + info.replace(/[-]/g, '\\-') + '\\n([\\s\\S]*?)^```$', 'gm');
  return [...markdown.matchAll(pattern)].map((match) => match[1] as string);
}

export function readReadme(): { examples: Example[]; errors: ErrorExample[]; sampleEvent: JsonObject } {
  const markdown = readFileSync(README_PATH, 'utf8');
  const examples = fences(markdown, 'ctq').flatMap((block) =>
    block
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line): Example => {
        const result = /^(.*?)\s+# (true|false)$/.exec(line);
        return result === null ? { expression: line, expected: null } : { expression: result[1] as string, expected: result[2] === 'true' };
      }),
  );
  const errors = fences(markdown, 'ctq-error').map((block): ErrorExample => {
    const [expression, ...rest] = block.replace(/\n$/, '').split('\n');
    return { expression: expression as string, rendered: rest.join('\n') };
  });
  const sample = fences(markdown, 'json sample-event')[0];
  if (sample === undefined) throw new Error('grammar/README.md has no sample event');
  return { examples, errors, sampleEvent: JSON.parse(sample) as JsonObject };
}
