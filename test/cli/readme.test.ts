/** The README's set-up commands are the ones that work: its first query runs, and CI runs its test command. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CTQ, ndjson, REPO } from '../support/run-ctq';

const readme = readFileSync(`${REPO}/README.md`, 'utf8');
const setup = readme.split('## Set-up and first run')[1]!.split('\n## ')[0]!;
const commands = [...setup.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split('\n')).map((l) => l.replace(/\s+#.*$/, '').trim()).filter(Boolean);

describe('README set-up', () => {
  it('is two commands: install and run one query over fixtures/, then the whole test suite as CI runs it', () => {
    expect(commands).toHaveLength(2);
    expect(commands[0]).toMatch(/^npm ci && npx ctq .*fixtures\//);
    expect(commands[1]).toBe('bash .ci/run');
  });

  it('its query over the fixtures runs and finds events', () => {
    const query = commands[0]!.replace(/^npm ci && npx ctq /, `${CTQ} `);
    const result = spawnSync('bash', ['-c', query], { cwd: REPO, encoding: 'utf8' });
    expect(result.status).toBe(0);
    const events = ndjson(result.stdout);
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) expect(event.errorCode).toBe('AccessDenied');
  });

  it('.ci/run installs the packages and calls the test command the README names', () => {
    const ci = readFileSync(`${REPO}/.ci/run`, 'utf8');
    expect(ci).toMatch(/^npm ci\b/m);
    expect(ci).toMatch(/^npm test( -- .*)?(\s*\|\|.*)?$/m);
    expect(setup).toContain('`npm test`');
  });
});
