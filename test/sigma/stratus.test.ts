/**
 * SigmaHQ rules over real attack telemetry: the Stratus Red Team detonation logs (../shared/datasets,
 * Apache-2.0, see their SOURCE.md). Each technique below must set off the rule written for it.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lines, runInProcess } from '../rules/in-process';

const DATASET = join('..', 'shared', 'datasets', 'stratus-detonation-logs');
const EXPECTED: Readonly<Record<string, string>> = {
  'aws.defense-evasion.cloudtrail-stop.json': 'AWS CloudTrail Important Change',
  'aws.defense-evasion.cloudtrail-delete.json': 'AWS CloudTrail Important Change',
  'aws.exfiltration.ec2-security-group-open-port-22-ingress.json': 'Ingress/Egress Security Group Modification',
  'aws.initial-access.console-login-without-mfa.json': 'AWS Successful Console Login Without MFA',
  'aws.persistence.lambda-layer-extension.json': 'AWS New Lambda Layer Attached',
  'aws.privilege-escalation.iam-update-user-login-profile.json': 'AWS User Login Profile Was Modified',
};

describe.skipIf(!existsSync(DATASET))('SigmaHQ rules over the Stratus Red Team detonation logs', () => {
  it('each technique sets off its rule, and those rules fire on no other technique', async () => {
    const fired = new Map<string, Set<string>>();
    for (const file of readdirSync(DATASET).filter((f) => f.endsWith('.json')).sort()) {
      const result = await runInProcess(['--sigma', 'fixtures/sigma/rules', '--input', join(DATASET, file)]);
      expect(result.code, file).toBe(0);
      fired.set(file, new Set(lines(result.stdout).flatMap((e) => (e._ctq as { titles: string[] }).titles)));
    }
    for (const [file, title] of Object.entries(EXPECTED)) expect([...fired.get(file)!], file).toContain(title);
    const specific = new Set(Object.values(EXPECTED));
    for (const [file, titles] of fired) {
      for (const title of titles) if (specific.has(title)) expect(EXPECTED[file], `${title} fired on ${file}`).toBe(title);
    }
  });
});
