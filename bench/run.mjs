#!/usr/bin/env node
// `npm run bench`: every benchmark, each printing ratios against its peer measured in the same run.
import { spawnSync } from 'node:child_process';

const benches = [
  ['bench/local.ts', ...process.argv.slice(2)],
  ['bench/api.ts'],
  ['bench/identity.ts'],
  ['bench/athena.ts'],
  ['bench/s3.ts'],
  ['bench/language.ts'],
  ['bench/rules.ts'],
  ['bench/worker-boot.ts'],
];
let failed = false;
for (const [script, ...args] of benches) {
  console.log(`\n=== ${script} ===`);
  const result = spawnSync(process.execPath, ['scripts/run-ts.mjs', script, ...args], { stdio: 'inherit' });
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
