/**
 * Sigma fields under lists: a dotted field steps into lists as into objects, and matches when any value
 * found (at any list level) passes, as Elasticsearch reads a list of objects. The records are EC2's,
 * which logs request and response lists as `{"items": [...]}`: a real AuthorizeSecurityGroupIngress
 * (fixtures/real/stratus-detonation-logs, Apache-2.0) and the same call in the `ipPermissions` form
 * (test/support/ec2-records.ts). The rules are written here for the test.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { graphOf, identityFunctions } from '../../src/identity';
import type { JsonObject } from '../../src/language/json';
import { compileRuleSet } from '../../src/rules/compile-rule';
import { parseYamlText } from '../../src/rules/yaml-files';
import { readSigmaFile } from '../../src/sigma';
import { ingress, narrow } from '../support/ec2-records';

const rule = (detection: string) =>
  `title: T\nid: r1\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n${detection.replace(/^/gm, '  ')}\n`;

/** The detection (with `condition: sel` added unless it has one) as a test of one event. */
function sigma(detection: string): (event: JsonObject) => boolean {
  const text = detection.includes('condition:') ? detection : `${detection}\ncondition: sel`;
  const read = readSigmaFile(parseYamlText('t.yml', rule(text)));
  if (read.problems.length > 0) throw new Error(read.problems.map((p) => p.message).join('; '));
  const set = compileRuleSet([read.rules[0]!.spec], identityFunctions(graphOf([])));
  return (event) => set.matching(event).length > 0;
}

const [realIngress] = JSON.parse(
  readFileSync(new URL('../../fixtures/real/stratus-detonation-logs/aws.exfiltration.ec2-security-group-open-port-22-ingress.json', import.meta.url), 'utf8'),
) as JsonObject[];

describe('Sigma fields under lists', () => {
  it('match a value two lists deep (ipPermissions.items[].ipRanges.items[].cidrIp)', () => {
    const world = sigma("sel:\n  eventName: AuthorizeSecurityGroupIngress\n  requestParameters.ipPermissions.items.ipRanges.items.cidrIp: '0.0.0.0/0'");
    expect(world(ingress)).toBe(true);
    expect(world(narrow)).toBe(false);
  });

  it('match the real record: its rule is logged in responseElements.securityGroupRuleSet.items[]', () => {
    const ssh = sigma("sel:\n  eventName: AuthorizeSecurityGroupIngress\n  responseElements.securityGroupRuleSet.items.fromPort: 22\n  responseElements.securityGroupRuleSet.items.isEgress: 'false'");
    expect(ssh(realIngress!)).toBe(true);
    expect(ssh(narrow)).toBe(false);
    expect(sigma("sel:\n  responseElements.securityGroupRuleSet.items.cidrIpv4|endswith: '/0'")(realIngress!)).toBe(true);
    // The flat form of the call leaves ipPermissions an empty object: nothing under it.
    expect(sigma('sel:\n  requestParameters.ipPermissions.items.fromPort|exists: true')(realIngress!)).toBe(false);
  });

  it('string, number and comparison tests need one value to pass', () => {
    expect(sigma("sel:\n  requestParameters.ipPermissions.items.ipRanges.items.description|contains: 'OFF'")(ingress)).toBe(true);
    expect(sigma('sel:\n  requestParameters.ipPermissions.items.fromPort|lt: 100')(ingress)).toBe(true);
    expect(sigma('sel:\n  requestParameters.ipPermissions.items.fromPort|lt: 100')(narrow)).toBe(false);
    expect(sigma("sel:\n  requestParameters.ipPermissions.items.toPort: '22'")(ingress)).toBe(true);
    expect(sigma("sel:\n  requestParameters.ipPermissions.items.ipRanges.items.cidrIp|re: '^0\\.0\\.0\\.0/'")(ingress)).toBe(true);
  });

  it('|all: each value met by some element, not necessarily the same one', () => {
    expect(sigma("sel:\n  responseElements.securityGroupRuleSet.items.cidrIpv4|all: ['10.0.0.0/8', '0.0.0.0/0']")(ingress)).toBe(true);
    expect(sigma("sel:\n  responseElements.securityGroupRuleSet.items.cidrIpv4|all: ['10.0.0.0/8', '0.0.0.0/0']")(narrow)).toBe(false);
  });

  it('|cidr: some address in the block', () => {
    const event: JsonObject = { eventName: 'RunInstances', responseElements: { instancesSet: { items: [{ privateIpAddress: '172.31.5.9' }, { privateIpAddress: '10.1.2.3' }] } } };
    expect(sigma("sel:\n  responseElements.instancesSet.items.privateIpAddress|cidr: '10.0.0.0/8'")(event)).toBe(true);
    expect(sigma("sel:\n  responseElements.instancesSet.items.privateIpAddress|cidr: '192.168.0.0/16'")(event)).toBe(false);
  });

  it('|exists and null: some value present, or none (an empty list holds none)', () => {
    const exists = sigma('sel:\n  requestParameters.ipPermissions.items.ipRanges.items.description|exists: true');
    const missing = sigma('sel:\n  requestParameters.ipPermissions.items.ipRanges.items.description: null');
    expect([exists(ingress), missing(ingress)]).toEqual([true, false]);
    expect([exists(narrow), missing(narrow)]).toEqual([false, true]);
    const explicitNull: JsonObject = { requestParameters: { ipPermissions: { items: [{ ipRanges: { items: [{ description: null }, { description: 'vpn' }] } }] } } };
    expect([exists(explicitNull), missing(explicitNull)]).toEqual([true, false]);
    const empty: JsonObject = { requestParameters: { ipPermissions: { items: [] } } };
    expect(sigma('sel:\n  requestParameters.ipPermissions.items|exists: true')(empty)).toBe(false);
    expect(sigma("sel:\n  requestParameters.ipPermissions.items: '*'")(empty)).toBe(false);
    expect(sigma("sel:\n  requestParameters.ipPermissions.items: '*'")(ingress)).toBe(true);
  });

  it('|fieldref: some value of one field equals some value of the other', () => {
    const event: JsonObject = { requestParameters: { groupId: 'sg-2', ipPermissions: { items: [{ groups: { items: [{ groupId: 'sg-1' }, { groupId: 'sg-2' }] } }] } } };
    expect(sigma('sel:\n  requestParameters.ipPermissions.items.groups.items.groupId|fieldref: requestParameters.groupId')(event)).toBe(true);
    expect(sigma('sel:\n  requestParameters.ipPermissions.items.groups.items.groupId|fieldref: requestParameters.groupId')(ingress)).toBe(false);
  });

  it('not: no value passes', () => {
    const notWorld = sigma("sel:\n  requestParameters.ipPermissions.items.ipRanges.items.cidrIp: '0.0.0.0/0'\ncondition: not sel");
    expect(notWorld(ingress)).toBe(false);
    expect(notWorld(narrow)).toBe(true);
  });
});
