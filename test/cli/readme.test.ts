/** The README's set-up commands are the ones that work: its first query runs, and CI runs its test command. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CTQ, ndjson, REPO } from '../support/run-ctq';

const readme = readFileSync(`${REPO}/README.md`, 'utf8');
const setup = readme.split('## Set-up and first run')[1]!.split('\n## ')[0]!;
const commands = [...setup.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split('\n')).map((l) => l.replace(/\s+#.*$/, '').trim()).filter(Boolean);

describe('README set-up', () => {
  it('names npm ci, one ctq query over fixtures/, and npm test', () => {
    expect(commands).toContain('npm ci');
    expect(commands).toContain('npm test');
    expect(commands.filter((c) => c.startsWith('npx ctq ') && c.includes('fixtures/'))).toHaveLength(1);
  });

  it('its query over the fixtures runs and finds events', () => {
    const query = commands.find((c) => c.startsWith('npx ctq '))!.replace(/^npx ctq /, `node ${CTQ} `);
    const result = spawnSync('bash', ['-c', query], { cwd: REPO, encoding: 'utf8' });
    expect(result.status).toBe(0);
    const events = ndjson(result.stdout);
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) expect(event.errorCode).toBe('AccessDenied');
  });

  it('.ci/run calls the same test command', () => {
    expect(readFileSync(`${REPO}/.ci/run`, 'utf8')).toMatch(/^npm test( -- .*)?$/m);
  });
});
